"""Which stacks each App of a synth builds: `build_app` wrapped to record them, for the synth reuse tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from constructs_ab import app as app_module
from constructs_ab.spec.model import Spec


def record_built_stacks(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The names of the stacks each App builds from now on (an environment's for `stacks: one`), in the
    order they are built; the list fills as the synth runs."""
    built: list[str] = []
    real = app_module.build_app

    def recording(spec: Spec, outdir: Path, only=None):  # type: ignore[no-untyped-def]
        app = real(spec, outdir, only)
        built.extend(stack.node.id for stack in app.node.children)
        return app

    monkeypatch.setattr(app_module, "build_app", recording)
    return built
