"""The provider import shims: only the used Python submodules load, Node loads the provider's JavaScript
modules lazily, the jsii kernel runs in a single Node.js process (constructs_ab/jsii_runtime.py), and the
synthesized JSON is the same as with the plain package import and jsii's own two-process runtime.

Both variants run in fresh subprocesses (the test process may have loaded either form already),
started together so they share the wall time.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from constructs_ab import jsii_runtime

REPO = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent

SYNTH_EXAMPLE = """
import json, sys
sys.path[:0] = [{repo!r}, {here!r}]
import os
from constructs_ab import jsii_runtime, node_lazy_index
if {plain!r}:
    import cdktf_cdktf_provider_aws  # the package __init__: every submodule
else:
    node_lazy_index.install()
    jsii_runtime.install()
node_options = os.environ.get("NODE_OPTIONS", "")
from cdktf import Testing
import constructs_ab.provider as provider
from constructs_ab.environment_stack import EnvironmentStack
import example_environments
loaded = sorted(m for m in sys.modules if m.startswith("cdktf_cdktf_provider_aws."))
documents = {{}}
for environment in (example_environments.prod(), example_environments.staging()):
    documents[environment.name] = json.loads(Testing.synth(EnvironmentStack(Testing.app(), environment)))
package = sys.modules["cdktf_cdktf_provider_aws"]
lazy = package.vpc.Vpc.__name__  # a submodule reached through the package attribute
result = {{"bare": provider.is_bare_package(), "loaded": loaded, "lazy": lazy, "documents": documents,
          "node_preload": str(node_lazy_index.PRELOAD_SCRIPT) in node_options,
          "runtime": os.environ.get("JSII_RUNTIME")}}
print(json.dumps(result))
"""


def environment(mode: str) -> dict[str, str]:
    """The shim runs with every shim; the plain run with none (no preload in NODE_OPTIONS, jsii's own
    runtime)."""
    env = {k: v for k, v in os.environ.items() if k not in ("NODE_OPTIONS", "JSII_RUNTIME")}
    env["JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION"] = "20"
    if mode == "plain":
        env["AB_LAZY_NODE_INDEX"] = "0"
        env["AB_JSII_SINGLE_PROCESS"] = "0"
    return env


def run_both() -> dict[str, dict[str, object]]:
    processes = {
        mode: subprocess.Popen(
            [
                sys.executable,
                "-c",
                SYNTH_EXAMPLE.format(repo=str(REPO), here=str(HERE), plain=mode == "plain"),
            ],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=environment(mode),
        )
        for mode in ("shim", "plain")
    }
    results = {}
    for mode, process in processes.items():
        out, err = process.communicate(timeout=300)
        assert process.returncode == 0, f"{mode}: {err[-2000:]}"
        results[mode] = json.loads(out.strip().splitlines()[-1])
    return results


@pytest.fixture(scope="module")
def results() -> dict[str, dict[str, object]]:
    return run_both()


def test_shim_loads_only_the_submodules_it_uses(results: dict[str, dict[str, object]]) -> None:
    shim = results["shim"]
    assert shim["bare"] is True
    loaded = shim["loaded"]
    assert isinstance(loaded, list)
    assert "cdktf_cdktf_provider_aws.lb_listener_rule" in loaded
    assert "cdktf_cdktf_provider_aws.accessanalyzer_analyzer" not in loaded  # the package __init__ imports it
    submodules = {name.split(".")[1] for name in loaded}
    assert len(submodules) < 40, sorted(submodules)


def test_node_loads_the_provider_lazily_with_the_shim_only(results: dict[str, dict[str, object]]) -> None:
    assert (results["shim"]["node_preload"], results["plain"]["node_preload"]) == (True, False)


def test_the_kernel_runs_in_one_node_process_with_the_shim_only(
    results: dict[str, dict[str, object]],
) -> None:
    assert (results["shim"]["runtime"], results["plain"]["runtime"]) == (str(jsii_runtime.ENTRY_SCRIPT), None)


def test_plain_import_loads_the_whole_package(results: dict[str, dict[str, object]]) -> None:
    plain = results["plain"]
    assert plain["bare"] is False
    loaded = plain["loaded"]
    assert isinstance(loaded, list) and len({name.split(".")[1] for name in loaded}) > 2000


def test_synthesized_json_is_identical_with_the_shims_and_the_plain_imports(
    results: dict[str, dict[str, object]],
) -> None:
    documents = results["shim"]["documents"]
    assert isinstance(documents, dict) and set(documents) == {"prod", "staging"}
    assert documents["prod"]["resource"]["aws_lb_listener_rule"]  # a real stack, not an empty one
    assert documents == results["plain"]["documents"]


def test_bare_package_resolves_other_submodules_on_attribute_access(
    results: dict[str, dict[str, object]],
) -> None:
    assert results["shim"]["lazy"] == "Vpc"
