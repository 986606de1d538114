"""Synthesize constructs in a test stack and look resources up in the Terraform JSON."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any

from cdktf import TerraformStack, Testing

Doc = dict[str, Any]


def empty_stack() -> TerraformStack:
    """A new stack in a new test app (`Testing.synth_scope` is broken in Python)."""
    return TerraformStack(Testing.app(), "test")


def synth_stack(stack: TerraformStack) -> Doc:
    return json.loads(Testing.synth(stack))


def synth(build: Callable[[TerraformStack], object]) -> Doc:
    """Build constructs in an empty test stack and return the synthesized JSON."""
    stack = empty_stack()
    build(stack)
    return synth_stack(stack)


def resources(doc: Doc, type_: str) -> dict[str, Doc]:
    """All resources of one type, by logical id (empty when there are none)."""
    return doc.get("resource", {}).get(type_, {})


def logical_id(doc: Doc, type_: str, path: str) -> str:
    """The logical id of the one resource of `type_` at construct path `path` (ids joined by "/", without
    the stack): cdktf's `<path joined by _>_<hash>`, or an id set with `override_logical_id` (such as a
    listener rule's `lb-public_rule-105`), found by the construct path in the resource's metadata."""
    pattern = re.compile(re.escape(path.replace("/", "_")) + r"_[0-9A-F]{8}$")
    matches = [
        key
        for key, body in resources(doc, type_).items()
        if pattern.match(key)
        or body.get("//", {}).get("metadata", {}).get("path", "").split("/", 1)[-1] == path
        or (type_ == "aws_lb_listener_rule" and _rule_path(body) == path)
    ]
    assert len(matches) == 1, f"{type_} at {path}: found {matches} among {list(resources(doc, type_))}"
    return matches[0]


def resource(doc: Doc, type_: str, path: str) -> Doc:
    """The one resource of `type_` at construct path `path`."""
    return resources(doc, type_)[logical_id(doc, type_, path)]


def ref(doc: Doc, type_: str, path: str, attribute: str) -> str:
    """The Terraform reference `${type.logical_id.attribute}` to a resource at `path`."""
    return "${" + f"{type_}.{logical_id(doc, type_, path)}.{attribute}" + "}"


def _rule_path(body: Doc) -> str | None:
    """The construct path of one of our listener rules, from its tags (`Testing.synth` leaves out the
    metadata, and the rules' Terraform names are their listener and priority)."""
    tags = body.get("tags", {})
    if "experiment" not in tags:
        return None
    key = "split" if tags.get("ab-role") == "split" else f"override-{tags.get('variant')}"
    return f"experiment-{tags['experiment']}/{key}"
