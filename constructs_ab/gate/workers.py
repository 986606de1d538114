"""Run independent tasks in forked worker processes, at most `jobs` at a time, results in task order.

Each task runs in a child forked from this process, so it starts with everything this process has
imported and loaded (Checkov, its checks, `policies/`) and costs only its own work. The child sends its
result (or its exception) back pickled, through a pipe, and exits. Results
are returned in the order of the tasks, whatever order they finish in, so the output is deterministic.

Ctrl-C reaches the children too (same process group): they ignore it and the parent stops them (SIGTERM,
which ends a child at once) and raises KeyboardInterrupt; so does a SIGTERM that the parent's command
turns into KeyboardInterrupt (`constructs_ab.cli.kit.termination`). Where `os.fork` does not exist
(Windows), or with `jobs=1`, tasks run here, in order.
"""

from __future__ import annotations

import os
import pickle
import selectors
import signal
import sys
from collections.abc import Callable, Sequence
from typing import TypeVar

from constructs_ab.cli.kit.termination import sigterm_default

T = TypeVar("T")
R = TypeVar("R")


class WorkerFailed(RuntimeError):
    """A worker process died without a result (killed, out of memory)."""


def default_jobs() -> int:
    """The CPUs this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def run_tasks(
    function: Callable[[T], R],
    tasks: Sequence[T],
    *,
    jobs: int,
    start_order: Sequence[int] | None = None,
    describe: Callable[[T], str] = str,
    last_here: bool = False,
) -> list[R]:
    """`[function(task) for task in tasks]`, in up to `jobs` forked processes.

    start_order: the order in which to start the tasks (indices; default: as given), e.g. largest first.
    last_here: the last task to start runs in this process, beside the workers still running (no fork,
        no copy of its result); for functions that leave this process as they found it, or whose process
        ends after the call.
    An exception raised by `function` is raised here (the first one in task order); a worker that dies
    without a result raises WorkerFailed naming `describe(task)`.
    """
    if jobs <= 1 or len(tasks) <= 1 or not hasattr(os, "fork"):
        return [function(task) for task in tasks]
    pending = list(reversed(list(start_order) if start_order is not None else range(len(tasks))))
    outcomes: dict[int, tuple[bool, object]] = {}
    running: dict[int, tuple[int, int, list[bytes]]] = {}  # read end -> (task index, pid, chunks)
    with selectors.DefaultSelector() as selector:
        try:
            while pending or running:
                while pending and len(running) < jobs:
                    index = pending.pop()
                    if last_here and not pending:
                        outcomes[index] = _run_here(function, tasks[index])
                        break
                    read_end, pid = _start(function, tasks[index])
                    running[read_end] = (index, pid, [])
                    selector.register(read_end, selectors.EVENT_READ)
                for key, _ in selector.select() if running else ():
                    read_end = int(key.fd)
                    index, pid, chunks = running[read_end]
                    chunk = os.read(read_end, _CHUNK)
                    if chunk:
                        chunks.append(chunk)
                        continue
                    selector.unregister(read_end)
                    os.close(read_end)
                    del running[read_end]
                    _, status = os.waitpid(pid, 0)
                    outcomes[index] = _outcome(b"".join(chunks), status, describe(tasks[index]))
        except BaseException:
            for read_end, (_, pid, _) in running.items():
                os.close(read_end)
                _stop(pid)
            raise
    results: list[R] = []
    for index in range(len(tasks)):
        ok, value = outcomes[index]
        if not ok:
            assert isinstance(value, BaseException)
            raise value
        results.append(value)  # type: ignore[arg-type]
    return results


_CHUNK = 1 << 20


def _run_here(function: Callable[[T], R], task: T) -> tuple[bool, object]:
    """`function(task)` in this process, its outcome as a worker reports it."""
    try:
        return True, function(task)
    except Exception as error:
        return False, error


def _start(function: Callable[[T], R], task: T) -> tuple[int, int]:
    """Fork a child that runs `function(task)` and writes its pickled outcome to a pipe: (read end, pid)."""
    read_end, write_end = os.pipe()
    sys.stdout.flush()
    sys.stderr.flush()
    pid = os.fork()
    if pid != 0:
        os.close(write_end)
        return read_end, pid
    code = 0
    try:  # the child: never returns
        os.close(read_end)
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent handles Ctrl-C for everyone
        sigterm_default()  # not the parent's KeyboardInterrupt: its SIGTERM ends this child
        try:
            outcome: tuple[bool, object] = (True, function(task))
        except Exception as error:
            outcome = (False, error)
        try:
            data = pickle.dumps(outcome, protocol=pickle.HIGHEST_PROTOCOL)
        except Exception as error:  # a result or exception that does not pickle: say what it was
            what = outcome[1] if not outcome[0] else error
            data = pickle.dumps((False, RuntimeError(f"{type(what).__name__}: {what}")))
        with os.fdopen(write_end, "wb") as stream:
            stream.write(data)
    except BaseException:
        code = 1
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)


def _outcome(data: bytes, status: int, description: str) -> tuple[bool, object]:
    try:
        outcome: tuple[bool, object] = pickle.loads(data)
    except (EOFError, pickle.UnpicklingError, ValueError, TypeError, AttributeError):
        code = os.waitstatus_to_exitcode(status)
        how = f"signal {-code}" if code < 0 else f"exit status {code}"
        return False, WorkerFailed(f"the worker checking {description} stopped ({how}) without a result")
    return outcome


def _stop(pid: int) -> None:
    try:
        os.kill(pid, signal.SIGTERM)
        os.waitpid(pid, 0)
    except (ProcessLookupError, ChildProcessError):
        pass
