"""Which layer may import what (docs/architecture.md, "Who may import what"): every import between the
package's layers, and every import of cdktf, the AWS provider bindings, boto3, Checkov and SciPy, is one
this table allows. Type-checking and lazy imports count."""

from __future__ import annotations

import ast
from pathlib import Path

from import_graph import PACKAGE, all_modules, imports_of

#: The modules at the top of the package that are not constructs; every other one is a construct module,
#: the only ones that import cdktf (the provider bindings through `provider`).
NOT_CONSTRUCTS = {
    "__main__",
    "aws_limits",
    "aws_names",
    "prop_checks",
    "stack_layout",
    "tagging",
}

#: Layer -> the layers it may import (besides itself and the package's `__init__`, which holds the
#: version). `routing` is the routing model but `from_spec`, the one routing module that reads the spec.
ALLOWED: dict[str, set[str]] = {
    "aws_limits": set(),
    "aws_names": set(),
    "cli.kit": set(),
    "tfjson": set(),
    "terraform": set(),
    "rollback_function": set(),  # the Lambda function's code: zipped alone, boto3 only
    "prop_checks": {"aws_limits"},
    "stack_layout": set(),  # an environment's stacks: names, order, state (pure Python)
    "routing": {"aws_limits", "prop_checks", "tfjson"},
    "tagging": {"routing"},
    # the spec's checks of what an experiment becomes (tag values, shadowed rules) read its routed rules
    "spec": {
        "aws_limits",
        "aws_names",
        "cli.kit",
        "routing",
        "routing.from_spec",
        "stack_layout",
        "tagging",
    },
    "routing.from_spec": {"routing", "spec"},
    "constructs": {
        "aws_limits",
        "aws_names",
        "prop_checks",
        "routing",
        "routing.from_spec",
        "spec",
        "stack_layout",
        "tagging",
    },
    "gate": {"cli", "cli.kit", "routing", "tfjson"},
    "review": {"cli.kit", "routing", "tfjson"},
    "rollout": {
        "analysis",  # reconcile reads the live split as analyze does
        "aws_limits",
        "aws_names",
        "cli",
        "cli.kit",
        "live",
        "review",
        "routing",
        "routing.from_spec",
        "spec",
        "stack_layout",
    },
    "live": {"aws_limits", "aws_names", "cli", "cli.kit", "review", "routing", "routing.from_spec", "spec"},
    "analysis": {"aws_limits", "aws_names", "cli", "cli.kit", "live", "review", "rollout", "spec"},
    "cli": {"cli.kit", "constructs", "gate", "spec", "stack_layout"},
    "emulator": {
        "aws_names",
        "cli",
        "cli.kit",
        "live",
        "routing",
        "routing.from_spec",
        "spec",
        "stack_layout",
        "terraform",
    },
    "__main__": {"cli.kit"},
}

#: Third-party package -> the layers that may import it.
THIRD_PARTY: dict[str, set[str]] = {
    "cdktf": {"constructs"},
    "constructs": {"constructs"},
    "jsii": {"constructs"},
    "cdktf_cdktf_provider_aws": {"provider"},  # one module: constructs_ab/provider.py
    "boto3": {"live", "analysis", "emulator", "rollback_function"},
    "botocore": {"live", "analysis", "emulator"},
    "checkov": {"gate"},
    "scipy": {"analysis"},
    "numpy": {"analysis"},
}

#: What the policies (policies/, loaded by Checkov) may import of the package.
POLICIES_ALLOWED = {"aws_limits", "prop_checks", "routing", "tfjson"}


def layer_of(module: str) -> str:
    """The layer of a module: its package under `constructs_ab`, `constructs` for a module at the top that
    is not in NOT_CONSTRUCTS, else the module itself."""
    parts = module.split(".")[1:]
    if not parts:
        return "package"
    if len(parts) == 1 and parts[0] not in NOT_CONSTRUCTS and not (PACKAGE / parts[0]).is_dir():
        return "constructs"
    if parts[:2] == ["cli", "kit"]:
        return "cli.kit"
    if parts[:2] == ["routing", "from_spec"]:
        return "routing.from_spec"
    return parts[0]


def third_party_of(path: Path) -> set[str]:
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            found |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.add(node.module.split(".")[0])
    return found & set(THIRD_PARTY)


def test_every_layer_is_in_the_table() -> None:
    # a new package is a new layer: give it a row here and in docs/architecture.md
    layers = {layer_of(name) for name in all_modules()} - {"package"}
    assert layers == set(ALLOWED)
    assert layer_of("constructs_ab.experiment") == "constructs"
    assert layer_of("constructs_ab.gate") == layer_of("constructs_ab.gate.cli") == "gate"


def test_each_layer_imports_only_what_it_may() -> None:
    modules = all_modules()
    wrong = {}
    for name, path in modules.items():
        layer = layer_of(name)
        if layer == "package":
            continue
        imported = {layer_of(target) for target in imports_of(name, path, modules)} - {layer, "package"}
        if imported - ALLOWED[layer]:
            wrong[name] = sorted(imported - ALLOWED[layer])
    assert wrong == {}


def test_cdktf_boto3_checkov_and_scipy_are_imported_only_where_they_belong() -> None:
    wrong = {}
    for name, path in all_modules().items():
        layer = layer_of(name)
        for package in third_party_of(path):
            where = name.rsplit(".", 1)[-1] if package == "cdktf_cdktf_provider_aws" else layer
            if where not in THIRD_PARTY[package]:
                wrong.setdefault(name, []).append(package)
    assert wrong == {}


def test_the_policies_import_only_the_routing_model_tfjson_and_the_limits() -> None:
    policies = PACKAGE.parent / "policies"
    wrong = {}
    for path in sorted(policies.glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                parts = node.module.split(".")
                if parts[0] != "constructs_ab":
                    continue
                names = [f"{node.module}.{alias.name}" for alias in node.names]
                layers = {layer_of(name) if len(parts) == 1 else layer_of(node.module) for name in names}
                if layers - POLICIES_ALLOWED:
                    wrong[path.name] = sorted(layers - POLICIES_ALLOWED)
    assert len(list(policies.glob("*.py"))) > 15
    assert wrong == {}
