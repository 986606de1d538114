"""What cdktf writes into Terraform JSON: the stack name and each resource's construct path.

cdktf puts `"//": {"metadata": {"stackName": "prod", "version": "0.21.0", ...}}` at the top of every
stack file (`cdktf.out/stacks/<stack>/cdk.tf.json`) and `"//": {"metadata": {"path": "prod/lb-public/alb",
...}}` into every resource and data source. Terraform ignores `//` keys (comments of the JSON syntax).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

COMMENT_KEY = "//"
#: The file name cdktf gives every synthesized stack.
STACK_FILE_NAME = "cdk.tf.json"


def _metadata(body: Any) -> Mapping[str, Any]:
    comment = body.get(COMMENT_KEY) if isinstance(body, Mapping) else None
    metadata = comment.get("metadata") if isinstance(comment, Mapping) else None
    return metadata if isinstance(metadata, Mapping) else {}


def stack_name(document: Mapping[str, Any]) -> str | None:
    """cdktf's `stackName` of a stack file, or None when the document has no such metadata."""
    name = _metadata(document).get("stackName")
    return name if isinstance(name, str) and name else None


def construct_path(body: Mapping[str, Any]) -> str | None:
    """The construct path (`prod/lb-public/alb`) of one resource or data source body, or None."""
    path = _metadata(body).get("path")
    return path if isinstance(path, str) else None


def construct_paths(document: Mapping[str, Any]) -> dict[str, str]:
    """Resource address (`aws_lb.lb-public_alb_0575EC35`, `data.aws_region.x`) -> construct path, for every
    resource and data source that has one (empty for Terraform JSON not written by cdktf)."""
    paths: dict[str, str] = {}
    for block_type, prefix in (("resource", ""), ("data", "data.")):
        blocks = document.get(block_type)
        if not isinstance(blocks, Mapping):
            continue
        for resource_type, resources in blocks.items():
            if not isinstance(resources, Mapping):
                continue
            for name, body in resources.items():
                path = construct_path(body)
                if path is not None:
                    paths[f"{prefix}{resource_type}.{name}"] = path
    return paths
