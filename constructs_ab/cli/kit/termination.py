"""SIGTERM handled like Ctrl-C: what CI systems, `timeout` and container stops send to end a command.

Python dies at once on SIGTERM, without running `finally` blocks or `except KeyboardInterrupt`, so the
children a command started in their own process groups (terraform runs, the emulator) would be left
running. Within `sigterm_as_ctrl_c()` the first SIGTERM raises `KeyboardInterrupt` in the main thread
instead: the command stops its children and prints its one line as it does for Ctrl-C. Later SIGTERMs
are ignored until the block ends, so they cannot cut that clean-up short (`timeout` sends its signal
twice: to the command, then to its process group; SIGKILL still ends everything). The function the
block yields says whether a SIGTERM came, so the command can exit 143 (128 + SIGTERM, as a shell reports
a SIGTERM death; `ExitCode.TERMINATED`) rather than Ctrl-C's 130. On leaving the block, the previous
handler is restored.

Nothing changes outside the main thread (Python runs signal handlers there only) nor when SIGTERM is
ignored (whoever started us asked for that); the yielded function then says False.

A process forked inside the block inherits the handler: a child that must simply die on SIGTERM (a
worker its parent stops with SIGTERM) calls `sigterm_default()` first.
"""

from __future__ import annotations

import contextlib
import signal
import threading
from collections.abc import Callable, Iterator
from types import FrameType

from constructs_ab.cli.kit.signal_handlers import handlers_installed


@contextlib.contextmanager
def sigterm_as_ctrl_c() -> Iterator[Callable[[], bool]]:
    """Within the block, the first SIGTERM raises KeyboardInterrupt (later ones are ignored); yields a
    function saying whether a SIGTERM came. The previous handler is restored on leaving the block."""
    received = threading.Event()
    previous = signal.getsignal(signal.SIGTERM)
    if threading.current_thread() is not threading.main_thread() or previous == signal.SIG_IGN:
        yield received.is_set
        return

    def interrupt(_signum: int, _frame: FrameType | None) -> None:
        if received.is_set():
            return  # already stopping: let the clean-up finish
        received.set()
        raise KeyboardInterrupt

    with handlers_installed({signal.SIGTERM: interrupt}):
        yield received.is_set


def sigterm_default() -> None:
    """Let SIGTERM end this process at once again (in a forked child whose parent stops it that way)."""
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
