"""Whole-process timing for the benchmarks, with public tools only.

Each measured command runs under a small Python wrapper process, so `getrusage(RUSAGE_CHILDREN)` in the
wrapper sees only that command's process tree: wall time from `time.perf_counter`, peak memory as the
largest resident set of any process in the tree (`ru_maxrss`, KiB on Linux).
Commands of a comparison are run alternately (A B A B ...) so that drift of the machine hits both.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
from collections.abc import Sequence
from dataclasses import dataclass

_WRAPPER = r"""
import json, resource, subprocess, sys, time
start = time.perf_counter()
code = subprocess.call(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
wall = time.perf_counter() - start
peak_kib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
print(json.dumps({"wall": wall, "peak_kib": peak_kib, "code": code}))
"""


@dataclass(frozen=True, kw_only=True)
class Run:
    wall_seconds: float
    peak_mib: float
    exit_code: int


@dataclass(frozen=True, kw_only=True)
class Summary:
    """Median wall time (s) and median peak memory (MiB) of several runs; `failed` counts non-zero exits."""

    wall_seconds: float
    peak_mib: float
    runs: int
    failed: int


def run_once(command: Sequence[str], env: dict[str, str] | None = None, cwd: str | None = None) -> Run:
    output = subprocess.run(
        [sys.executable, "-c", _WRAPPER, *command],
        env={**os.environ, **(env or {})},
        cwd=cwd,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    result = json.loads(output)
    return Run(wall_seconds=result["wall"], peak_mib=result["peak_kib"] / 1024, exit_code=result["code"])


def summarize(runs: Sequence[Run]) -> Summary:
    return Summary(
        wall_seconds=statistics.median(r.wall_seconds for r in runs),
        peak_mib=statistics.median(r.peak_mib for r in runs),
        runs=len(runs),
        failed=sum(1 for r in runs if r.exit_code != 0),
    )


def compare(
    commands: dict[str, tuple[Sequence[str], dict[str, str]]], *, runs: int, warmup: int = 1
) -> dict[str, Summary]:
    """Run each named (command, env) `warmup` times uncounted, then `runs` times alternately."""
    for _ in range(warmup):
        for command, env in commands.values():
            run_once(command, env)
    results: dict[str, list[Run]] = {name: [] for name in commands}
    for _ in range(runs):
        for name, (command, env) in commands.items():
            results[name].append(run_once(command, env))
    return {name: summarize(r) for name, r in results.items()}


def table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    """A Markdown table, so the output can be pasted into the README as it is."""
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)
