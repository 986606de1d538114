"""`validate(spec)` on a spec built in Python reports what a spec file with the same mistake reports: the
same field path and message (no line). Each case changes the valid base spec, loaded, with
`dataclasses.replace`, as the row of `test_validation_rules.RULES` with the same field and value changes
the file; the expected problem is that row's."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any

import pytest

from constructs_ab.spec import (
    Environment,
    Experiment,
    HeaderMatch,
    HealthCheck,
    LoadBalancer,
    Match,
    Override,
    Problem,
    Ramp,
    Spec,
    Stickiness,
    Target,
    Variant,
    WeightedVariant,
    validate,
)
from constructs_ab.spec.model import (
    AccessLogs,
    DefaultAction,
    DefaultActionKind,
    Guardrails,
    Waf,
    WafRuleAction,
)

from .spec_builders import base_spec, load
from .test_validation_rules import RULES

Change = Callable[[Spec], Spec]


def _environment(spec: Spec, **changes: Any) -> Spec:
    return dataclasses.replace(spec, environments=(dataclasses.replace(spec.environments[0], **changes),))


def _experiment(spec: Spec, **changes: Any) -> Spec:
    environment = spec.environments[0]
    return _environment(spec, experiments=(dataclasses.replace(environment.experiments[0], **changes),))


def _load_balancer(spec: Spec, **changes: Any) -> Spec:
    environment = spec.environments[0]
    return _environment(spec, load_balancers=(dataclasses.replace(environment.load_balancers[0], **changes),))


def _entry(spec: Spec, **changes: Any) -> Spec:
    """Variant b (the second of experiment exp) with its weight, paused or settings changed."""
    experiment = spec.environments[0].experiments[0]
    first, second = experiment.variants
    weighted = {k: v for k, v in changes.items() if k in ("weight", "paused")}
    settings = {k: v for k, v in changes.items() if k not in weighted}
    second = dataclasses.replace(second, variant=dataclasses.replace(second.variant, **settings), **weighted)
    return _experiment(spec, variants=(first, second))


def _ramp(**fields: Any) -> Change:
    return lambda spec: _experiment(spec, ramp=Ramp(**{"stages": (20,), **fields}))


CASES: list[tuple[str, Any, Change]] = [
    ("environments.prod.region", "eu-west1", lambda s: _environment(s, region="eu-west1")),
    ("environments.prod.vpc_id", "vpc-12", lambda s: _environment(s, vpc_id="vpc-12")),
    (
        "environments.prod.subnet_ids",
        ["subnet-0a1b2c3d4e5f60001"],
        lambda s: _environment(s, subnet_ids=("subnet-0a1b2c3d4e5f60001",)),
    ),
    (
        "environments.prod.subnet_ids.1",
        "sub-1",
        lambda s: _environment(s, subnet_ids=("subnet-0a1b2c3d4e5f60001", "sub-1")),
    ),
    (
        "environments.prod.certificate_arn",
        "arn:aws:acm:us-east-1:123456789012:certificate/11111111-2222-3333-4444-555555555555",
        lambda s: _environment(
            s,
            certificate_arn="arn:aws:acm:us-east-1:123456789012:certificate/11111111-2222-3333-4444-555555555555",
        ),
    ),
    (
        "environments.prod.allowed_client_cidrs",
        ["10.0.0.1/8"],
        lambda s: _environment(s, allowed_client_cidrs=("10.0.0.1/8",)),
    ),
    ("environments.prod.allowed_client_cidrs", [], lambda s: _environment(s, allowed_client_cidrs=())),
    ("environments.prod.owner", "a#b", lambda s: _environment(s, owner="a#b")),
    ("environments.prod.tags", {"aws:x": "y"}, lambda s: _environment(s, tags=(("aws:x", "y"),))),
    ("environments.prod.tags", {"owner": "y"}, lambda s: _environment(s, tags=(("owner", "y"),))),
    ("environments.prod.tags", {"k": 5}, lambda s: _environment(s, tags=(("k", 5),))),
    (
        "environments.prod.load_balancers.public",
        {"idle_timeout": 0},
        lambda s: _load_balancer(s, idle_timeout=0),
    ),
    (
        "environments.prod.load_balancers.public",
        {"internal": "yes"},
        lambda s: _load_balancer(s, internal="yes"),
    ),
    (
        "environments.prod.load_balancers.public",
        {"waf": {"rate_limit": 9}},
        lambda s: _load_balancer(s, waf=Waf(rate_limit=9)),
    ),
    (
        "environments.prod.load_balancers.public",
        {"waf": {"rule_actions": {"CrossSiteScripting_Body": "block"}}},
        lambda s: _load_balancer(
            s, waf=Waf(rule_actions=(("CrossSiteScripting_Body", WafRuleAction.BLOCK),))
        ),
    ),
    (
        "environments.prod.load_balancers.public",
        {"waf": {"rule_actions": {"NoUserAgent_HEADER": "allow"}}},
        lambda s: _load_balancer(s, waf=Waf(rule_actions=(("NoUserAgent_HEADER", "allow"),))),  # type: ignore[arg-type]
    ),
    ("environments.prod.load_balancers.public", {"max_rules": 99}, lambda s: _load_balancer(s, max_rules=99)),
    (
        "environments.prod.load_balancers.public",
        {"default_action": {"forward": "c"}},
        lambda s: _load_balancer(
            s, default_action=DefaultAction(kind=DefaultActionKind.FORWARD, variant="c")
        ),
    ),
    (
        "environments.prod.load_balancers.public",
        {"ssl_policy": "ELBSecurityPolicy-2016-08"},
        lambda s: (_load_balancer(s, ssl_policy="ELBSecurityPolicy-2016-08")),
    ),
    (
        "environments.prod.load_balancers.public",
        {"access_logs": {"prefix": "/logs"}},
        lambda s: _load_balancer(s, access_logs=AccessLogs(prefix="/logs")),
    ),
    (
        "environments.prod.load_balancers.Public",
        {},
        lambda s: _environment(
            s, load_balancers=(*s.environments[0].load_balancers, LoadBalancer(name="Public"))
        ),
    ),
    ("environments.prod.experiments.0.name", "Exp_1", lambda s: _experiment(s, name="Exp_1")),
    (
        "environments.prod.experiments.0.load_balancer",
        "pubic",
        lambda s: _experiment(s, load_balancer="pubic"),
    ),
    ("environments.prod.experiments.0.priority", 0, lambda s: _experiment(s, priority=0)),
    ("environments.prod.experiments.0.priority", 49999, lambda s: _experiment(s, priority=49999)),
    ("environments.prod.experiments.0.priority", "100", lambda s: _experiment(s, priority="100")),
    ("environments.prod.experiments.0.match", {}, lambda s: _experiment(s, match=Match())),
    (
        "environments.prod.experiments.0.match",
        {"paths": ["abtest"]},
        lambda s: _experiment(s, match=Match(paths=("abtest",))),
    ),
    (
        "environments.prod.experiments.0.match",
        {"hosts": ["localhost"]},
        lambda s: _experiment(s, match=Match(hosts=("localhost",))),
    ),
    (
        "environments.prod.experiments.0.match",
        {"methods": ["post"]},
        lambda s: _experiment(s, match=Match(methods=("post",))),
    ),
    (
        "environments.prod.experiments.0.match",
        {"headers": {"X Bad": "v"}},
        lambda s: _experiment(s, match=Match(headers=(HeaderMatch(name="X Bad", values=("v",)),))),
    ),
    (
        "environments.prod.experiments.0.match",
        {"headers": {"X-Model-Variant": "v"}},
        lambda s: _experiment(s, match=Match(headers=(HeaderMatch(name="X-Model-Variant", values=("v",)),))),
    ),
    (
        "environments.prod.experiments.0.match",
        {"paths": ["/a", "/b", "/c", "/d", "/e"]},
        lambda s: _experiment(s, match=Match(paths=("/a", "/b", "/c", "/d", "/e"))),
    ),
    (
        "environments.prod.experiments.0.stickiness",
        0,
        lambda s: _experiment(s, stickiness=Stickiness(duration=0)),
    ),
    (
        "environments.prod.experiments.0.stickiness",
        True,
        lambda s: _experiment(s, stickiness=Stickiness(duration=True)),
    ),
    (
        "environments.prod.experiments.0.override",
        {"header": "X Variant"},
        lambda s: _experiment(s, override=Override(header="X Variant")),
    ),
    (
        "environments.prod.experiments.0.variants",
        [{"name": "a", "model": "m:1", "weight": 1}],
        lambda s: (_experiment(s, variants=s.environments[0].experiments[0].variants[:1])),
    ),
    ("environments.prod.experiments.0.variants.1.weight", 1000, lambda s: _entry(s, weight=1000)),
    ("environments.prod.experiments.0.variants.1.weight", True, lambda s: _entry(s, weight=True)),
    ("environments.prod.experiments.0.variants.1.weight", 20.5, lambda s: _entry(s, weight=20.5)),
    ("environments.prod.experiments.0.variants.1.weight", 0, lambda s: _entry(s, weight=0)),
    ("environments.prod.experiments.0.variants.1.paused", True, lambda s: _entry(s, paused=True)),
    (
        "environments.prod.experiments.0.variants.1.name",
        "a-very-long-variant-name-for-tg",
        lambda s: _entry(s, name="a-very-long-variant-name-for-tg"),
    ),
    (
        "environments.prod.experiments.0.variants.1.model",
        {"id": "m", "version": 2.0},
        lambda s: _entry(s, model_version=2.0),
    ),
    (
        "environments.prod.experiments.0.variants.1.model",
        {"id": "m x", "version": "2"},
        lambda s: _entry(s, model_id="m x"),
    ),
    ("environments.prod.experiments.0.variants.1.port", 0, lambda s: _entry(s, port=0)),
    ("environments.prod.experiments.0.variants.1.protocol", "http", lambda s: _entry(s, protocol="http")),
    (
        "environments.prod.experiments.0.variants.1.target_type",
        "lambda",
        lambda s: _entry(s, target_type="lambda"),
    ),
    (
        "environments.prod.experiments.0.variants.1.health_check",
        {"interval": 4},
        lambda s: _entry(s, health_check=HealthCheck(interval=4)),
    ),
    (
        "environments.prod.experiments.0.variants.1.health_check",
        {"interval": 10, "timeout": 10},
        lambda s: _entry(s, health_check=HealthCheck(interval=10, timeout=10)),
    ),
    (
        "environments.prod.experiments.0.variants.1.health_check",
        {"unhealthy_threshold": 1},
        lambda s: _entry(s, health_check=HealthCheck(unhealthy_threshold=1)),
    ),
    (
        "environments.prod.experiments.0.variants.1.health_check",
        {"matcher": "199"},
        lambda s: _entry(s, health_check=HealthCheck(matcher="199")),
    ),
    ("environments.prod.experiments.0.variants.1.slow_start", 10, lambda s: _entry(s, slow_start=10)),
    (
        "environments.prod.experiments.0.variants.1.deregistration_delay",
        3601,
        lambda s: _entry(s, deregistration_delay=3601),
    ),
    (
        "environments.prod.experiments.0.variants.1.targets",
        ["8.8.8.8"],
        lambda s: _entry(s, targets=(Target(id="8.8.8.8"),)),
    ),
    (
        "environments.prod.experiments.0.variants.1.targets",
        [{"id": "10.0.0.5", "port": 70000}],
        lambda s: (_entry(s, targets=(Target(id="10.0.0.5", port=70000),))),
    ),
    ("environments.prod.experiments.0.ramp", {"candidate": "c", "stages": [20]}, _ramp(candidate="c")),
    (
        "environments.prod.experiments.0.ramp",
        {"candidate": "b", "stages": [5, 5]},
        _ramp(candidate="b", stages=(5, 5)),
    ),
    (
        "environments.prod.experiments.0.ramp",
        {"candidate": "b", "stages": [5, 50], "stage": 2},
        _ramp(candidate="b", stages=(5, 50), stage=2),
    ),
    (
        "environments.prod.experiments.0.ramp",
        {"candidate": "b", "stages": [5, 50], "stage": 1},
        _ramp(candidate="b", stages=(5, 50), stage=1),
    ),
    (
        "environments.prod.experiments.0.ramp",
        {"candidate": "b", "stages": [5, 50], "stage": -1},
        _ramp(candidate="b", stages=(5, 50), stage=-1),
    ),
    (
        "environments.prod.experiments.0.guardrails",
        {"error_rate_percent": 0},
        lambda s: _experiment(s, guardrails=Guardrails(error_rate_percent=0)),
    ),
    (
        "environments.prod.experiments.0.guardrails",
        {"period": 90},
        lambda s: _experiment(s, guardrails=Guardrails(period=90)),
    ),
    (
        "environments.prod.experiments.0.guardrails",
        {"period": 3600, "evaluation_periods": 25},
        lambda s: (_experiment(s, guardrails=Guardrails(period=3600, evaluation_periods=25))),
    ),
    (
        "environments.prod.experiments.0.guardrails",
        {"alarm_email": "oncall"},
        lambda s: _experiment(s, guardrails=Guardrails(alarm_email="oncall")),
    ),
]


def _expected(where: str, value: Any) -> tuple[str, str]:
    """The (path, message) that `test_validation_rules` expects when the file has this change."""
    return next((path, message) for w, v, path, message in RULES if w == where and v == value)


def _errors(problems: list[Problem]) -> list[tuple[str, str]]:
    assert all(p.line is None for p in problems)
    return [(p.path, p.message) for p in problems if p.is_error]


@pytest.fixture(scope="module")
def base() -> Spec:
    return load(base_spec())


def test_the_base_spec_built_in_python_is_valid(base: Spec) -> None:
    assert validate(base) == []


@pytest.mark.parametrize(("where", "value", "change"), CASES, ids=[f"{w}={v!r}"[:80] for w, v, _ in CASES])
def test_a_spec_built_in_python_gets_the_message_of_the_same_mistake_in_a_file(
    base: Spec, where: str, value: Any, change: Change
) -> None:
    assert _errors(validate(change(base))) == [_expected(where, value)]


def test_a_spec_built_from_scratch_in_python_is_checked() -> None:
    # GIVEN a spec written in Python without any file, with a shared variant on two load balancers
    shared = Variant(name="a", model_id="m", model_version="1")
    other = Variant(name="b", model_id="m", model_version="2")

    def experiment(name: str, load_balancer: str, priority: int) -> Experiment:
        return Experiment(
            name=name,
            load_balancer=load_balancer,
            match=Match(paths=(f"/{name}",)),
            priority=priority,
            variants=(WeightedVariant(variant=shared, weight=50), WeightedVariant(variant=other, weight=50)),
        )

    spec = Spec(
        environments=(
            Environment(
                name="prod",
                region="eu-west-1",
                vpc_id="vpc-0a1b2c3d4e5f67890",
                subnet_ids=("subnet-0a1b2c3d4e5f60001", "subnet-0a1b2c3d4e5f60002"),
                certificate_arn="arn:aws:acm:eu-west-1:123456789012:certificate/"
                "11111111-2222-3333-4444-555555555555",
                allowed_client_cidrs=("10.0.0.0/8",),
                owner="ml-platform",
                load_balancers=(LoadBalancer(name="public"), LoadBalancer(name="other")),
                experiments=(experiment("first", "public", 100), experiment("second", "other", 100)),
            ),
        )
    )
    # THEN the problems name the paths a file would have
    assert _errors(validate(spec)) == [
        (
            "environments.prod.experiments[1] (second).variants[0] (a)",
            'variant "a" is used on load balancer other here and on public by experiment first; a variant is one '
            "target group, which serves one load balancer: put both experiments on one load balancer or define a "
            "second variant",
        ),
        (
            "environments.prod.experiments[1] (second).variants[1] (b)",
            'variant "b" is used on load balancer other here and on public by experiment first; a variant is one '
            "target group, which serves one load balancer: put both experiments on one load balancer or define a "
            "second variant",
        ),
    ]


def test_two_different_variants_under_one_name_are_reported(base: Spec) -> None:
    # GIVEN variant b of the second entry replaced by another variant also named "a"
    experiment = base.environments[0].experiments[0]
    first, second = experiment.variants
    other_a = dataclasses.replace(second, variant=dataclasses.replace(second.variant, name="a"))
    spec = _experiment(base, variants=(first, other_a))
    assert _errors(validate(spec)) == [
        (
            "environments.prod.experiments[0] (exp).variants[1] (a).name",
            '"a" is already a variant of this experiment; list each variant once',
        ),
        (
            "environments.prod.experiments[0] (exp).variants[1] (a)",
            'variant "a" differs from the variant "a" of experiment exp; a variant is one target group, defined '
            "once per environment: use the same Variant in both experiments, or give this one another name",
        ),
    ]


def test_a_forward_without_a_variant_is_reported(base: Spec) -> None:
    spec = _load_balancer(base, default_action=DefaultAction(kind=DefaultActionKind.FORWARD))
    assert _errors(validate(spec)) == [
        (
            "environments.prod.load_balancers.public.default_action.forward",
            "missing; default_action is fixed-404 or {forward: <variant>}",
        )
    ]


def test_every_case_is_a_row_of_the_exact_message_table() -> None:
    for where, value, _ in CASES:
        _expected(where, value)
