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

import bisect
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from checkov.terraform_json.parser import prepare_definition

from constructs_ab.tfjson.cdktf import COMMENT_KEY, construct_paths, stack_name
from constructs_ab.tfjson.errors import TerraformInputError
from constructs_ab.tfjson.files import NOT_TERRAFORM, is_terraform_document, parse_json, read_text

_JSON_LINE_KEYS = ("__startline__", "__endline__", "__start_line__", "__end_line__")
_HCL_START_LINE = "__start_line__"
_HCL_END_LINE = "__end_line__"
_NEWLINE = re.compile("\n")


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


def load_terraform_json(path: Path, *, document: dict[str, Any] | None = None) -> TerraformJsonFile:
    """Parse one Terraform JSON file for Checkov (`document`: its parsed JSON when already read);
    TerraformInputError when it is not valid JSON or not Terraform."""
    text = read_text(path)
    if document is None:
        parsed = parse_json(path, text)
        if not is_terraform_document(parsed):
            raise TerraformInputError(f"{path}: {NOT_TERRAFORM}")
        assert isinstance(parsed, dict)
        document = parsed
    definition = prepare_definition(document)  # Checkov's own Terraform JSON -> HCL shape (values in lists)
    return TerraformJsonFile(
        path=path,
        definition=_to_hcl_shape(definition, _block_lines(text)),
        construct_paths=construct_paths(document),
        stack=stack_name(document),
    )


def _block_lines(text: str) -> dict[tuple[str, ...], tuple[int, int]]:
    """First and last line of every block: (`resource`, type, name), (`data`, type, name), (`provider`, name, i)
    and (block type, name) for the others. A position-aware walk with the C JSON decoder (Checkov's YAML-based
    JSON loader, which also records lines, is 10 to 50 times slower on large stacks)."""
    decoder = json.JSONDecoder()
    newlines = [match.start() for match in _NEWLINE.finditer(text)]

    def line_of(offset: int) -> int:
        return bisect.bisect_right(newlines, offset - 1) + 1

    def members(start: int) -> list[tuple[str, int, int]]:
        """(key, value start, value end) of the JSON object starting at `start`."""
        found: list[tuple[str, int, int]] = []
        index = _skip(text, start)
        if text[index] != "{":
            return found
        index = _skip(text, index + 1)
        while text[index] != "}":
            # The C string scanner: public at runtime, missing from the standard library's type stubs.
            key, index = json.decoder.scanstring(text, index + 1)  # type: ignore[attr-defined]
            index = _skip(text, _skip(text, index) + 1)  # past ':'
            _, end = decoder.raw_decode(text, index)
            found.append((key, index, end))
            index = _skip(text, end)
            if text[index] == ",":
                index = _skip(text, index + 1)
        return found

    lines: dict[tuple[str, ...], tuple[int, int]] = {}
    for block_type, start, end in members(0):
        if block_type in ("resource", "data"):
            for resource_type, type_start, _ in members(start):
                for name, value_start, value_end in members(type_start):
                    lines[(block_type, resource_type, name)] = (line_of(value_start), line_of(value_end - 1))
        elif block_type == COMMENT_KEY:
            continue
        elif text[_skip(text, start)] == "{":
            for name, value_start, value_end in members(start):
                if text[_skip(text, value_start)] == "[":
                    items = _array_items(text, decoder, value_start)
                    for position, (item_start, item_end) in enumerate(items):
                        lines[(block_type, name, str(position))] = (
                            line_of(item_start),
                            line_of(item_end - 1),
                        )
                lines[(block_type, name)] = (line_of(value_start), line_of(value_end - 1))
        lines[(block_type,)] = (line_of(start), line_of(end - 1))
    return lines


def _skip(text: str, index: int) -> int:
    while index < len(text) and text[index] in " \t\r\n":
        index += 1
    return index


def _array_items(text: str, decoder: json.JSONDecoder, start: int) -> list[tuple[int, int]]:
    items = []
    index = _skip(text, _skip(text, start) + 1)
    while text[index] != "]":
        _, end = decoder.raw_decode(text, index)
        items.append((index, end))
        index = _skip(text, end)
        if text[index] == ",":
            index = _skip(text, index + 1)
    return items


def _to_hcl_shape(
    definition: dict[str, Any], lines: dict[tuple[str, ...], tuple[int, int]]
) -> dict[str, Any]:
    """python-hcl2's shape: `__start_line__`/`__end_line__` on each top-level block only, no `//` keys."""
    shaped: dict[str, Any] = {}
    for block_type, blocks in definition.items():
        shaped_blocks = []
        provider_positions: dict[str, int] = {}
        for block in blocks:
            shaped_block = {}
            for key, value in block.items():
                if block_type in ("resource", "data") and isinstance(value, dict):
                    shaped_block[key] = {
                        name: _with_lines(
                            config, lines.get((block_type, key, name)) or lines.get((block_type,))
                        )
                        for name, config in value.items()
                    }
                elif block_type == "provider":
                    position = provider_positions.get(key, 0)
                    provider_positions[key] = position + 1
                    where = lines.get((block_type, key, str(position))) or lines.get((block_type, key))
                    shaped_block[key] = _with_lines(value, where)
                else:
                    shaped_block[key] = _with_lines(
                        value, lines.get((block_type, key)) or lines.get((block_type,))
                    )
            shaped_blocks.append(shaped_block)
        shaped[block_type] = shaped_blocks
    if "terraform" in shaped:
        # python-hcl2 yields one `terraform` block holding all its sub-blocks; Checkov's JSON parser one per key.
        merged: dict[str, Any] = {}
        for block in shaped["terraform"]:
            for key, value in block.items():
                merged[key] = value if isinstance(value, list) or key.startswith("__") else [value]
        shaped["terraform"] = [merged]
    return shaped


def _with_lines(config: Any, where: tuple[int, int] | None) -> Any:
    shaped = _strip(config)
    if isinstance(shaped, dict):
        start, end = where or (1, 1)
        shaped[_HCL_START_LINE] = start
        shaped[_HCL_END_LINE] = end
    return shaped


def _strip(value: Any) -> Any:
    if isinstance(value, dict):
        return {
            key: _strip(item)
            for key, item in value.items()
            if key not in _JSON_LINE_KEYS and key != COMMENT_KEY
        }
    if isinstance(value, list):
        return [_strip(item) for item in value]
    return value
