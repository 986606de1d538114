"""Shadowed experiments (an error) and partly overlapping ones (a warning) on one load balancer's
listener: exact messages, with exact and wildcard paths, hosts and headers."""

from __future__ import annotations

from typing import Any

from constructs_ab.spec import Severity, SpecError, parse_spec_with_warnings

from .spec_builders import base_spec, dump

PROD = "environments.prod.experiments"


def _experiment(name: str, priority: int, match: dict[str, Any], **extra: Any) -> dict[str, Any]:
    return {
        "name": name,
        "load_balancer": extra.pop("load_balancer", "public"),
        "priority": priority,
        "match": match,
        "variants": [
            {"name": f"{name}-a", "model": {"id": "m", "version": "1"}, "weight": 50},
            {"name": f"{name}-b", "model": {"id": "m", "version": "2"}, "weight": 50},
        ],
        **extra,
    }


def _problems(*experiments: dict[str, Any]) -> list[tuple[str, Severity, str]]:
    spec = base_spec()
    spec["environments"]["prod"]["load_balancers"]["internal"] = {"internal": True}
    spec["environments"]["prod"]["experiments"] = list(experiments)
    try:
        loaded = parse_spec_with_warnings(dump(spec), source="s.yaml")
    except SpecError as error:
        return [(p.path, p.severity, p.message) for p in error.problems]
    return [(p.path, p.severity, p.message) for p in loaded.warnings]


def test_v1_star_before_v1_embeddings_is_an_error_naming_both_the_listener_and_the_priorities() -> None:
    # GIVEN /v1/* at priority 3700 and /v1/embeddings at 9572 on one load balancer
    problems = _problems(
        _experiment("chat", 3700, {"paths": ["/v1/*"]}),
        _experiment("embeddings", 9572, {"paths": ["/v1/embeddings"]}),
    )
    # THEN embeddings gets no traffic: one error on it
    assert problems == [
        (
            f"{PROD}[1] (embeddings)",
            Severity.ERROR,
            "on load balancer public's HTTPS listener, every request of experiment embeddings (priorities "
            "9572-9577) is taken first by experiment chat (priorities 3700-3705): its split rule matches "
            "path /v1/*, which includes path /v1/embeddings; embeddings would get no traffic: give "
            "embeddings priorities below 3700 (before chat), or make the matches disjoint",
        )
    ]


def test_the_narrow_experiment_first_is_valid() -> None:
    # GIVEN the subset carved out first: /v1/embeddings at 100, /v1/* at 200
    assert (
        _problems(
            _experiment("embeddings", 100, {"paths": ["/v1/embeddings"]}),
            _experiment("chat", 200, {"paths": ["/v1/*"]}),
        )
        == []
    )


def test_on_two_load_balancers_nothing_is_shadowed() -> None:
    assert (
        _problems(
            _experiment("chat", 3700, {"paths": ["/v1/*"]}),
            _experiment("embeddings", 9572, {"paths": ["/v1/embeddings"]}, load_balancer="internal"),
        )
        == []
    )


def test_a_partial_overlap_is_a_warning_with_an_example_request() -> None:
    # GIVEN /v1/* first, then a later experiment on /v1/embeddings and /v2/embeddings
    problems = _problems(
        _experiment("chat", 100, {"paths": ["/v1/*"]}),
        _experiment("embeddings", 200, {"paths": ["/v1/embeddings", "/v2/embeddings"]}),
    )
    assert problems == [
        (
            f"{PROD}[1] (embeddings)",
            Severity.WARNING,
            "on load balancer public's HTTPS listener, experiment embeddings (priorities 200-205) shares "
            "requests with experiment chat (priorities 100-105, evaluated first): a request such as GET "
            "/v1/embeddings matches both and goes to chat; make the matches disjoint, or give the experiment "
            "that should take such requests the lower priorities",
        )
    ]


def test_wildcard_hosts_shadow_an_exact_host_case_insensitively() -> None:
    problems = _problems(
        _experiment("wide", 100, {"paths": ["/v1/*"], "hosts": ["*.Example.com"]}),
        _experiment(
            "narrow", 200, {"paths": ["/v1/chat"], "hosts": ["api.example.com"], "methods": ["POST"]}
        ),
    )
    assert [(path, severity) for path, severity, _ in problems] == [(f"{PROD}[1] (narrow)", Severity.ERROR)]
    assert (
        "its split rule matches path /v1/*; host *.Example.com, which includes path /v1/chat; host "
        "api.example.com; method POST;"
    ) in problems[0][2]


def test_a_header_the_later_experiment_requires_keeps_it_reachable_only_when_the_earlier_one_lacks_it() -> (
    None
):
    # GIVEN the earlier experiment takes every /v1/* request; the later one only those with X-Client: beta
    shadowed = _problems(
        _experiment("chat", 100, {"paths": ["/v1/*"]}),
        _experiment("beta", 200, {"paths": ["/v1/chat"], "headers": {"X-Client": "beta"}}),
    )
    assert [(path, severity) for path, severity, _ in shadowed] == [(f"{PROD}[1] (beta)", Severity.ERROR)]
    # WHEN the earlier experiment requires a header value the later one does not always send
    overlapping = _problems(
        _experiment("chat", 100, {"paths": ["/v1/*"], "headers": {"X-Client": "beta*"}}),
        _experiment("beta", 200, {"paths": ["/v1/chat"], "headers": {"X-Client": ["beta", "gamma"]}}),
    )
    # THEN a warning, with a request that carries the header
    assert [(path, severity) for path, severity, _ in overlapping] == [
        (f"{PROD}[1] (beta)", Severity.WARNING)
    ]
    assert "a request such as GET /v1/chat (X-Client: beta) matches both" in overlapping[0][2]


def test_disjoint_headers_and_hosts_do_not_overlap() -> None:
    assert (
        _problems(
            _experiment("alpha", 100, {"paths": ["/v1/*"], "headers": {"X-Client": "alpha"}}),
            _experiment("beta", 200, {"paths": ["/v1/*"], "headers": {"X-Client": "beta"}}),
            _experiment("one", 300, {"paths": ["/v2/*"], "hosts": ["one.example.com"]}),
            _experiment("two", 400, {"paths": ["/v2/*"], "hosts": ["two.example.com"]}),
        )
        == []
    )


def test_a_shadowed_override_rule_is_an_error_on_its_experiment() -> None:
    # GIVEN an earlier experiment that matches the later one's override header for its variant a
    problems = _problems(
        _experiment("pinned", 100, {"paths": ["/v1/*"], "headers": {"X-Pin": "*"}}),
        _experiment("later", 200, {"paths": ["/v1/chat"]}, override={"header": "X-Pin"}),
    )
    (path, severity, message) = problems[0]
    assert (path, severity) == (f"{PROD}[1] (later)", Severity.ERROR)
    assert message.startswith(
        "on load balancer public's HTTPS listener, every request of the override rule for variant later-a "
        "of experiment later (priority 200) is taken first by experiment pinned (priorities 100-105)"
    )
