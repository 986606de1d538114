"""Signal handlers set for the length of a block, the previous ones put back after it.

`signal.signal` returns None for a handler that was not set from Python; None is put back as the
default action (`SIG_DFL`). Python runs signal handlers in the main thread only, so callers set them
there (`interrupts`, `termination`).
"""

from __future__ import annotations

import contextlib
import signal
from collections.abc import Iterator, Mapping
from typing import Any


@contextlib.contextmanager
def handlers_installed(handlers: Mapping[int, Any]) -> Iterator[None]:
    """Within the block, each signal of `handlers` has its handler (a function, `SIG_IGN` or `SIG_DFL`);
    on leaving it, normally or by an exception, each has its previous handler again."""
    previous = {signum: signal.signal(signum, handler) for signum, handler in handlers.items()}
    try:
        yield
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, signal.SIG_DFL if handler is None else handler)
