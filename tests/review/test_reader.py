"""The reader builds the traffic model from our synth output and from hand-written Terraform JSON."""

from __future__ import annotations

from pathlib import Path

import pytest

from constructs_ab.review.reader import ReviewInputError, load_traffic
from constructs_ab.review.traffic import (
    ConditionField,
    FixedResponseAction,
    ForwardAction,
    OtherAction,
    QueryPair,
    RedirectAction,
    RuleRole,
    TrafficModel,
)

from .conftest import BASE, HANDWRITTEN, PROD


@pytest.fixture(scope="module")
def base() -> TrafficModel:
    return load_traffic([BASE])


@pytest.fixture(scope="module")
def handwritten() -> TrafficModel:
    return load_traffic([HANDWRITTEN])


def test_cdktf_output_gives_one_stack_per_directory_named_by_metadata(base: TrafficModel) -> None:
    assert [stack.name for stack in base.stacks] == ["prod", "staging"]
    assert base.stacks[0].sources == (str(PROD),)


def test_listeners_sorted_by_port_with_rules_in_priority_order(base: TrafficModel) -> None:
    balancer = base.stacks[0].load_balancers[0]
    assert (balancer.name, balancer.internal) == ("prod-public", False)
    http, https = balancer.listeners
    assert (http.label, https.label) == ("HTTP:80", "HTTPS:443")
    assert https.ssl_policy == "ELBSecurityPolicy-TLS13-1-2-2021-06"
    assert [rule.priority for rule in https.rules] == [100, 101, 102, 200, 201, 202, 203]
    assert http.rules == ()
    assert isinstance(http.default_action, RedirectAction)
    assert http.default_action.describe() == "redirect to HTTPS:443 (HTTP_301)"


def test_split_rule_resolves_target_groups_to_variants_models_and_shares(base: TrafficModel) -> None:
    https = base.stacks[0].load_balancers[0].listeners[1]
    split = https.rules[2]
    assert (split.experiment, split.role, split.variants) == (
        "sentiment-abtest",
        RuleRole.SPLIT,
        ("sentiment-a", "sentiment-b"),
    )
    assert split.construct_path == "prod/sentiment-abtest/split"
    assert isinstance(split.action, ForwardAction)
    rows = [
        (t.target_group.name, t.target_group.variant, t.target_group.model, t.weight, t.share)
        for t in split.action.targets
    ]
    assert rows == [
        ("prod-sentiment-a", "sentiment-a", "sentiment:1.4.2", 80, 0.8),
        ("prod-sentiment-b", "sentiment-b", "sentiment:2.0.0-rc1", 20, 0.2),
    ]
    assert split.action.stickiness is not None
    assert (split.action.stickiness.enabled, split.action.stickiness.duration) == (True, 3600)


def test_override_rule_and_paused_variant_tags(base: TrafficModel) -> None:
    https = base.stacks[0].load_balancers[0].listeners[1]
    override = https.rules[1]
    assert (override.role, override.variants, override.label) == (
        RuleRole.OVERRIDE,
        ("sentiment-b",),
        "sentiment-abtest override sentiment-b",
    )
    header = override.conditions[-1]
    assert (header.field, header.header_name, header.values) == (
        ConditionField.HTTP_HEADER,
        "X-Model-Variant",
        ("sentiment-b",),
    )
    assert https.rules[6].paused_variants == ("summarize-c",)


def test_handwritten_directory_merges_its_files_into_one_stack(handwritten: TrafficModel) -> None:
    assert [stack.name for stack in handwritten.stacks] == ["handwritten"]
    assert len(handwritten.stacks[0].sources) == 2


def test_handwritten_alb_aliases_id_references_and_both_json_shapes(handwritten: TrafficModel) -> None:
    balancer = next(b for b in handwritten.stacks[0].load_balancers if b.name == "classic-ab")
    (listener,) = balancer.listeners
    # No protocol given: the AWS provider's default for ALB listeners; the port was a string.
    assert (listener.address, listener.protocol, listener.port) == ("aws_alb_listener.http", "HTTP", 80)
    assert [r.address.split(".")[1] for r in listener.rules] == [
        "beta_users",
        "abtest",
        "legacy",
        "variable_weight",
    ]
    beta, abtest, legacy, variable = listener.rules
    # action as an object, `forward` block; `.id` reference; name_prefix shown with *
    assert isinstance(abtest.action, ForwardAction)
    assert [(t.target_group.label, t.weight, t.share) for t in abtest.action.targets] == [
        ("a", 80, 0.8),
        ("mb-*", 20, 0.2),
    ]
    assert abtest.action.stickiness is None
    # The final action by `order` (authenticate first); list and object condition shapes
    assert isinstance(beta.action, ForwardAction)
    assert beta.action.targets[0].target_group.address == "aws_alb_target_group.model_b"
    assert [c.field for c in beta.conditions] == [
        ConditionField.PATH_PATTERN,
        ConditionField.QUERY_STRING,
        ConditionField.SOURCE_IP,
    ]
    assert beta.conditions[1].query == (
        QueryPair(key="beta", value="tru?"),
        QueryPair(key=None, value="canary"),
    )
    # An unresolvable data source reference is kept as written
    assert isinstance(legacy.action, ForwardAction)
    assert legacy.action.targets[0].target_group.name == "${data.aws_lb_target_group.legacy.arn}"
    assert legacy.priority == 20
    # A weight that is a variable: unknown weight, unknown shares; string booleans and numbers read
    assert isinstance(variable.action, ForwardAction)
    assert [(t.weight, t.share) for t in variable.action.targets] == [(80, None), (None, None)]
    assert variable.action.stickiness is not None
    assert (variable.action.stickiness.enabled, variable.action.stickiness.duration) == (True, 600)


