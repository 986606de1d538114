"""The two security groups of a model load balancer: one for the load balancer, one for the model servers.

Clients reach the load balancer on the listener ports (443 and 80) from the allowed CIDRs only; the
load balancer may send traffic only to the model server security group, on the variant ports; the
model servers admit traffic only from the load balancer security group, on those ports, and reach out
only on TCP to the destinations of `model_server_egress` (by default HTTPS to anywhere: a group made by
Terraform has no egress rule, so without one a server could not pull its image, fetch its weights or
ship its logs). Rules are separate `aws_vpc_security_group_*_rule` resources, each with a description,
so a rule can change without replacing its group.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TypeVar

from constructs import Construct

from constructs_ab import aws_names
from constructs_ab.provider import SecurityGroup, VpcSecurityGroupEgressRule, VpcSecurityGroupIngressRule
from constructs_ab.spec.egress import ModelServerEgress
from constructs_ab.tagging import BaseTags

HTTPS_PORT = 443
HTTP_PORT = 80
#: The two kinds of security group rule: both take the same arguments.
_Rule = TypeVar("_Rule", VpcSecurityGroupIngressRule, VpcSecurityGroupEgressRule)


@dataclass(frozen=True, kw_only=True)
class LoadBalancerSecurityGroupsProps:
    """Properties of `LoadBalancerSecurityGroups`.

    name: prefix of the group names: `<name>-alb` and `<name>-model-servers`.
    vpc_id: VPC of the load balancer and the model servers.
    allowed_client_cidrs: IPv4 or IPv6 CIDRs admitted on ports 443 and 80.
    model_server_ports: ports the model servers listen on (the variants' ports), each once.
    tags: environment, owner and extra tags.
    model_server_egress: where the model servers may connect to (TCP). Default: port 443 to anywhere
        (0.0.0.0/0 and ::/0).
    """

    name: str
    vpc_id: str
    allowed_client_cidrs: tuple[str, ...]
    model_server_ports: tuple[int, ...]
    tags: BaseTags
    model_server_egress: ModelServerEgress = field(default_factory=ModelServerEgress)


class LoadBalancerSecurityGroups(Construct):
    """Security groups for the load balancer (`load_balancer`) and for the model servers (`model_servers`).

    Children: `load_balancer`, `model_servers` (aws_security_group), `client_ingress` (one rule per
    CIDR and listener port, keyed `<port>-<cidr>`), `to_model_servers` (load balancer egress, keyed by
    port), `from_load_balancer` (model server ingress, keyed by port) and `model_server_egress` (model
    server egress, keyed `<port>-<destination>`).
    """

    load_balancer: SecurityGroup
    model_servers: SecurityGroup
    client_ingress: dict[str, VpcSecurityGroupIngressRule]
    to_model_servers: dict[int, VpcSecurityGroupEgressRule]
    from_load_balancer: dict[int, VpcSecurityGroupIngressRule]
    model_server_egress: dict[str, VpcSecurityGroupEgressRule]
    _tags: dict[str, str]

    def __init__(self, scope: Construct, id: str, props: LoadBalancerSecurityGroupsProps) -> None:
        super().__init__(scope, id)
        tags = props.tags.as_dict()

        def group(id: str, role: str, description: str) -> SecurityGroup:
            """One of the two groups: named `<name>-<role>`, in the VPC, tagged."""
            return SecurityGroup(
                self,
                id,
                name=aws_names.security_group_name(props.name, role),
                description=description,
                vpc_id=props.vpc_id,
                tags=tags,
            )

        self.load_balancer = group(
            "load-balancer",
            aws_names.LOAD_BALANCER_SECURITY_GROUP,
            f"Load balancer {props.name}: clients on 443 and 80, out only to the model servers",
        )
        self.model_servers = group(
            "model-servers",
            aws_names.MODEL_SERVERS_SECURITY_GROUP,
            f"Model servers behind load balancer {props.name}: in only from the load balancer",
        )
        self._tags = tags
        self.client_ingress = {}
        for port, purpose in ((HTTPS_PORT, "HTTPS"), (HTTP_PORT, "HTTP, redirected to HTTPS")):
            for cidr in props.allowed_client_cidrs:
                self.client_ingress[f"{port}-{cidr}"] = self._tcp_rule(
                    VpcSecurityGroupIngressRule,
                    f"client-{port}-{cidr.replace('/', '_')}",
                    group=self.load_balancer,
                    port=port,
                    peer=("cidr", cidr),
                    description=f"Clients in {cidr} on {port} ({purpose})",
                )
        self.to_model_servers = {}
        self.from_load_balancer = {}
        for port in sorted(set(props.model_server_ports)):
            self.to_model_servers[port] = self._tcp_rule(
                VpcSecurityGroupEgressRule,
                f"to-model-servers-{port}",
                group=self.load_balancer,
                port=port,
                peer=("security_group", self.model_servers.id),
                description=f"To the model servers on {port} (requests and health checks)",
            )
            self.from_load_balancer[port] = self._tcp_rule(
                VpcSecurityGroupIngressRule,
                f"from-load-balancer-{port}",
                group=self.model_servers,
                port=port,
                peer=("security_group", self.load_balancer.id),
                description=f"From load balancer {props.name} on {port}",
            )
        self.model_server_egress = {}
        egress = props.model_server_egress
        for port in egress.ports:
            for kind, destination in egress.destinations:
                self.model_server_egress[f"{port}-{destination}"] = self._tcp_rule(
                    VpcSecurityGroupEgressRule,
                    f"model-servers-out-{port}-{_id_part(destination)}",
                    group=self.model_servers,
                    port=port,
                    peer=(kind, destination),
                    description=f"Model servers out to {destination} on {port} (images, weights, logs)",
                )

    def _tcp_rule(
        self,
        rule: type[_Rule],
        id: str,
        *,
        group: SecurityGroup,
        port: int,
        peer: tuple[str, str],
        description: str,
    ) -> _Rule:
        """A rule of `group` for TCP on one `port`, to or from `peer`: (kind, value) as
        `ModelServerEgress.destinations` gives it, a `cidr` (IPv4 or IPv6), a `prefix_list` or a
        `security_group`."""
        kind, value = peer
        ipv6 = ":" in value
        return rule(
            self,
            id,
            security_group_id=group.id,
            description=description,
            ip_protocol="tcp",
            from_port=port,
            to_port=port,
            cidr_ipv4=value if kind == "cidr" and not ipv6 else None,
            cidr_ipv6=value if kind == "cidr" and ipv6 else None,
            prefix_list_id=value if kind == "prefix_list" else None,
            referenced_security_group_id=value if kind == "security_group" else None,
            tags=self._tags,
        )


def _id_part(destination: str) -> str:
    """A destination as part of a construct id: `anywhere-ipv4`, `anywhere-ipv6`, `10-0-0-0-16`, `pl-...`."""
    named = {"0.0.0.0/0": "anywhere-ipv4", "::/0": "anywhere-ipv6"}
    return named.get(destination) or re.sub(r"[^A-Za-z0-9-]", "-", destination)
