"""Which inputs are this product's synthesized stacks: only those get the skips written for our stacks.

A stack is ours when it is a cdktf stack file (cdktf's `stackName` metadata) and one of:

- the synth output marker `.constructs-ab-synth.json` is at its output root (the folder holding
  `stacks/<stack>/cdk.tf.json`) and names our synth as its tool: our synth writes it next to cdktf's
  `manifest.json` (`constructs_ab/cli/output_target.py`);
- a listener rule carries our routing contract: an `ab-role` tag of `split` or `override` and an
  `experiment` tag (what the constructs write on every experiment's rules).

Anything else (hand-written HCL or JSON, another cdktf app, our output copied without its marker and with no
experiment) is someone else's Terraform: it is checked with its own project's Checkov configuration.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from constructs_ab.cli.output_target import MARKER_FILE, MARKER_TOOL
from constructs_ab.routing.contract import AB_ROLE_TAG, EXPERIMENT_TAG, RuleRole
from constructs_ab.tfjson.cdktf import stack_name
from constructs_ab.tfjson.discovery import Stack
from constructs_ab.tfjson.resource_types import RULE_TYPES
from constructs_ab.tfjson.resources import of_types

#: The marker file our synth writes at the root of its output directory (defined with the synth's output).
SYNTH_MARKER_FILE = MARKER_FILE
_CONTRACT_ROLES = (RuleRole.SPLIT.value, RuleRole.OVERRIDE.value)


def is_our_stack(stack: Stack) -> bool:
    """Whether `stack` is a stack our synth wrote (see the module docstring)."""
    if not stack.cdktf or len(stack.files) != 1:
        return False
    (file,) = stack.files
    document = file.document
    if document is None or stack_name(document) is None:
        return False
    stack_folder = file.path.resolve().parent
    if stack_folder.parent.name == "stacks" and _is_our_marker(
        stack_folder.parent.parent / SYNTH_MARKER_FILE
    ):
        return True
    return _has_contract_rule(document)


def _is_our_marker(path: Path) -> bool:
    try:
        marker = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError):
        return False
    return isinstance(marker, dict) and marker.get("tool") == MARKER_TOOL


def _has_contract_rule(document: Mapping[str, Any]) -> bool:
    return any(
        rule.tags.get(AB_ROLE_TAG) in _CONTRACT_ROLES and rule.tags.get(EXPERIMENT_TAG)
        for rule in of_types([document], RULE_TYPES)
    )
