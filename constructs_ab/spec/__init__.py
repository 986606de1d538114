"""The experiment spec: load a YAML spec file into validated, frozen objects.

Pure Python (no cdktf, no jsii), so a spec is checked instantly, before any synthesis.

- `load_spec(path)` / `parse_spec(text, source)` return a `Spec` or raise `SpecError`.
- `SpecError.problems` holds every `Problem` (path, message, line); `str(SpecError)` prints one line
  per problem: `<source>:<line>: <path>: <value> is <what is wrong>; <what is allowed>`.
"""

from __future__ import annotations

from constructs_ab.spec.errors import Problem, SpecError
from constructs_ab.spec.loader import SPEC_VERSION, load_spec, parse_spec
from constructs_ab.spec.model import (
    AccessLogs,
    DefaultAction,
    DefaultActionKind,
    Environment,
    Experiment,
    Guardrails,
    HeaderMatch,
    HealthCheck,
    LoadBalancer,
    Match,
    Override,
    Protocol,
    QueryMatch,
    Ramp,
    RemoteState,
    Spec,
    Stickiness,
    Target,
    TargetType,
    Variant,
    Waf,
    WeightedVariant,
)

__all__ = [
    "SPEC_VERSION",
    "AccessLogs",
    "DefaultAction",
    "DefaultActionKind",
    "Environment",
    "Experiment",
    "Guardrails",
    "HeaderMatch",
    "HealthCheck",
    "LoadBalancer",
    "Match",
    "Override",
    "Problem",
    "Protocol",
    "QueryMatch",
    "Ramp",
    "RemoteState",
    "Spec",
    "SpecError",
    "Stickiness",
    "Target",
    "TargetType",
    "Variant",
    "Waf",
    "WeightedVariant",
    "load_spec",
    "parse_spec",
]
