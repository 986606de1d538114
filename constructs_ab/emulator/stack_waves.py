"""Stacks run in dependency order: in waves, each wave the stacks whose dependencies have all run, its
stacks in parallel (one thread each). A stack whose dependency did not succeed is not run; with `reverse`
(destroy) a stack runs after the stacks that depend on it, and not when one of them failed."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

from constructs_ab.terraform.runner import stop_all_running

T = TypeVar("T")


def run_in_waves(
    names: Sequence[str],
    depends_on: Mapping[str, Sequence[str]],
    run: Callable[[str], T],
    ok: Callable[[T], bool],
    *,
    reverse: bool = False,
) -> dict[str, T]:
    """`run(name)` for each of `names` (dependencies outside `names` are ignored); `ok(result)` says
    whether a stack succeeded. Returns the results in the order the waves ran; a stack not run is
    missing."""
    before = {
        name: (
            [n for n in names if name in depends_on.get(n, ())]
            if reverse
            else [d for d in depends_on.get(name, ()) if d in names]
        )
        for name in names
    }
    results: dict[str, T] = {}
    blocked: set[str] = set()
    while len(results) + len(blocked) < len(names):
        ready = [
            n for n in names if n not in results and n not in blocked and all(d in results for d in before[n])
        ]
        blocked |= {n for n in ready if any(not ok(results[d]) for d in before[n])}
        wave = [n for n in ready if n not in blocked]
        if not wave:
            break  # what is left waits on a stack that failed or was not run
        results.update(run_parallel(wave, run))
    return results


def run_parallel(names: Sequence[str], run: Callable[[str], T]) -> dict[str, T]:
    """`run(name)` for each of `names` at once, one thread each; on Ctrl-C every terraform run is stopped."""
    with ThreadPoolExecutor(max_workers=max(1, len(names))) as pool:
        futures = {name: pool.submit(run, name) for name in names}
        try:
            return {name: future.result() for name, future in futures.items()}
        except KeyboardInterrupt:
            stop_all_running()  # Ctrl-C while stacks run in worker threads: stop them, then leave
            raise
