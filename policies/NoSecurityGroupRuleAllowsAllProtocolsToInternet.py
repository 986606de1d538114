"""CKV_ABT_18: no security group rule, in any form, allows all protocols to or from the internet.

Every form of a rule: `ingress` and `egress` blocks of `aws_security_group`, `aws_security_group_rule`
(both types), `aws_vpc_security_group_ingress_rule` and `aws_vpc_security_group_egress_rule` (which
Checkov's built-in checks miss). All protocols is `-1` (or `all`); the internet is 0.0.0.0/0 or ::/0.
UNKNOWN when the protocol is an expression and the rule is open to the internet.
"""

from __future__ import annotations

from typing import Any

from abt_support import WORLD_CIDRS, dicts, first, flat_strings, is_expression
from checkov.common.models.enums import CheckCategories, CheckResult
from checkov.terraform.checks.resource.base_resource_check import BaseResourceCheck

_ALL_PROTOCOLS = ("-1", "all")
_CIDR_KEYS = ("cidr_ipv4", "cidr_ipv6", "cidr_blocks", "ipv6_cidr_blocks")


class NoSecurityGroupRuleAllowsAllProtocolsToInternet(BaseResourceCheck):
    def __init__(self) -> None:
        super().__init__(
            name="Ensure no security group rule of any form allows all protocols to or from the internet",
            id="CKV_ABT_18",
            categories=[CheckCategories.NETWORKING],
            supported_resources=[
                "aws_security_group",
                "aws_security_group_rule",
                "aws_vpc_security_group_ingress_rule",
                "aws_vpc_security_group_egress_rule",
            ],
            guideline=(
                "Name the protocol and ports (tcp 443), or the peer (a security group, a prefix list, a "
                "narrower CIDR), instead of protocol -1 with 0.0.0.0/0 or ::/0, inbound or outbound."
            ),
        )

    def scan_resource_conf(self, conf: dict[str, Any]) -> CheckResult:
        unknown = False
        for path, rule in _rules(conf, self.entity_type):
            world = sorted({cidr for key in _CIDR_KEYS for cidr in flat_strings(rule.get(key))} & WORLD_CIDRS)
            if not world:
                continue
            protocol = first(rule.get("ip_protocol"), first(rule.get("protocol")))
            if is_expression(protocol):
                unknown = True
                continue
            if str(protocol).strip().lower() in _ALL_PROTOCOLS:
                self.evaluated_keys = [f"{path}ip_protocol" if "ip_protocol" in rule else f"{path}protocol"]
                self.details.append(
                    f"{path or 'the rule '}allows all protocols to or from {', '.join(world)}"
                )
                return CheckResult.FAILED
        return CheckResult.UNKNOWN if unknown else CheckResult.PASSED


def _rules(conf: dict[str, Any], entity_type: str) -> list[tuple[str, dict[str, Any]]]:
    if entity_type == "aws_security_group":
        return [
            (f"{direction}/[{index}]/", rule)
            for direction in ("ingress", "egress")
            for index, rule in enumerate(dicts(conf.get(direction)))
        ]
    return [("", conf)]


check = NoSecurityGroupRuleAllowsAllProtocolsToInternet()
