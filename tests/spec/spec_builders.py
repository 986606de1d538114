"""A small valid spec as plain data, ways to change one field of it, and a loader that returns problems."""

from __future__ import annotations

import copy
import io
from typing import Any

from ruamel.yaml import YAML

from constructs_ab.spec import Spec, SpecError, parse_spec

#: Marks a field to delete in `changed`.
DELETE = object()

EXP = "environments.prod.experiments[0] (exp)"
ENV = "environments.prod"
LB = "environments.prod.load_balancers.public"


def base_spec() -> dict[str, Any]:
    """One environment `prod`, one public load balancer, one experiment `exp` splitting 80/20 to a and b."""
    return {
        "version": 1,
        "environments": {
            "prod": {
                "region": "eu-west-1",
                "vpc_id": "vpc-0a1b2c3d4e5f67890",
                "subnet_ids": ["subnet-0a1b2c3d4e5f60001", "subnet-0a1b2c3d4e5f60002"],
                "certificate_arn": "arn:aws:acm:eu-west-1:123456789012:certificate/"
                "11111111-2222-3333-4444-555555555555",
                "allowed_client_cidrs": ["10.0.0.0/8"],
                "owner": "ml-platform",
                "load_balancers": {"public": {}},
                "experiments": [
                    {
                        "name": "exp",
                        "load_balancer": "public",
                        "priority": 100,
                        "match": {"paths": ["/abtest"]},
                        "variants": [
                            {"name": "a", "model": {"id": "m", "version": "1"}, "weight": 80},
                            {"name": "b", "model": {"id": "m", "version": "2"}, "weight": 20},
                        ],
                    }
                ],
            }
        },
    }


def _step(key: str) -> str | int:
    return int(key) if key.lstrip("-").isdigit() else key


def changed(data: dict[str, Any], where: str, value: Any) -> dict[str, Any]:
    """A copy of `data` with the field at the dotted `where` (list items by index: `experiments.0`) set to
    `value`, or deleted when `value` is DELETE."""
    result = copy.deepcopy(data)
    *parents, last = [_step(k) for k in where.split(".")]
    target: Any = result
    for key in parents:
        target = target[key]
    if value is DELETE:
        del target[last]
    else:
        target[last] = value
    return result


def dump(data: Any) -> str:
    stream = io.StringIO()
    yaml = YAML(typ="safe", pure=True)
    yaml.default_flow_style = False
    yaml.dump(data, stream)
    return stream.getvalue()


def load(data: Any) -> Spec:
    return parse_spec(dump(data), source="t.yaml")


def problems_of(data: Any) -> list[tuple[str, str]]:
    """(path, message) of every problem of the spec `data`; [] when it loads."""
    try:
        load(data)
    except SpecError as error:
        return [(p.path, p.message) for p in error.problems]
    return []
