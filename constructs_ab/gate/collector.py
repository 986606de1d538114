"""Python's cyclic garbage collector paused while the gate builds and reads large object graphs.

Checkov builds its graph out of hundreds of thousands of small dicts and lists, and the gate unpickles
reports of tens of thousands of records; the collector, triggered every 700 allocations, walks them over
and over: about a fifth of a Checkov run on a large stack, and two thirds of reading its cached report.
Nothing is collected late that matters: a run's garbage is freed when its last reference goes, and the
cycles once the collector is back on. It costs a few percent more memory.
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator


@contextlib.contextmanager
def paused() -> Iterator[None]:
    """The collector off for the block, then as it was."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


@contextlib.contextmanager
def imports_paused() -> Iterator[None]:
    """The collector off while a block imports (Checkov's ~2,500 modules: classes, functions, constants
    and the checks' registries, which live as long as the process), then those objects moved out of its
    reach (`gc.freeze`), so no later collection walks them again, in this process or a forked worker."""
    with paused():
        yield
        gc.freeze()
