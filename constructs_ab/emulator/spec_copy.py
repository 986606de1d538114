"""Copies of a spec file, edited with ruamel.yaml's round-trip loader (comments and key order kept).

The user's spec is only read. `write_spec_copy` writes a copy whose environments name the network
created in the emulator; `edit_spec_file` changes a copy in place (the end-to-end tests' changes).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap

from constructs_ab.emulator.network import Network


def _yaml() -> YAML:
    yaml = YAML(typ="rt")
    yaml.preserve_quotes = True
    yaml.width = 4096
    return yaml


def load_spec_tree(path: Path) -> Any:
    """The round-trip tree of a spec file (a `CommentedMap`)."""
    return _yaml().load(path.read_text(encoding="utf-8-sig"))


def dump_spec_tree(tree: Any, path: Path) -> None:
    with path.open("w", encoding="utf-8") as handle:
        _yaml().dump(tree, handle)


def subnet_count(tree: Any, environment: str) -> int:
    """How many subnets the environment lists (what its network must have)."""
    return len(tree["environments"][environment]["subnet_ids"])


def substitute_network(tree: Any, networks: Mapping[str, Network]) -> None:
    """Put each network's VPC, subnets and certificate in its environment (environment name -> network)."""
    for name, network in networks.items():
        environment = tree["environments"][name]
        environment["vpc_id"] = network.vpc_id
        subnets = environment["subnet_ids"]
        del subnets[:]  # the same sequence object: its flow or block style stays
        subnets.extend(network.subnet_ids)
        environment["certificate_arn"] = network.certificate_arn


def write_spec_copy(source: Path, destination: Path, networks: Mapping[str, Network]) -> None:
    """Write `destination`: the spec `source` with the networks substituted (see `substitute_network`)."""
    tree = load_spec_tree(source)
    substitute_network(tree, networks)
    dump_spec_tree(tree, destination)


def edit_spec_file(path: Path, edit: Callable[[Any], object]) -> None:
    """Load the spec copy at `path`, let `edit` change the tree, write it back."""
    tree = load_spec_tree(path)
    edit(tree)
    dump_spec_tree(tree, path)


def disable_deletion_protection(tree: Any, environments: Iterable[str] | None = None) -> None:
    """Set `deletion_protection: false` on every load balancer of `environments` (default: all), as a
    destroy needs (AWS refuses to delete a protected load balancer); not on one with an `existing_listener`,
    which the stack does not delete (the spec refuses the field there)."""
    for name, environment in tree["environments"].items():
        if environments is None or name in environments:
            load_balancers = environment["load_balancers"]
            for key, load_balancer in load_balancers.items():
                if load_balancer is None:  # `public:` with every default
                    load_balancers[key] = load_balancer = CommentedMap()
                if "existing_listener" in load_balancer:
                    continue  # not ours to delete, nor to set
                load_balancer["deletion_protection"] = False
