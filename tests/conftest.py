"""Shared test settings: the jsii banner is silenced, Node loads the provider lazily as in main.py, the
gate's result cache is a temporary folder of the session (never the project's), and hypothesis has no
per-example deadline (the machine is shared and timing-noisy; speed is measured by bench/, never by
tests)."""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import settings

from constructs_ab import node_lazy_index

os.environ.setdefault("JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION", "20")
if "AB_GATE_CACHE_DIR" not in os.environ:  # the gate's result cache: the session's own, never the project's
    _gate_cache = tempfile.mkdtemp(prefix="ab-gate-cache-tests-")
    os.environ["AB_GATE_CACHE_DIR"] = _gate_cache
    atexit.register(shutil.rmtree, _gate_cache, ignore_errors=True)
node_lazy_index.install()  # in-process synths start Node with the lazy provider index, as main.py does

settings.register_profile("default", deadline=None, print_blob=True)
settings.load_profile("default")


@pytest.fixture(scope="session")
def moto_endpoint() -> Iterator[str]:
    """The local AWS emulator (moto's server on 127.0.0.1 and a free port), one per test session."""
    from aws_emulator import start_moto

    yield from start_moto()


@pytest.fixture
def emulator(moto_endpoint: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> str:
    """An empty emulator that boto3's standard chain reaches (AWS_ENDPOINT_URL, fake keys); its URL."""
    from aws_emulator import use_emulator

    use_emulator(monkeypatch, moto_endpoint, tmp_path)
    return moto_endpoint
