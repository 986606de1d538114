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
    """The logical id of the one resource of `type_` at construct path `path` (ids joined by "/")."""
    pattern = re.compile(re.escape(path.replace("/", "_")) + r"_[0-9A-F]{8}$")
    matches = [key for key in resources(doc, type_) if pattern.match(key)]
    assert len(matches) == 1, f"{type_} at {path}: found {matches} among {list(resources(doc, type_))}"
    return matches[0]


def resource(doc: Doc, type_: str, path: str) -> Doc:
    """The one resource of `type_` at construct path `path`."""
    return resources(doc, type_)[logical_id(doc, type_, path)]


def ref(doc: Doc, type_: str, path: str, attribute: str) -> str:
    """The Terraform reference `${type.logical_id.attribute}` to a resource at `path`."""
    return "${" + f"{type_}.{logical_id(doc, type_, path)}.{attribute}" + "}"
