"""Hold Ctrl-C (SIGINT) and SIGTERM back while a short sequence of file operations must finish together.

A command that replaces files in several steps (synth's swap of the output directory, a spec edit's
compare-and-replace) runs those steps inside `interrupts_deferred()`: a signal that arrives meanwhile
is recorded, and delivered again only when the block is left, so the steps never stop half-way.
Outside such blocks Ctrl-C raises `KeyboardInterrupt` as usual, and the commands turn it into one line
and `ExitCode.INTERRUPTED` (see constructs_ab/cli/kit/entry.py).

`interrupts_recorded()` leaves Ctrl-C (and a SIGTERM handled as Ctrl-C) as it is and records it, so
an error that the same signal caused elsewhere first (a child process it ended, a pipe it broke) can be
told from a real failure.

Python runs signal handlers in the main thread only, so both are no-ops in any other thread.
"""

from __future__ import annotations

import contextlib
import signal
import threading
from collections.abc import Callable, Iterator
from types import FrameType

from constructs_ab.cli.kit.signal_handlers import handlers_installed

_DEFERRED_SIGNALS = (signal.SIGINT, signal.SIGTERM)


@contextlib.contextmanager
def interrupts_deferred() -> Iterator[None]:
    """Within the block, SIGINT and SIGTERM are only recorded; on leaving it (normally or by an
    exception), the previous handlers are restored and the first recorded signal is raised again, so
    Ctrl-C then raises `KeyboardInterrupt` right after the block."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    received: list[int] = []

    def record(signum: int, _frame: FrameType | None) -> None:
        received.append(signum)

    try:
        with handlers_installed(dict.fromkeys(_DEFERRED_SIGNALS, record)):
            yield
    finally:
        if received:
            signal.raise_signal(received[0])


@contextlib.contextmanager
def interrupts_recorded() -> Iterator[Callable[[], bool]]:
    """While the block runs, Ctrl-C (SIGINT) still raises KeyboardInterrupt, and is also recorded: the
    function yielded says whether one came. A terminal sends Ctrl-C to the whole process group, so a
    child (the jsii runtime's Node.js) may end first and its broken pipe surface as an ordinary error,
    with the KeyboardInterrupt lost inside the library that saw it; the record tells them apart.
    A SIGTERM that the command handles as Ctrl-C (`constructs_ab.cli.kit.termination`; `timeout` sends it
    to the whole process group too) is recorded the same way. Outside the main thread, or when SIGINT
    is ignored, nothing changes for SIGINT; SIGTERM is recorded only when a Python handler takes it."""
    received = threading.Event()
    if threading.current_thread() is not threading.main_thread():
        yield received.is_set
        return
    previous_int = signal.getsignal(signal.SIGINT)
    previous_term = signal.getsignal(signal.SIGTERM)

    def record(signum: int, frame: FrameType | None) -> None:
        received.set()
        if callable(previous_int):
            previous_int(signum, frame)  # Python's default handler raises KeyboardInterrupt
        raise KeyboardInterrupt

    def record_term(signum: int, frame: FrameType | None) -> None:
        received.set()
        if callable(previous_term):
            previous_term(signum, frame)  # raises KeyboardInterrupt (the first time)

    handlers: dict[int, Callable[[int, FrameType | None], None]] = {}
    if previous_int != signal.SIG_IGN:
        handlers[signal.SIGINT] = record
    if callable(previous_term):
        handlers[signal.SIGTERM] = record_term
    with handlers_installed(handlers):
        yield received.is_set
