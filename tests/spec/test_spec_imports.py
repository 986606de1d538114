"""The spec layer is pure Python: importing and using it loads neither cdktf nor jsii."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_loading_a_spec_imports_no_cdktf_or_jsii() -> None:
    code = (
        "import sys\n"
        "from constructs_ab.spec import load_spec\n"
        "load_spec('examples/ab-experiments.yaml')\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('cdktf', 'jsii', 'constructs',"
        " 'cdktf_cdktf_provider_aws'))\n"
        "print(','.join(bad))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == ""
