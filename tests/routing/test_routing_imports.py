"""The routing model is pure Python: no module imports cdktf, jsii or the constructs, and only `from_spec`
imports the spec (the review and the policies use the others and must not load the spec)."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import constructs_ab.routing

ROUTING = Path(constructs_ab.routing.__file__).parent
NEVER = ("cdktf", "cdktf_cdktf_provider_aws", "jsii", "constructs", "constructs_ab.provider")


def imports_of(path: Path) -> list[str]:
    names: list[str] = []
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.append(node.module)
    return names


def within(module: str, packages: tuple[str, ...]) -> bool:
    return any(module == name or module.startswith(name + ".") for name in packages)


def test_no_routing_module_imports_cdktf_and_only_from_spec_imports_the_spec() -> None:
    found = {
        path.name: [m for m in imports_of(path) if within(m, NEVER) or within(m, ("constructs_ab.spec",))]
        for path in sorted(ROUTING.glob("*.py"))
    }
    assert len(found) >= 9
    assert {name: modules for name, modules in found.items() if modules} == {
        "from_spec.py": ["constructs_ab.spec.match", "constructs_ab.spec.model"]
    }


def test_using_the_routing_model_from_a_spec_loads_no_cdktf_or_jsii() -> None:
    script = """
import sys
from constructs_ab.spec import load_spec
from constructs_ab.routing.from_spec import rules_of
spec = load_spec("examples/ab-experiments.yaml")
assert [rule.key for rule in rules_of(spec.environments[0].experiments[0])]
print(sorted(m for m in sys.modules if m.split(".")[0] in ("cdktf", "jsii", "constructs", "cdktf_cdktf_provider_aws")))
"""
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, cwd=ROUTING.parents[1]
    )
    assert result.stdout.strip() == "[]"
