"""Resource types the readers know, and the AWS provider's aliases for them.

The AWS provider keeps the old `aws_alb*` names as aliases of the `aws_lb*` resources and data sources
(same arguments, same behavior): `canonical("aws_alb_listener")` is `aws_lb_listener`. Readers match a
type through its canonical name; a reference keeps the type as written (Terraform requires the declared
one).
See: https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/lb
"""

from __future__ import annotations

#: Alias -> canonical type.
ALIASES = {
    "aws_alb": "aws_lb",
    "aws_alb_listener": "aws_lb_listener",
    "aws_alb_listener_certificate": "aws_lb_listener_certificate",
    "aws_alb_listener_rule": "aws_lb_listener_rule",
    "aws_alb_target_group": "aws_lb_target_group",
    "aws_alb_target_group_attachment": "aws_lb_target_group_attachment",
}


def canonical(resource_type: str) -> str:
    """The canonical name of a resource or data source type (`aws_alb` -> `aws_lb`); others unchanged."""
    return ALIASES.get(resource_type, resource_type)


def with_aliases(resource_type: str) -> tuple[str, ...]:
    """A canonical type and its aliases: `aws_lb` -> (`aws_lb`, `aws_alb`)."""
    return (resource_type, *(alias for alias, target in ALIASES.items() if target == resource_type))


LOAD_BALANCER_TYPES = with_aliases("aws_lb")
LISTENER_TYPES = with_aliases("aws_lb_listener")
RULE_TYPES = with_aliases("aws_lb_listener_rule")
TARGET_GROUP_TYPES = with_aliases("aws_lb_target_group")
