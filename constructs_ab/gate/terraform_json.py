"""Reading Terraform JSON (`*.tf.json`, cdktf's `cdk.tf.json`) into the shape Checkov's HCL parser produces.

Checkov's Terraform runner parses only HCL, and its separate Terraform JSON runner reports resources as
`resource.<name>` and builds no skip context. So the gate converts Terraform JSON into exactly what
`python-hcl2` yields for the same configuration (every value wrapped in a list, `__start_line__` and
`__end_line__` on each top-level block only) and lets the one Terraform runner check JSON and HCL together,
with the graph, the built-in checks and `policies/`.

cdktf writes `"//": {"metadata": {"path": "<stack>/<construct path>", ...}}` into every resource. The
converter removes these comment keys from what Checkov sees (Checkov's own JSON parser keeps them inside
resources as an unwrapped attribute) and keeps each construct path in `construct_paths`, keyed by
(file, resource address), so the summary can map each resource back to its construct.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from checkov.terraform_json.parser import prepare_definition

from constructs_ab.gate.errors import GateInputError

COMMENT_KEY = "//"
_JSON_LINE_KEYS = ("__startline__", "__endline__")
_HCL_START_LINE = "__start_line__"
_HCL_END_LINE = "__end_line__"

# Top-level keys of the Terraform JSON syntax; a JSON file with none of them is not Terraform.
# See: https://developer.hashicorp.com/terraform/language/syntax/json
TERRAFORM_TOP_LEVEL_KEYS = frozenset(
    {"resource", "data", "provider", "terraform", "module", "variable", "output", "locals", "check", "import", "moved", "removed"}
)


@dataclass(frozen=True, kw_only=True)
class TerraformJsonFile:
    """One parsed Terraform JSON file.

    definition: the HCL-shaped definition Checkov's Terraform runner expects.
    construct_paths: resource address (`aws_lb.public_alb_1A2B`) -> cdktf construct path
        (`prod/public/alb`); empty for Terraform JSON not written by cdktf.
    stack: cdktf's stack name from the top-level `//` metadata, or None when absent.
    """

    path: Path
    definition: dict[str, Any]
    construct_paths: dict[str, str] = field(default_factory=dict)
    stack: str | None = None


def is_terraform_document(document: object) -> bool:
    """Whether a parsed JSON value is a Terraform JSON configuration (an object with a Terraform block type)."""
    return isinstance(document, dict) and any(key in TERRAFORM_TOP_LEVEL_KEYS for key in document)


def read_json(path: Path) -> object:
    """The parsed JSON of `path`; GateInputError with the line and column when the file is not valid JSON."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except OSError as error:
        raise GateInputError(f"{path}: cannot read the file ({error.strerror or error})") from None
    except UnicodeDecodeError:
        raise GateInputError(f"{path}: not a text file (it is not UTF-8)") from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        raise GateInputError(
            f"{path}: invalid JSON at line {error.lineno}, column {error.colno}: {error.msg}"
        ) from None


def load_terraform_json(path: Path) -> TerraformJsonFile:
    """Parse one Terraform JSON file for Checkov; GateInputError when it is not valid JSON or not Terraform."""
    document = read_json(path)
    if not is_terraform_document(document):
        raise GateInputError(
            f"{path}: not a Terraform JSON configuration (expected an object with one of: "
            "resource, data, provider, terraform, module, variable, output, locals)"
        )
    assert isinstance(document, dict)
    construct_paths = _construct_paths(document)
    stack = _stack_name(document)
    # Checkov's own JSON loader records the line of every object; reuse it, then reshape to python-hcl2's form.
    from checkov.common.parsers.yaml import loader

    located = loader.loads(content=path.read_text(encoding="utf-8-sig"))
    if isinstance(located, list):
        located = located[0] if located else {}
    definition = prepare_definition(located or {})
    return TerraformJsonFile(
        path=path, definition=_to_hcl_shape(definition), construct_paths=construct_paths, stack=stack
    )


def _construct_paths(document: dict[str, Any]) -> dict[str, str]:
    paths: dict[str, str] = {}
    for block_type, prefix in (("resource", ""), ("data", "data.")):
        blocks = document.get(block_type)
        if not isinstance(blocks, dict):
            continue
        for resource_type, resources in blocks.items():
            if not isinstance(resources, dict):
                continue
            for name, config in resources.items():
                if not isinstance(config, dict):
                    continue
                metadata = config.get(COMMENT_KEY, {}).get("metadata", {}) if isinstance(config.get(COMMENT_KEY), dict) else {}
                construct_path = metadata.get("path") if isinstance(metadata, dict) else None
                if isinstance(construct_path, str):
                    paths[f"{prefix}{resource_type}.{name}"] = construct_path
    return paths


def _stack_name(document: dict[str, Any]) -> str | None:
    comment = document.get(COMMENT_KEY)
    if isinstance(comment, dict) and isinstance(comment.get("metadata"), dict):
        name = comment["metadata"].get("stackName")
        return name if isinstance(name, str) else None
    return None


def _to_hcl_shape(definition: dict[str, Any]) -> dict[str, Any]:
    """Rename the line keys of top-level blocks to python-hcl2's names; drop them and `//` everywhere else."""
    shaped: dict[str, Any] = {}
    for block_type, blocks in definition.items():
        shaped_blocks = []
        for block in blocks:
            shaped_blocks.append({key: _shape_block(value, block_type) for key, value in block.items()})
        shaped[block_type] = shaped_blocks
    if "terraform" in shaped:
        # python-hcl2 yields one `terraform` block holding all its sub-blocks; Checkov's JSON parser one per key.
        merged: dict[str, Any] = {}
        for block in shaped["terraform"]:
            for key, value in block.items():
                merged[key] = value if isinstance(value, list) else [value]
        shaped["terraform"] = [merged]
    return shaped


def _shape_block(value: Any, block_type: str) -> Any:
    if block_type in ("resource", "data") and isinstance(value, dict):
        # {name: config}
        return {name: _shape_entity(config) for name, config in value.items()}
    return _shape_entity(value)


def _shape_entity(config: Any) -> Any:
    if not isinstance(config, dict):
        return _strip(config)
    shaped = {key: _strip(value) for key, value in config.items() if key not in _JSON_LINE_KEYS and key != COMMENT_KEY}
    if "__startline__" in config:
        shaped[_HCL_START_LINE] = config["__startline__"]
        shaped[_HCL_END_LINE] = config["__endline__"]
    return shaped


def _strip(value: Any) -> Any:
    if isinstance(value, dict):
        return {key: _strip(item) for key, item in value.items() if key not in _JSON_LINE_KEYS and key != COMMENT_KEY}
    if isinstance(value, list):
        return [_strip(item) for item in value]
    return value
