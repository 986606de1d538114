"""The rule anchor of a listener: makes Terraform create new listener rules before it deletes old ones.

When an apply both creates rules and deletes others on one listener (an experiment renamed, so its
assigned priorities move; one experiment replacing another), nothing in the configuration orders the
deletions after the creations: Terraform would run them in parallel, and a request of the experiment
could meet neither its old rules nor its new ones (the listener's default action). The anchor closes
that gap:

- it is a `terraform_data` resource that depends on every rule of the listener and holds their
  priorities, so it is updated, after all new rules exist, whenever the listener's set of rules changes;
- the rules are `create_before_destroy`, so Terraform deletes a rule only after the resources that
  depended on it were updated: among them the anchor, hence after every new rule exists.

Terraform (1.4 and later) provides `terraform_data` itself: no provider, nothing in AWS.

See: https://developer.hashicorp.com/terraform/language/resources/terraform-data
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from cdktf import DataResource
from constructs import Construct

from constructs_ab.provider import LbListenerRule
from constructs_ab.routing.layout import rules_anchor_name


@dataclass(frozen=True, kw_only=True)
class ListenerRulesAnchorProps:
    """Properties of a `ListenerRulesAnchor`.

    listener_key: the key the listener's rules are named by (`ModelExperimentProps.listener_key`, e.g.
        `lb-public`); the anchor's Terraform name is `<listener_key>_rules`.
    rules: every rule of the listener, with its priority (1..50000).
    """

    listener_key: str
    rules: Sequence[tuple[int, LbListenerRule]]


class ListenerRulesAnchor(Construct):
    """The listener's rule anchor (see the module docstring). Child: `anchor` (terraform_data)."""

    anchor: DataResource

    def __init__(self, scope: Construct, id: str, props: ListenerRulesAnchorProps) -> None:
        super().__init__(scope, id)
        ordered = sorted(props.rules, key=lambda item: item[0])
        self.anchor = DataResource(
            self,
            "anchor",
            input={"priorities": [priority for priority, _ in ordered]},
            depends_on=[rule for _, rule in ordered] or None,
        )
        self.anchor.override_logical_id(rules_anchor_name(props.listener_key))
