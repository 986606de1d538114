"""`npx cdktf synth` (through cdktf.json) writes the same stacks as `python main.py`."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def test_npx_cdktf_synth_writes_the_same_stacks_as_main_py(tmp_path: Path) -> None:
    env = {
        **{k: v for k, v in os.environ.items() if k not in ("CDKTF_OUTDIR", "AB_SPEC")},
        "CHECKPOINT_DISABLE": "1",
        "JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION": "20",
        # cdktf.json runs main.py through pipenv, which finds the project's .venv
        "PIPENV_VENV_IN_PROJECT": "1",
        "PIPENV_VERBOSITY": "-1",
    }

    npx_out, main_out = tmp_path / "npx", tmp_path / "main"
    cli = subprocess.run(
        ["npx", "cdktf", "synth", "--output", str(npx_out)], cwd=REPO, env=env, capture_output=True, text=True
    )
    assert cli.returncode == 0, cli.stdout + cli.stderr
    direct = subprocess.run(
        [sys.executable, "main.py", "--outdir", str(main_out)],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
    )
    assert direct.returncode == 0, direct.stderr

    for stack in ("prod", "staging"):
        from_cli = json.loads((npx_out / "stacks" / stack / "cdk.tf.json").read_text())
        from_main = json.loads((main_out / "stacks" / stack / "cdk.tf.json").read_text())
        assert from_cli == from_main
