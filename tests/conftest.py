"""Shared test settings: the jsii banner is silenced, Node loads the provider lazily as in main.py, the
gate's result cache is a temporary folder of the session (never the project's), and hypothesis has no
per-example deadline (the machine is shared and timing-noisy; speed is measured by bench/, never by
tests).

Tests that run Terraform (tests/terraform, tests/e2e) take the `terraform_toolchain` fixture: Terraform and
the provider mirror found as the product finds them (`constructs_ab.terraform`), else the test is skipped
with one line saying what is missing, or fails with that line under `AB_REQUIRE_TERRAFORM=1` (what
`.ci/run` sets, so CI never skips them silently). `emulator_toolchain` adds moto for the end-to-end tests,
the same way."""

from __future__ import annotations

import atexit
import importlib.util
import os
import shutil
import signal
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import settings

from constructs_ab import node_lazy_index
from constructs_ab.terraform.errors import TerraformUnavailable
from constructs_ab.terraform.toolchain import TemporaryToolchain, Toolchain

REQUIRE_TERRAFORM_ENV_VAR = "AB_REQUIRE_TERRAFORM"

os.environ.setdefault("JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION", "20")
# The Ctrl-C tests send SIGINT to this process and its children: a run started in the background by a
# shell without job control (`make test &`, `nohup ... &`) inherits SIGINT ignored, and so would every
# child. Python's own handler here gives the children the default back (a handled signal resets on exec).
if signal.getsignal(signal.SIGINT) == signal.SIG_IGN:
    signal.signal(signal.SIGINT, signal.default_int_handler)
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


def _missing(reason: str) -> None:
    """Skip (or, under AB_REQUIRE_TERRAFORM=1, fail) with one line naming what is missing."""
    if os.environ.get(REQUIRE_TERRAFORM_ENV_VAR) == "1":
        pytest.fail(f"{REQUIRE_TERRAFORM_ENV_VAR}=1 but {reason}", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="session")
def terraform_toolchain() -> Iterator[Toolchain]:
    """Terraform, the provider mirror and a CLI configuration of our own, once per session."""
    context = TemporaryToolchain()
    try:
        toolchain = context.__enter__()
    except TerraformUnavailable as error:
        _missing(str(error))
        raise
    try:
        yield toolchain
    finally:
        context.__exit__(None, None, None)


@pytest.fixture(scope="session")
def emulator_toolchain(terraform_toolchain: Toolchain) -> Toolchain:
    """The toolchain, when moto (the emulator, a pinned dev dependency) is installed too."""
    if importlib.util.find_spec("moto") is None:
        _missing("moto is not installed (a pinned dev dependency: run `make install`)")
    return terraform_toolchain
