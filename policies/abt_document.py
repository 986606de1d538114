"""The whole Terraform document around one resource, read from Checkov's graph (registers no check).

Checkov gives a Python check one resource's configuration, and sets `check.graph` to the graph of the
whole run (its Terraform runner does this for HCL directories and for the gate; Checkov's separate Terraform
JSON runner does not). Whole-document policies (unique priorities, the rule quota, overrides that name a
split variant, and tags inherited from provider `default_tags`) read the other resources of the same file
here. When there is no graph they answer UNKNOWN instead of guessing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from abt_support import first, tags_of


@dataclass(frozen=True, kw_only=True)
class Resource:
    """One resource of a file: type, name, Checkov's configuration (values wrapped in lists), provider."""

    type: str
    name: str
    conf: dict[str, Any]
    provider: str = "aws.default"

    @property
    def address(self) -> str:
        return f"{self.type}.{self.name}"

    @cached_property
    def tags(self) -> dict[str, str]:
        tags: dict[str, str] = tags_of(self.conf)
        return tags


class Document:
    """The resources of one file, indexed by address and type, and the `default_tags` of each provider
    configuration (by provider address). `memo` keeps per-document results that several checks share."""

    def __init__(self, resources: list[Resource], default_tags: dict[str, dict[str, str]]) -> None:
        self.resources = tuple(resources)
        self.default_tags = default_tags
        self._by_address = {resource.address: resource for resource in self.resources}
        self._by_type: dict[str, list[Resource]] = {}
        for resource in self.resources:
            self._by_type.setdefault(resource.type, []).append(resource)
        self._memo: dict[str, Any] = {}

    def of_types(self, types: tuple[str, ...]) -> list[Resource]:
        return [resource for type_ in types for resource in self._by_type.get(type_, [])]

    def find(self, address: str) -> Resource | None:
        return self._by_address.get(address)

    def effective_tags(self, resource: Resource) -> dict[str, str]:
        """Provider `default_tags` merged under the resource's own tags (what AWS applies: `tags_all`)."""
        return {**self.default_tags.get(resource.provider, {}), **resource.tags}

    def memo(self, key: str, compute: Callable[[Document], Any]) -> Any:
        """`compute(self)` once per document and key."""
        if key not in self._memo:
            self._memo[key] = compute(self)
        return self._memo[key]


# The last graph seen and its documents by file (None for a scanned file that matches no document).
_cache: dict[str, Any] = {"graph": None, "documents": {}}


def document_for(check: Any) -> tuple[Document, Resource] | None:
    """The document and resource a check is scanning now, or None when Checkov gave the check no graph."""
    graph = getattr(check, "graph", None)
    entity_path = getattr(check, "entity_path", "")
    if graph is None or not entity_path:
        return None
    scanned_file, entity_type, entity_name = entity_path.rsplit(":", 2)
    documents = _documents(graph)
    document = documents.get(scanned_file)
    if document is None:
        matches = [doc for path, doc in documents.items() if path.endswith(scanned_file)]
        document = matches[0] if len(matches) == 1 else None
        documents[scanned_file] = document
    if document is None:
        return None
    resource = document.find(f"{entity_type}.{entity_name}")
    return (document, resource) if resource is not None else None


def _documents(graph: Any) -> dict[str, Document | None]:
    if _cache["graph"] is graph:
        cached: dict[str, Document | None] = _cache["documents"]
        return cached
    resources: dict[str, list[Resource]] = {}
    default_tags: dict[str, dict[str, dict[str, str]]] = {}
    for attributes in _node_attributes(graph):
        file_path = str(attributes.get("file_path_", ""))
        config = attributes.get("config_") or {}
        block_type = attributes.get("block_type_")
        if block_type == "resource" and isinstance(config, dict) and config:
            resource_type, named = next(iter(config.items()))
            name, conf = next(iter(named.items()))
            provider = str(first(attributes.get("__provider_address__"), "aws.default") or "aws.default")
            resources.setdefault(file_path, []).append(
                Resource(type=resource_type, name=name, conf=conf, provider=provider)
            )
        elif block_type == "provider" and isinstance(config, dict) and config:
            _, conf = next(iter(config.items()))
            address = str(conf.get("__address__", "aws.default"))
            tags: dict[str, str] = {}
            for block in conf.get("default_tags") or []:
                if isinstance(block, dict):
                    tags.update(tags_of(block))
            default_tags.setdefault(file_path, {})[address] = tags
    documents: dict[str, Document | None] = {
        path: Document(items, default_tags.get(path, {})) for path, items in resources.items()
    }
    _cache["graph"], _cache["documents"] = graph, documents
    return documents


def _node_attributes(graph: Any) -> list[dict[str, Any]]:
    if hasattr(graph, "edge_list"):  # rustworkx: nodes() are (index, attributes)
        return [node[1] for node in graph.nodes() if isinstance(node, tuple) and isinstance(node[1], dict)]
    return [data for _, data in graph.nodes(data=True)]  # networkx
