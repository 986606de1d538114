"""The resources of Terraform JSON documents, in either block shape Terraform allows.

`{"resource": {"aws_lb": {"x": {...}}}}` and the list forms (`"resource": [{"aws_lb": [{"x": [{...}]}]}]`)
are the same configuration; Checkov's normalized form (values wrapped in lists) reads the same too.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from constructs_ab.tfjson.resource_types import canonical
from constructs_ab.tfjson.values import blocks, tags


@dataclass(frozen=True, kw_only=True)
class Resource:
    """One resource: its type as written, its name and its body (the first body when written twice)."""

    type: str
    name: str
    body: Mapping[str, Any]

    @property
    def address(self) -> str:
        return f"{self.type}.{self.name}"

    @property
    def canonical_type(self) -> str:
        """The type with the provider's aliases resolved (`aws_alb` -> `aws_lb`)."""
        return canonical(self.type)

    @property
    def tags(self) -> dict[str, str]:
        return tags(self.body)


def resources(documents: Iterable[Mapping[str, Any]]) -> Iterator[Resource]:
    """Every resource of `documents`, in document order."""
    for document in documents:
        for block in blocks(document.get("resource")):
            for resource_type, named in block.items():
                for entry in blocks(named):
                    for name, body in entry.items():
                        bodies = blocks(body)
                        if bodies:
                            yield Resource(type=str(resource_type), name=str(name), body=bodies[0])


def of_types(documents: Iterable[Mapping[str, Any]], types: tuple[str, ...]) -> Iterator[Resource]:
    """The resources of `documents` whose type (as written) is one of `types`."""
    return (resource for resource in resources(documents) if resource.type in types)
