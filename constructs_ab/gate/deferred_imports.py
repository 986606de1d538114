"""Modules Checkov imports when it loads but uses only to upload to its vendor's platform, loaded by the
gate when first used instead (they never are: the gate is offline, see `quiet.py`).

Checkov 3.3 imports `aiohttp` (its asynchronous report upload, with asyncio, yarl, multidict and two TLS
contexts made at import) and `boto3` (its upload to the platform's S3 bucket) at the top of modules that
every run imports. `install()` makes the next import of each return a module whose code runs at its first
attribute access (`importlib.util.LazyLoader`): the same module, just later, or never. Measured on the
gate's import of Checkov and its checks: about 0.14 s of CPU less (1.01 -> 0.87 s, medians of 8
alternating runs). Only these top-level names are deferred; a module already imported is left as it is.
tests/gate/test_gate_isolation.py checks that a gate run (with --jobs 1, so all of it in one process)
leaves them unloaded.
"""

from __future__ import annotations

import importlib.abc
import importlib.machinery
import importlib.util
import sys
from collections.abc import Sequence
from types import ModuleType

DEFERRED = frozenset({"aiohttp", "boto3"})


class _DeferringFinder(importlib.abc.MetaPathFinder):
    """Finds a deferred module with the other finders, and wraps its loader in a LazyLoader."""

    def find_spec(
        self, fullname: str, path: Sequence[str] | None, target: ModuleType | None = None
    ) -> importlib.machinery.ModuleSpec | None:
        if fullname not in DEFERRED:
            return None
        for finder in sys.meta_path:
            if finder is self or not hasattr(finder, "find_spec"):
                continue
            spec = finder.find_spec(fullname, path, target)
            if spec is not None:
                if spec.loader is not None and hasattr(spec.loader, "exec_module"):
                    spec.loader = importlib.util.LazyLoader(spec.loader)
                return spec
        return None


def install() -> None:
    """Defer the modules of `DEFERRED` not imported yet (once per process; before the first `import
    checkov` for it to matter)."""
    if not any(isinstance(finder, _DeferringFinder) for finder in sys.meta_path):
        sys.meta_path.insert(0, _DeferringFinder())


def loaded(name: str) -> bool:
    """Whether module `name` was imported and its code ran (not merely deferred)."""
    module = sys.modules.get(name)
    return module is not None and type(module).__name__ != "_LazyModule"  # type(): no attribute access
