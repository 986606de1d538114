"""The gate never imports cdktf or jsii, makes no network call and never runs the modules of Checkov's
platform upload it defers (run in a fresh interpreter)."""

from __future__ import annotations

import json
import subprocess
import sys

from .conftest import REPOSITORY_ROOT

_PROBE = r"""
import json, socket, sys
calls = []
def refuse(*args, **kwargs):
    calls.append(repr(args[:2]))
    raise OSError("network disabled by the test")
socket.socket.connect = refuse
socket.socket.connect_ex = refuse
socket.getaddrinfo = refuse
socket.create_connection = refuse
from constructs_ab.gate.cli import main
from constructs_ab.gate import deferred_imports
code = main(sys.argv[1:])
loaded = sorted(m for m in sys.modules if m.split(".")[0] in ("cdktf", "jsii", "constructs", "cdktf_cdktf_provider_aws"))
deferred = {name: name in sys.modules for name in sorted(deferred_imports.DEFERRED)}
ran = sorted(name for name in deferred_imports.DEFERRED if deferred_imports.loaded(name))
print(json.dumps({"code": code, "loaded": loaded, "network": calls, "deferred": deferred, "ran": ran}),
      file=sys.stderr)
"""


def test_gate_imports_no_cdktf_and_calls_no_network(example):
    stacks, config = example
    result = subprocess.run(
        [sys.executable, "-c", _PROBE, "--jobs", "1", "--no-cache", "--config", str(config), str(stacks)],
        cwd=REPOSITORY_ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    probe = json.loads(result.stderr.strip().splitlines()[-1])
    imported = {"aiohttp": True, "boto3": True}  # Checkov imports them; their code never runs
    assert probe == {"code": 0, "loaded": [], "network": [], "deferred": imported, "ran": []}
    assert "Traceback" not in result.stderr
