"""Property tests: the evaluator follows the documented ALB rule semantics.

See: https://docs.aws.amazon.com/elasticloadbalancing/latest/application/rule-condition-types.html
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from constructs_ab.review.evaluate import Request, evaluate, evaluate_listener, probabilities
from constructs_ab.review.reader import model_from_documents
from constructs_ab.review.traffic import (
    Condition,
    FixedResponseAction,
    ForwardAction,
    Listener,
    Rule,
    RuleRole,
    TargetGroup,
)
from constructs_ab.routing.wildcard import wildcard_match

PATTERN_CHARS = "abAB/.-+*?"
TEXT_CHARS = "abAB/.-+"


def reference_match(pattern: str, text: str, *, case_sensitive: bool) -> bool:
    """The documented meaning as a regular expression: * is any run of characters, ? exactly one."""
    regex = "".join(".*" if c == "*" else "." if c == "?" else re.escape(c) for c in pattern)
    flags = re.DOTALL | (0 if case_sensitive else re.IGNORECASE)
    return re.fullmatch(regex, text, flags) is not None


@given(st.text(PATTERN_CHARS, max_size=10), st.text(TEXT_CHARS, max_size=12), st.booleans())
def test_wildcard_matcher_agrees_with_the_regex_translation(
    pattern: str, text: str, case_sensitive: bool
) -> None:
    assert wildcard_match(pattern, text, case_sensitive=case_sensitive) == reference_match(
        pattern, text, case_sensitive=case_sensitive
    )


@given(st.data(), st.text(PATTERN_CHARS, max_size=10))
def test_a_text_built_from_the_pattern_always_matches(data: st.DataObject, pattern: str) -> None:
    # GIVEN a text where each * is replaced by any run and each ? by one character
    text = "".join(
        data.draw(st.text(TEXT_CHARS, max_size=4))
        if c == "*"
        else data.draw(st.sampled_from(TEXT_CHARS))
        if c == "?"
        else c
        for c in pattern
    )
    # THEN it matches, case-sensitively, and case-insensitively after swapping case
    assert wildcard_match(pattern, text, case_sensitive=True)
    assert wildcard_match(pattern, text.swapcase(), case_sensitive=False)


weights_st = st.lists(st.integers(0, 999), min_size=1, max_size=5).filter(lambda ws: sum(ws) > 0)


@given(weights_st)
def test_forward_probabilities_are_weight_over_sum_and_sum_to_one(weights: list[int]) -> None:
    groups = [TargetGroup(address=f"tg.{i}", name=f"tg-{i}") for i in range(len(weights))]
    rule = Rule(address="r", priority=1, conditions=(), action=ForwardAction.weighted(groups, weights))
    _, action = evaluate_listener(Listener(address="l", rules=(rule,)), Request.parse("GET /"))
    shares = [t.share for t in action.targets] if isinstance(action, ForwardAction) else []
    assert sum(s or 0.0 for s in shares) == pytest.approx(1.0)
    assert shares == [w / sum(weights) for w in weights]


# --- Terraform JSON following the contract, built from random experiments -------------------------


@st.composite
def experiments(draw: st.DrawFn) -> dict[str, Any]:
    count = draw(st.integers(2, 5))
    names = draw(
        st.lists(st.from_regex(r"[a-z]{1,6}", fullmatch=True), min_size=count, max_size=count, unique=True)
    )
    return {
        "name": draw(st.from_regex(r"[a-z]{3,10}", fullmatch=True)),
        "segment": draw(st.from_regex(r"[a-z0-9]{1,8}", fullmatch=True)),
        "priority": draw(st.integers(1, 49_000)),
        "variants": names,
        "weights": draw(
            st.lists(st.integers(0, 999), min_size=count, max_size=count).filter(lambda w: sum(w) > 0)
        ),
        "order": draw(st.permutations(range(count + 1))),
    }


def terraform(exp: dict[str, Any], order: list[int] | None = None) -> dict[str, Any]:
    """A stack with the experiment's override rules and split, rule resources in the given order."""
    ref = "${aws_lb_listener.https.arn}"
    paths = {"path_pattern": {"values": [f"/{exp['segment']}", f"/{exp['segment']}/*"]}}
    groups = {v: {"name": f"tg-{v}", "tags": {"variant": v, "model": f"{v}:1"}} for v in exp["variants"]}
    rule_list: list[tuple[str, dict[str, Any]]] = [
        (
            f"override_{v}",
            {
                "listener_arn": ref,
                "priority": exp["priority"] + i,
                "condition": [paths, {"http_header": {"http_header_name": "X-Model-Variant", "values": [v]}}],
                "action": [
                    {
                        "type": "forward",
                        "forward": {
                            "target_group": [{"arn": f"${{aws_lb_target_group.{v}.arn}}", "weight": 1}],
                            "stickiness": {"enabled": False},
                        },
                    }
                ],
                "tags": {"experiment": exp["name"], "ab-role": "override", "variant": v},
            },
        )
        for i, v in enumerate(exp["variants"])
    ]
    rule_list.append(
        (
            "split",
            {
                "listener_arn": ref,
                "priority": exp["priority"] + len(exp["variants"]),
                "condition": [paths],
                "action": [
                    {
                        "type": "forward",
                        "forward": {
                            "target_group": [
                                {"arn": f"${{aws_lb_target_group.{v}.arn}}", "weight": w}
                                for v, w in zip(exp["variants"], exp["weights"], strict=True)
                            ],
                            "stickiness": {"enabled": False},
                        },
                    }
                ],
                "tags": {"experiment": exp["name"], "ab-role": "split", "variant": " ".join(exp["variants"])},
            },
        )
    )
    ordered = [rule_list[i] for i in (order if order is not None else range(len(rule_list)))]
    return {
        "resource": {
            "aws_lb_listener_rule": dict(ordered),
            "aws_lb_target_group": groups,
            "aws_lb_listener": {
                "https": {
                    "load_balancer_arn": "${aws_lb.main.arn}",
                    "port": 443,
                    "protocol": "HTTPS",
                    "default_action": {"type": "fixed-response", "fixed_response": {"status_code": "404"}},
                }
            },
            "aws_lb": {"main": {"name": "main"}},
        }
    }


