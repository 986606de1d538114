"""The Terraform and emulator packages are pure Python: they never import cdktf, jsii or constructs (a
stack is synthesized by a child `python -m constructs_ab synth`)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

REPOSITORY = Path(__file__).resolve().parents[2]
FORBIDDEN = ("cdktf", "cdktf_cdktf_provider_aws", "jsii", "constructs")


def test_importing_every_module_loads_no_cdktf_jsii_or_constructs() -> None:
    modules = [
        f"constructs_ab.{package}.{path.stem}"
        for package in ("terraform", "emulator")
        for path in sorted((REPOSITORY / "constructs_ab" / package).glob("*.py"))
        if path.stem != "__init__"
    ]
    assert len(modules) >= 15
    script = (
        "import importlib, sys\n"
        f"for name in {modules!r}: importlib.import_module(name)\n"
        f"forbidden = {FORBIDDEN!r}\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in forbidden))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, cwd=REPOSITORY
    )
    assert result.stdout.strip() == "[]"
