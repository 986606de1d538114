"""CKV_ABT_8: no security group rule admits the internet (0.0.0.0/0, ::/0) on a model server port.

Model server ports are the ports of the target groups in the same document (minus the listener ports, which
clients are meant to reach). Whole-document check: UNKNOWN without the graph.
"""

from __future__ import annotations

from typing import Any

from abt_document import document_for
from abt_support import LISTENER_TYPES, TARGET_GROUP_TYPES, WORLD_CIDRS, Unknown, first, flat_strings, integer
from checkov.common.models.enums import CheckCategories, CheckResult
from checkov.terraform.checks.resource.base_resource_check import BaseResourceCheck


class ModelPortsNotOpenToInternet(BaseResourceCheck):
    def __init__(self) -> None:
        super().__init__(
            name="Ensure model server ports admit only the load balancer, not the internet",
            id="CKV_ABT_8",
            categories=[CheckCategories.NETWORKING],
            supported_resources=[
                "aws_vpc_security_group_ingress_rule",
                "aws_security_group_rule",
                "aws_security_group",
            ],
            guideline=(
                "Admit the model port only from the load balancer's security group "
                "(referenced_security_group_id / source_security_group_id), never from 0.0.0.0/0 or ::/0."
            ),
        )

    def scan_resource_conf(self, conf: dict[str, Any]) -> CheckResult:
        located = document_for(self)
        if located is None:
            return CheckResult.UNKNOWN
        document, _ = located
        model_ports = document.memo("model ports", _model_ports)
        if not model_ports:
            return CheckResult.UNKNOWN
        for path, rule in _ingress_rules(conf, self.entity_type):
            cidrs = (
                set(flat_strings(rule.get("cidr_ipv4")))
                | set(flat_strings(rule.get("cidr_ipv6")))
                | set(flat_strings(rule.get("cidr_blocks")))
                | set(flat_strings(rule.get("ipv6_cidr_blocks")))
            )
            if not cidrs & WORLD_CIDRS:
                continue
            low, high = _int(first(rule.get("from_port"))), _int(first(rule.get("to_port")))
            protocol = str(first(rule.get("ip_protocol"), first(rule.get("protocol"), "tcp")))
            if protocol == "-1":
                low, high = 0, 65535
            if low is None or high is None:
                continue
            exposed = sorted(port for port in model_ports if port is not None and low <= port <= high)
            if exposed:
                self.evaluated_keys = [path]
                self.details.append(f"ports {exposed} are open to {', '.join(sorted(cidrs & WORLD_CIDRS))}")
                return CheckResult.FAILED
        return CheckResult.PASSED


def _model_ports(document: Any) -> set[int]:
    listener_ports = {
        _int(first(listener.conf.get("port"))) for listener in document.of_types(LISTENER_TYPES)
    }
    ports = {_int(first(group.conf.get("port"))) for group in document.of_types(TARGET_GROUP_TYPES)}
    return {port for port in ports - listener_ports if port is not None}


def _ingress_rules(conf: dict[str, Any], entity_type: str) -> list[tuple[str, dict[str, Any]]]:
    if entity_type == "aws_security_group":
        return [
            (f"ingress/[{i}]", rule)
            for i, rule in enumerate(conf.get("ingress") or [])
            if isinstance(rule, dict)
        ]
    if entity_type == "aws_security_group_rule" and first(conf.get("type")) != "ingress":
        return []
    return [("", conf)]


def _int(value: Any) -> int | None:
    try:
        port: int | None = integer(value)
    except Unknown:
        return None
    return port


check = ModelPortsNotOpenToInternet()