@given(experiments(), st.data())
def test_override_header_reaches_exactly_that_variant(exp: dict[str, Any], data: st.DataObject) -> None:
    # GIVEN an experiment whose override rules have lower priority numbers than its split
    model = model_from_documents("s", [terraform(exp, exp["order"])])
    variant = data.draw(st.sampled_from(exp["variants"]))
    header = data.draw(st.sampled_from(["X-Model-Variant", "x-model-variant", "X-MODEL-VARIANT"]))
    # WHEN a request names the variant in the override header (any case)
    request = Request.parse(f"GET /{exp['segment']}/x", headers=[f"{header}: {variant.upper()}"])
    (outcome,) = evaluate(model, request)
    # THEN the override rule of that variant takes it, 100% to that variant
    assert outcome.rule is not None and outcome.rule.role is RuleRole.OVERRIDE
    assert probabilities(outcome) == [(variant, 1.0)]


@given(experiments())
def test_without_header_the_split_takes_the_request_with_weight_over_sum(exp: dict[str, Any]) -> None:
    (outcome,) = evaluate(
        model_from_documents("s", [terraform(exp, exp["order"])]), Request.parse(f"GET /{exp['segment']}")
    )
    assert outcome.rule is not None and outcome.rule.role is RuleRole.SPLIT
    total = sum(exp["weights"])
    assert probabilities(outcome) == [
        (v, w / total) for v, w in zip(exp["variants"], exp["weights"], strict=True)
    ]


@given(experiments(), st.text(TEXT_CHARS + "xyz", max_size=10))
def test_rule_order_does_not_depend_on_file_order(exp: dict[str, Any], path_tail: str) -> None:
    in_order = model_from_documents("s", [terraform(exp)])
    shuffled = model_from_documents("s", [terraform(exp, exp["order"])])
    assert in_order == shuffled
    request = Request.parse(f"GET /{exp['segment']}{path_tail}")
    assert evaluate(in_order, request) == evaluate(shuffled, request)


@st.composite
def rule_sets(draw: st.DrawFn) -> list[Rule]:
    count = draw(st.integers(0, 6))
    priorities = draw(st.lists(st.integers(1, 50_000), min_size=count, max_size=count, unique=True))
    out = []
    for priority in priorities:
        conditions = [
            Condition.path_patterns(
                *draw(st.lists(st.text(PATTERN_CHARS, max_size=6), min_size=1, max_size=3))
            )
        ]
        if draw(st.booleans()):
            conditions.append(
                Condition.http_request_methods(
                    *draw(st.lists(st.sampled_from(["GET", "POST"]), min_size=1, max_size=2))
                )
            )
        out.append(
            Rule(
                address=f"r{priority}",
                priority=priority,
                conditions=tuple(conditions),
                action=FixedResponseAction(status_code=str(priority)),
            )
        )
    return out


@given(rule_sets(), st.text(TEXT_CHARS, max_size=8), st.sampled_from(["GET", "POST", "get"]))
def test_first_matching_rule_by_ascending_priority_wins(rules: list[Rule], path: str, method: str) -> None:
    # Reference: values OR-ed within a condition, conditions AND-ed, lowest priority number first.
    def matches(rule: Rule) -> bool:
        return all(
            any(reference_match(v, path, case_sensitive=True) for v in c.values)
            if c.field.value == "path-pattern"
            else method in c.values
            for c in rule.conditions
        )

    expected = min((r for r in rules if matches(r)), key=lambda r: r.priority or 0, default=None)
    listener = Listener(
        address="l", rules=tuple(rules), default_action=FixedResponseAction(status_code="404")
    )
    rule, action = evaluate_listener(listener, Request(method=method, path=path))
    assert rule == expected
    assert action == (expected.action if expected else listener.default_action)
