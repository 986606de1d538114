"""The whole Terraform document around one resource, read from Checkov's graph (registers no check).

Checkov gives a Python check one resource's configuration, and sets `check.graph` to the graph of the
whole run (its Terraform runner does this for HCL directories and for the gate; Checkov's separate Terraform
JSON runner does not). Whole-document policies (unique priorities, the rule quota, overrides that name a
split variant, and tags inherited from provider `default_tags`) read the other resources of the same file
here. When there is no graph they answer UNKNOWN instead of guessing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
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


@dataclass(frozen=True, kw_only=True)
class Document:
    """The resources of one file and the `default_tags` of each provider configuration (by address)."""

    resources: tuple[Resource, ...]
    default_tags: dict[str, dict[str, str]] = field(default_factory=dict)

    def of_types(self, types: tuple[str, ...]) -> list[Resource]:
        return [resource for resource in self.resources if resource.type in types]

    def find(self, type_name: str) -> Resource | None:
        return next((r for r in self.resources if r.address == type_name), None)

    def effective_tags(self, resource: Resource) -> dict[str, str]:
        """Provider `default_tags` merged under the resource's own tags (what AWS applies: `tags_all`)."""
        return {**self.default_tags.get(resource.provider, {}), **tags_of(resource.conf)}


_cache: dict[str, Any] = {"graph": None, "documents": {}}


def document_for(check: Any) -> tuple[Document, Resource] | None:
    """The document and resource a check is scanning now, or None when Checkov gave the check no graph."""
    graph = getattr(check, "graph", None)
    entity_path = getattr(check, "entity_path", "")
    if graph is None or not entity_path:
        return None
    scanned_file, entity_type, entity_name = entity_path.rsplit(":", 2)
    documents = _documents(graph)
    for file_path, document in documents.items():
        if file_path == scanned_file or file_path.endswith(scanned_file):
            resource = document.find(f"{entity_type}.{entity_name}")
            if resource is not None:
                return document, resource
    return None


def _documents(graph: Any) -> dict[str, Document]:
    if _cache["graph"] is graph:
        return _cache["documents"]
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
            resources.setdefault(file_path, []).append(Resource(type=resource_type, name=name, conf=conf, provider=provider))
        elif block_type == "provider" and isinstance(config, dict) and config:
            _, conf = next(iter(config.items()))
            address = str(conf.get("__address__", "aws.default"))
            tags: dict[str, str] = {}
            for block in conf.get("default_tags") or []:
                if isinstance(block, dict):
                    tags.update(tags_of(block))
            default_tags.setdefault(file_path, {})[address] = tags
    documents = {
        path: Document(resources=tuple(items), default_tags=default_tags.get(path, {}))
        for path, items in resources.items()
    }
    _cache["graph"], _cache["documents"] = graph, documents
    return documents


def _node_attributes(graph: Any) -> list[dict[str, Any]]:
    if hasattr(graph, "edge_list"):  # rustworkx: nodes() are (index, attributes)
        return [node[1] for node in graph.nodes() if isinstance(node, tuple) and isinstance(node[1], dict)]
    return [data for _, data in graph.nodes(data=True)]  # networkx