def test_rule_on_listener_outside_the_configuration_is_shown_under_its_reference(
    handwritten: TrafficModel,
) -> None:
    outside = next(b for b in handwritten.stacks[0].load_balancers if b.name != "classic-ab")
    (listener,) = outside.listeners
    assert listener.address == "${data.aws_lb_listener.shared.arn}"
    (rule,) = listener.rules
    assert rule.priority is None
    assert rule.conditions[0].field is ConditionField.PATH_PATTERN  # the legacy field/values form
    assert isinstance(rule.action, FixedResponseAction) and rule.action.status_code == "503"


def test_checkov_normalized_values_wrapped_in_lists_are_read(tmp_path: Path) -> None:
    # GIVEN a rule where every scalar is wrapped in a one-element list, as Checkov normalizes it
    (tmp_path / "main.tf.json").write_text(
        """{"resource": {"aws_lb_listener": {"l": {"port": [443], "protocol": ["HTTPS"],
        "default_action": [{"type": ["fixed-response"], "fixed_response": [{"status_code": ["404"]}]}]}},
        "aws_lb_listener_rule": {"r": {"listener_arn": ["${aws_lb_listener.l.arn}"], "priority": [7],
        "condition": [{"path_pattern": [{"values": [["/x"]]}]}],
        "action": [{"type": ["forward"], "forward": [{"target_group": [{"arn": ["tg-arn"], "weight": [3]}]}]}]}}}}"""
    )
    # WHEN it is read
    (listener,) = load_traffic([tmp_path]).stacks[0].load_balancers[0].listeners
    # THEN the values come through unwrapped
    assert listener.label == "HTTPS:443"
    (rule,) = listener.rules
    assert rule.priority == 7 and rule.conditions[0].values == ("/x",)
    assert isinstance(rule.action, ForwardAction) and rule.action.targets[0].weight == 3


def test_unknown_action_types_are_kept_by_name(tmp_path: Path) -> None:
    (tmp_path / "x.tf.json").write_text(
        '{"resource": {"aws_lb_listener": {"l": {"port": 443, "protocol": "HTTPS",'
        ' "default_action": {"type": "authenticate-cognito"}}}}}'
    )
    (listener,) = load_traffic([tmp_path / "x.tf.json"]).stacks[0].load_balancers[0].listeners
    assert listener.default_action == OtherAction(action_type="authenticate-cognito")


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "no such file or directory"),
        # the same messages as the gate's (one reader: constructs_ab.tfjson)
        ('{"resource": ', "invalid JSON at line 1, column 14: Expecting value"),
        ("[1, 2]", "not a Terraform JSON configuration"),
        (
            '{"resource": {"aws_s3_bucket": {"b": {}}}}',
            "no aws_lb_listener or aws_lb_listener_rule resources",
        ),
    ],
)
def test_fails_on_bad_input_with_one_line_naming_the_file(
    tmp_path: Path, content: str | None, message: str
) -> None:
    path = tmp_path / "main.tf.json"
    if content is not None:
        path.write_text(content)
    with pytest.raises(ReviewInputError) as error:
        load_traffic([path])
    assert str(error.value).startswith(f"{path}: ")
    assert message in str(error.value)
    assert "\n" not in str(error.value)


def test_fails_on_a_directory_without_terraform_json(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("hello")
    with pytest.raises(
        ReviewInputError, match=r"no Terraform files \(\*\.tf, \*\.tf\.json\) in this directory"
    ):
        load_traffic([tmp_path])
    # HCL only: the review says it reads Terraform JSON
    (tmp_path / "main.tf").write_text('resource "aws_lb" "x" {}\n')
    with pytest.raises(ReviewInputError, match=r"no Terraform JSON \(\*\.tf\.json\); the review reads"):
        load_traffic([tmp_path])
