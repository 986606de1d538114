"""Does a Terraform plan keep every request on a complete rule set while it applies? Read from the plan
(`terraform show -json PLAN`) and the order Terraform will apply it in (`terraform graph -plan=PLAN`).

"No gap": a request that matches an experiment meets either its complete old rules or its complete new
ones, never a split without its override rules, never a rule forwarding to a deleted target group, never
no rule at all while rules move. On the apply graph (an edge `A -> B`: A runs after B) that is:

1. **Target groups go last.** A target group deleted (or replaced) is deleted after every listener and
   listener rule that referenced it (its state dependencies) was updated or deleted.
2. **Rules are removed last.** A listener rule deleted is deleted after every rule created or updated on
   the same listener.
3. **The split follows its override rules.** A split rule (tag `ab-role=split`) created or updated runs
   after every override rule of its experiment (tag `ab-role=override`) created or updated.
4. **Groups come first.** A listener or rule created or updated runs after every target group it
   references that is created.

`order_gaps` returns one line per pair of operations in the wrong order (or with no order between them):
empty when the plan has no gap. `OrderReport.pairs` counts the pairs checked, so a test can tell "checked
and fine" from "nothing to check". Pure Python: reads JSON and DOT text.

See: https://developer.hashicorp.com/terraform/cli/commands/graph
and  https://developer.hashicorp.com/terraform/internals/json-format
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

RULE_TYPES = ("aws_lb_listener_rule", "aws_alb_listener_rule")
LISTENER_TYPES = ("aws_lb_listener", "aws_alb_listener")
TARGET_GROUP_TYPES = ("aws_lb_target_group", "aws_alb_target_group")
ROLE_TAG = "ab-role"
EXPERIMENT_TAG = "experiment"

_EDGE = re.compile(r'^\s*"\[root\] (?P<source>[^"]+)" -> "\[root\] (?P<target>[^"]+)"\s*$')
_CHANGING = ("create", "update", "delete")


@dataclass
class OrderReport:
    """What `check_order` found: `gaps` (one line each) and `pairs` (ordered pairs checked)."""

    gaps: list[str] = field(default_factory=list)
    pairs: int = 0


def apply_graph(dot: str) -> dict[str, set[str]]:
    """The edges of `terraform graph -plan` output: node -> the nodes it runs after (`[root] ` dropped)."""
    after: dict[str, set[str]] = {}
    for line in dot.splitlines():
        match = _EDGE.match(line)
        if match:
            after.setdefault(match["source"], set()).add(match["target"])
    return after


def _runs_after(graph: Mapping[str, set[str]], later: str, earlier: str) -> bool:
    seen, stack = {later}, [later]
    while stack:
        for node in graph.get(stack.pop(), ()):
            if node == earlier:
                return True
            if node not in seen:
                seen.add(node)
                stack.append(node)
    return False


def _destroy_nodes(graph: Mapping[str, set[str]], address: str) -> list[str]:
    """The nodes that delete `address`: `A (destroy)` or `A (destroy deposed <key>)`."""
    prefix = f"{address} (destroy"
    nodes = {n for n in graph if n.startswith(prefix)} | {
        t for targets in graph.values() for t in targets if t.startswith(prefix)
    }
    return sorted(nodes)


@dataclass(frozen=True)
class _Change:
    address: str
    type: str
    actions: tuple[str, ...]
    before: Mapping[str, Any]
    after: Mapping[str, Any]

    @property
    def creates_or_updates(self) -> bool:
        return "create" in self.actions or "update" in self.actions

    @property
    def deletes(self) -> bool:
        return "delete" in self.actions

    def tags(self, side: str) -> Mapping[str, Any]:
        values = self.before if side == "before" else self.after
        tags = values.get("tags") if isinstance(values, Mapping) else None
        return tags if isinstance(tags, Mapping) else {}


def _changes(plan: Mapping[str, Any]) -> dict[str, _Change]:
    found = {}
    for change in plan.get("resource_changes", []):
        actions = tuple(change.get("change", {}).get("actions", ()))
        if not any(action in _CHANGING for action in actions):
            continue
        found[change["address"]] = _Change(
            address=change["address"],
            type=change.get("type", ""),
            actions=actions,
            before=change["change"].get("before") or {},
            after=change["change"].get("after") or {},
        )
    return found


def _prior_dependencies(plan: Mapping[str, Any]) -> dict[str, set[str]]:
    """Address -> the addresses it depended on, from the prior state."""
    found: dict[str, set[str]] = {}

    def walk(module: Mapping[str, Any]) -> None:
        for resource in module.get("resources", []):
            found.setdefault(resource["address"], set()).update(resource.get("depends_on", []))
        for child in module.get("child_modules", []):
            walk(child)

    walk(plan.get("prior_state", {}).get("values", {}).get("root_module", {}))
    return found


def _references(plan: Mapping[str, Any]) -> dict[str, set[str]]:
    """Address -> the resource addresses its configuration references (`configuration` of the plan)."""
    found: dict[str, set[str]] = {}

    def collect(value: Any, into: set[str]) -> None:
        if isinstance(value, Mapping):
            for key, item in value.items():
                if key == "references" and isinstance(item, list):
                    into.update(r for r in item if isinstance(r, str))
                else:
                    collect(item, into)
        elif isinstance(value, list):
            for item in value:
                collect(item, into)

    for resource in plan.get("configuration", {}).get("root_module", {}).get("resources", []):
        into = found.setdefault(resource["address"], set())
        collect(resource.get("expressions", {}), into)
        into.update(resource.get("depends_on", []))
    return found


def _apply_node(change: _Change, graph: Mapping[str, set[str]]) -> list[str]:
    """The nodes where `change` takes effect: its create/update node, or its destroy nodes when deleted."""
    return [change.address] if change.creates_or_updates else _destroy_nodes(graph, change.address)


def _pairs(
    plan: Mapping[str, Any], changes: Mapping[str, _Change], graph: Mapping[str, set[str]]
) -> Iterator[tuple[str, str, str]]:
    """(later node, earlier node, why) for every pair the four rules order."""
    prior = _prior_dependencies(plan)
    references = _references(plan)
    routing = [c for c in changes.values() if c.type in RULE_TYPES + LISTENER_TYPES]
    rules = [c for c in routing if c.type in RULE_TYPES]
    for group in (c for c in changes.values() if c.type in TARGET_GROUP_TYPES and c.deletes):
        for user in (c for c in routing if group.address in prior.get(c.address, ())):
            for destroy in _destroy_nodes(graph, group.address):
                for node in _apply_node(user, graph):
                    yield destroy, node, f"{group.address} is deleted while {user.address} may forward to it"
    for gone in (c for c in rules if c.deletes):
        listener = gone.before.get("listener_arn")
        for rule in (c for c in rules if c.creates_or_updates and c.address != gone.address):
            if rule.after.get("listener_arn") == listener:
                for destroy in _destroy_nodes(graph, gone.address):
                    yield (
                        destroy,
                        rule.address,
                        f"{gone.address} is deleted before {rule.address} is in place",
                    )
    for split in (c for c in rules if c.creates_or_updates and c.tags("after").get(ROLE_TAG) == "split"):
        experiment = split.tags("after").get(EXPERIMENT_TAG)
        for override in rules:
            tags = override.tags("after")
            if (
                override.creates_or_updates
                and tags.get(ROLE_TAG) == "override"
                and tags.get(EXPERIMENT_TAG) == experiment
            ):
                yield split.address, override.address, f"{split.address} forwards before {override.address}"
    for user in (c for c in routing if c.creates_or_updates):
        for address in references.get(user.address, ()):
            made = changes.get(address)
            if made is not None and made.type in TARGET_GROUP_TYPES and "create" in made.actions:
                yield (
                    user.address,
                    made.address,
                    f"{user.address} forwards to {made.address} before it exists",
                )


def check_order(plan: Mapping[str, Any], dot: str) -> OrderReport:
    """The four rules of the module docstring checked on a plan (`terraform show -json`) and its apply graph
    (`terraform graph -plan`)."""
    graph = apply_graph(dot)
    report = OrderReport()
    for later, earlier, why in _pairs(plan, _changes(plan), graph):
        report.pairs += 1
        if not _runs_after(graph, later, earlier):
            report.gaps.append(f"{why}: Terraform does not run {later} after {earlier}")
    return report


def order_gaps(plan: Mapping[str, Any], dot: str) -> list[str]:
    """The gaps of `check_order`, one line each."""
    return check_order(plan, dot).gaps
