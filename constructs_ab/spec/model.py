"""The validated experiment spec: frozen, typed values with documented defaults and units.

These objects are what the spec loader produces after validation and what the constructs consume.
They import nothing from cdktf, so they can be built and checked instantly, and a user can also
construct them directly in Python without a spec file (and check them with `validate`).

Every default is the value used when the spec file leaves the field out. Each class lives in the module
of its concept, with its rules and checks; this module gathers them.
"""

from __future__ import annotations

from constructs_ab.spec.analysis import Analysis, CustomMetric
from constructs_ab.spec.default_action import DefaultAction, DefaultActionKind
from constructs_ab.spec.egress import ModelServerEgress
from constructs_ab.spec.environment import Environment, Spec
from constructs_ab.spec.experiment import DEFAULT_OVERRIDE_HEADER, Experiment, Override, Stickiness
from constructs_ab.spec.guardrails import Guardrails
from constructs_ab.spec.health_check import HealthCheck
from constructs_ab.spec.load_balancer import (
    DEFAULT_IDLE_TIMEOUT_SECONDS,
    DEFAULT_SSL_POLICY,
    AccessLogs,
    IpAddressType,
    LoadBalancer,
)
from constructs_ab.spec.match import HeaderMatch, Match, QueryMatch
from constructs_ab.spec.ramp import Ramp
from constructs_ab.spec.state import RemoteState
from constructs_ab.spec.targets import Target
from constructs_ab.spec.variant import Protocol, TargetType, Variant, WeightedVariant
from constructs_ab.spec.waf import DEFAULT_WAF_RATE_LIMIT, Waf, WafRuleAction
from constructs_ab.stack_layout import StackLayout

__all__ = [
    "DEFAULT_IDLE_TIMEOUT_SECONDS",
    "DEFAULT_OVERRIDE_HEADER",
    "DEFAULT_SSL_POLICY",
    "DEFAULT_WAF_RATE_LIMIT",
    "AccessLogs",
    "Analysis",
    "CustomMetric",
    "DefaultAction",
    "DefaultActionKind",
    "Environment",
    "Experiment",
    "Guardrails",
    "HeaderMatch",
    "HealthCheck",
    "IpAddressType",
    "LoadBalancer",
    "Match",
    "ModelServerEgress",
    "Override",
    "Protocol",
    "QueryMatch",
    "Ramp",
    "RemoteState",
    "Spec",
    "StackLayout",
    "Stickiness",
    "Target",
    "TargetType",
    "Variant",
    "Waf",
    "WafRuleAction",
    "WeightedVariant",
]
