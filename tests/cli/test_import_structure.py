"""No import cycle anywhere in the package (type-checking and lazy imports count), and every module of the
command line and the layers it runs (cli, gate, review, rollout, tfjson, live, analysis) imports alone in
a fresh interpreter without loading cdktf or jsii."""

from __future__ import annotations

import json
import subprocess
import sys

from import_graph import PACKAGE, all_modules, cycles, imports_of

CHECKED = ("cli", "gate", "review", "rollout", "tfjson", "live", "analysis")
CDKTF = ("cdktf", "jsii", "constructs", "cdktf_cdktf_provider_aws")


def in_checked(module: str) -> bool:
    return any(module == f"constructs_ab.{p}" or module.startswith(f"constructs_ab.{p}.") for p in CHECKED)


def test_the_cycle_finder_finds_a_lazy_import_cycle() -> None:
    assert cycles({"a": {"b"}, "b": {"a"}, "c": {"a"}}) == [["a", "b"]]


def test_no_import_cycle_in_the_package() -> None:
    modules = all_modules()
    graph = {name: imports_of(name, path, modules) for name, path in modules.items()}
    assert graph["constructs_ab.review.diff_cli"] >= {
        "constructs_ab.review.diff",
        "constructs_ab.review.diff_render",
    }
    assert graph["constructs_ab.spec.names"] >= {"constructs_ab.spec.rules"}
    assert cycles(graph) == []


def test_the_kit_imports_nothing_of_the_project_but_itself() -> None:
    modules = all_modules()
    for name, path in modules.items():
        if name.startswith("constructs_ab.cli.kit"):
            assert all(m.startswith("constructs_ab.cli.kit") for m in imports_of(name, path, modules)), name


_PROBE = r"""
import json, os, sys
results = {}
for name in sys.argv[1:]:
    read, write = os.pipe()
    child = os.fork()
    if child == 0:
        os.close(read)
        try:
            __import__(name)
            loaded = sorted(m for m in sys.modules if m.split(".")[0] in CDKTF)
            message = {"ok": True, "cdktf": loaded}
        except BaseException as error:
            message = {"ok": False, "error": f"{type(error).__name__}: {error}"}
        os.write(write, json.dumps(message).encode())
        os._exit(0)
    os.close(write)
    chunks = []
    while chunk := os.read(read, 65536):
        chunks.append(chunk)
    os.close(read)
    os.waitpid(child, 0)
    results[name] = json.loads(b"".join(chunks) or b'{"ok": false, "error": "no answer"}')
print(json.dumps(results))
"""


def test_each_module_imports_alone_in_a_fresh_interpreter_without_cdktf() -> None:
    # one interpreter that has imported nothing of the project forks a child per module: each child is
    # a fresh start for the project's modules, at a fraction of an interpreter's start-up cost
    names = [name for name in all_modules() if in_checked(name)]
    assert len(names) >= 40
    result = subprocess.run(
        [sys.executable, "-c", f"CDKTF = {CDKTF!r}\n{_PROBE}", *names],
        capture_output=True,
        text=True,
        cwd=PACKAGE.parent,
        check=True,
        timeout=600,
    )
    outcomes = json.loads(result.stdout)
    assert {name: o for name, o in outcomes.items() if o != {"ok": True, "cdktf": []}} == {}
