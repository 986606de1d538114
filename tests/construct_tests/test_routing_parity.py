"""Parity: the listener rules read back from the synthesized Terraform JSON are the routing model of the
spec, and the rollout's traffic model of the spec is what the review reads from that JSON; for the
example spec and for generated multi-environment specs (a few synths: each takes seconds)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from cdktf import Testing as CdktfTesting
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from constructs_ab.environment_stack import EnvironmentStack
from constructs_ab.review.reader import model_from_documents
from constructs_ab.review.traffic import ForwardAction, Rule, TrafficModel
from constructs_ab.rollout.traffic_adapter import traffic_model_of
from constructs_ab.routing.from_spec import rules_of
from constructs_ab.routing.readback import routed_rules
from constructs_ab.spec import load_spec, parse_spec
from constructs_ab.spec.model import Environment

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "ab-experiments.yaml"


def synthesized(environment: Environment) -> dict[str, Any]:
    document: dict[str, Any] = json.loads(
        CdktfTesting.synth(EnvironmentStack(CdktfTesting.app(), environment))
    )
    return document


def rule_view(rule: Rule) -> tuple[Any, ...]:
    """A rule without its Terraform addresses (the adapter names resources after the spec, cdktf after
    construct paths): everything that routes or labels traffic."""
    assert isinstance(rule.action, ForwardAction)
    return (
        rule.priority,
        rule.conditions,
        rule.experiment,
        rule.role,
        rule.variants,
        rule.paused_variants,
        rule.max_step,
        rule.action.stickiness,
        [(t.target_group.variant, t.target_group.model, t.weight, t.share) for t in rule.action.targets],
    )


def https_rules(model: TrafficModel) -> dict[str, list[tuple[Any, ...]]]:
    """The HTTPS listener's rules of each load balancer (by AWS name), in evaluation order."""
    rules: dict[str, list[tuple[Any, ...]]] = {}
    for location in model.rules():
        if location.listener.is_https:
            rules.setdefault(location.load_balancer.name, []).append(rule_view(location.rule))
    return rules


def assert_parity(environment: Environment) -> None:
    document = synthesized(environment)
    # THEN the rules read back from the JSON are the routing model of each experiment, in evaluation order
    assert routed_rules([document]) == {
        experiment.name: rules_of(experiment) for experiment in environment.experiments
    }
    # and the rollout's traffic model is what the review reads from the JSON
    assert https_rules(traffic_model_of(environment)) == https_rules(
        model_from_documents(environment.name, [document])
    )


@pytest.mark.parametrize("environment", ["prod", "staging"])
def test_the_example_synthesizes_its_routing_model(environment: str) -> None:
    spec = load_spec(EXAMPLE)
    assert_parity(next(e for e in spec.environments if e.name == environment))


@st.composite
def experiment_data(draw: st.DrawFn, index: int) -> dict[str, Any]:
    name = f"e{index}"
    override = draw(st.sampled_from([True, False, "X-Force-Model"]))
    weights = draw(st.lists(st.integers(0, 999), min_size=2, max_size=5).filter(lambda ws: sum(ws) > 0))
    # a rule has at most 5 condition values, the override header's included
    budget = 5 - (0 if override is False else 1)
    paths = [f"/{name}", f"/{name}/*"][: draw(st.integers(1, 2))]
    match: dict[str, Any] = {"paths": paths}
    budget -= len(paths)
    optional = {
        "hosts": [f"{name}.example.com"],
        "headers": {"X-Tenant": "acme"},
        "query": draw(st.sampled_from([{"beta": "1"}, [{"value": "canary"}]])),
        "source_ips": ["10.0.0.0/8"],
        "methods": ["POST"],
    }
    for key in draw(st.permutations(list(optional))):
        if budget > 0 and draw(st.booleans()):
            match[key] = optional[key]
            budget -= 1
    data: dict[str, Any] = {
        "name": name,
        "load_balancer": draw(st.sampled_from(["public", "inner"])),
        "match": match,
        "variants": [
            {"name": f"{name}-v{j}", "model": {"id": "m", "version": str(j)}, "weight": weight}
            | ({"paused": True} if weight == 0 else {})
            for j, weight in enumerate(weights)
        ],
        "override": override if isinstance(override, bool) else {"header": override},
    }
    stickiness = draw(st.sampled_from([None, "off", 1, 3600, "7d"]))
    if stickiness is not None:
        data["stickiness"] = stickiness
    if draw(st.booleans()):
        data["priority"] = 100 + 10 * index
    return data


@st.composite
def spec_data(draw: st.DrawFn) -> dict[str, Any]:
    """Two environments, two load balancers each, one to four experiments each."""
    environments = {}
    for environment in ("alpha", "beta"):
        count = draw(st.integers(1, 4))
        environments[environment] = {
            "region": "eu-west-1",
            "vpc_id": "vpc-0a1b2c3d4e5f67890",
            "subnet_ids": ["subnet-0a1b2c3d4e5f60001", "subnet-0a1b2c3d4e5f60002"],
            "certificate_arn": "arn:aws:acm:eu-west-1:123456789012:certificate/11111111-2222-3333-4444-555555555555",
            "allowed_client_cidrs": ["10.0.0.0/8"],
            "owner": "ml-platform",
            "load_balancers": {"public": {}, "inner": {"internal": True}},
            "experiments": [draw(experiment_data(index)) for index in range(count)],
        }
    return {"version": 1, "environments": environments}


# Each example synthesizes two stacks: a few examples, and no shrinking (the failing spec is printed whole).
@settings(
    max_examples=3,
    phases=[Phase.explicit, Phase.reuse, Phase.generate],
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(spec_data())
def test_generated_specs_synthesize_their_routing_model(data: dict[str, Any]) -> None:
    spec = parse_spec(json.dumps(data), source="generated.yaml")
    for environment in spec.environments:
        assert_parity(environment)
