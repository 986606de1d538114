"""The auto-rollback function: when a candidate's guardrail alarm goes to ALARM, send all of the
experiment's split traffic to the control variant.

Triggered by the SNS topic the experiment's guardrail alarms notify (on ALARM and on OK): the environment's
alarm topic, which other experiments' alarms notify too, or the experiment's own. For each SNS record,
`handle`:

1. ignores anything but a transition to ALARM, and any alarm that is not a guardrail alarm of a candidate
   (the control's own alarms, other experiments' alarms, the functions' error alarms): alarm names are
   `<ALARM_PREFIX><variant>-<kind>` for the variants of CANDIDATE_TARGET_GROUPS and the kinds of
   ALARM_KINDS;
2. reads the split rule (DescribeRules) and ignores the alarm when that candidate takes no traffic there
   (weight 0, or not in the forward: already rolled back, or paused);
3. replaces the rule's forward action (ModifyRule) by one to the control's target group alone, weight
   `CONTROL_WEIGHT`, stickiness settings kept. The candidates' target groups leave the forward, not only
   their weights: with group stickiness a client stays on its target group while that group is in the
   forward, even at weight 0, so only removing it moves sticky clients to the control;
4. records what it did, on the split rule (AddTags): `ab-rolled-back` = `<UTC time> <alarm name>` (`drift`
   and `reconcile` show it), and the contract tags of the new forward: `variant` and `model` name the
   control, `paused-variants` the candidates (so `status` shows them at 0 %); and one JSON log line with
   the weights before and after.

A failed AWS call raises: SNS invokes the function asynchronously, so Lambda retries it twice, then sends
the event to the dead-letter queue, and the function's error alarm fires.

Configuration (environment variables, set by the construct):
    EXPERIMENT: the experiment's name (for the log).
    SPLIT_RULE_ARN: the experiment's split rule.
    CONTROL_VARIANT, CONTROL_MODEL, CONTROL_TARGET_GROUP_ARN: the control, its model (`<id>:<version>`)
        and its target group.
    CANDIDATE_TARGET_GROUPS: JSON object, candidate variant -> its target group ARN, in the spec's order.
    ALARM_PREFIX: what the experiment's alarm names start with, `<environment>-<experiment>-`.
    ALARM_KINDS: the guardrail alarm kinds, space-separated (`5xx-rate p99-latency ...`).

Pure Python with boto3 only: the zip holds this file alone.
"""

from __future__ import annotations

import datetime
import json
import logging
import os
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import boto3

#: The tags the function writes on the split rule (`constructs_ab.routing.contract`'s, a test keeps them equal).
ROLLED_BACK_TAG = "ab-rolled-back"
VARIANT_TAG = "variant"
MODEL_TAG = "model"
PAUSED_VARIANTS_TAG = "paused-variants"
#: The control's weight in the forward the function writes (the only target group left).
CONTROL_WEIGHT = 100
#: ELBv2 tag values hold at most 256 characters.
MAX_TAG_VALUE = 256

LOG = logging.getLogger("auto-rollback")
LOG.setLevel(logging.INFO)


@dataclass(frozen=True, kw_only=True)
class Config:
    """The function's configuration (see the module docstring for each field)."""

    experiment: str
    split_rule_arn: str
    control_variant: str
    control_model: str
    control_target_group_arn: str
    candidate_target_groups: Mapping[str, str]
    alarm_prefix: str
    alarm_kinds: tuple[str, ...]

    @classmethod
    def from_environment(cls, environ: Mapping[str, str] = os.environ) -> Config:
        return cls(
            experiment=environ["EXPERIMENT"],
            split_rule_arn=environ["SPLIT_RULE_ARN"],
            control_variant=environ["CONTROL_VARIANT"],
            control_model=environ["CONTROL_MODEL"],
            control_target_group_arn=environ["CONTROL_TARGET_GROUP_ARN"],
            candidate_target_groups=json.loads(environ["CANDIDATE_TARGET_GROUPS"]),
            alarm_prefix=environ["ALARM_PREFIX"],
            alarm_kinds=tuple(environ["ALARM_KINDS"].split()),
        )

    def candidate_of(self, alarm_name: str) -> str | None:
        """The candidate whose guardrail alarm this is, or None."""
        for variant in self.candidate_target_groups:
            for kind in self.alarm_kinds:
                if alarm_name == f"{self.alarm_prefix}{variant}-{kind}":
                    return variant
        return None


def handle(event: Mapping[str, Any], context: Any = None, *, elbv2: Any = None) -> dict[str, Any]:
    """The Lambda entry point (`handler.handle`): one outcome per SNS record, also logged.

    `elbv2`: the ELBv2 client to use (tests); default one from the function's role and Region."""
    config = Config.from_environment()
    client = elbv2 if elbv2 is not None else boto3.client("elbv2")
    outcomes = []
    for record in event.get("Records", []):
        message = json.loads(record["Sns"]["Message"])
        outcome = process_alarm(config, client, message)
        LOG.info(json.dumps(outcome, sort_keys=True))
        outcomes.append(outcome)
    return {"outcomes": outcomes}


def process_alarm(config: Config, elbv2: Any, message: Mapping[str, Any]) -> dict[str, Any]:
    """Act on one CloudWatch alarm notification; the outcome: `action` (`rolled-back` or `ignored`),
    `reason` and, for a rollback, the weights before and after."""
    alarm = str(message.get("AlarmName", ""))
    outcome: dict[str, Any] = {"experiment": config.experiment, "alarm": alarm, "rule": config.split_rule_arn}
    state = message.get("NewStateValue")
    if state != "ALARM":
        return {**outcome, "action": "ignored", "reason": f"state {state}, not ALARM"}
    candidate = config.candidate_of(alarm)
    if candidate is None:
        return {**outcome, "action": "ignored", "reason": "not a guardrail alarm of a candidate variant"}
    outcome["variant"] = candidate
    (rule,) = elbv2.describe_rules(RuleArns=[config.split_rule_arn])["Rules"]
    actions = rule["Actions"]
    index, forward = _forward(actions)
    before = {group["TargetGroupArn"]: group.get("Weight", 1) for group in forward.get("TargetGroups", [])}
    if not before.get(config.candidate_target_groups[candidate]):
        return {
            **outcome,
            "action": "ignored",
            "reason": f"{candidate} takes no traffic on the split rule (already rolled back or paused)",
        }
    new_action = {
        key: value for key, value in actions[index].items() if key not in ("TargetGroupArn", "ForwardConfig")
    }
    new_forward: dict[str, Any] = {
        "TargetGroups": [{"TargetGroupArn": config.control_target_group_arn, "Weight": CONTROL_WEIGHT}]
    }
    if "TargetGroupStickinessConfig" in forward:
        new_forward["TargetGroupStickinessConfig"] = forward["TargetGroupStickinessConfig"]
    new_action["ForwardConfig"] = new_forward
    elbv2.modify_rule(
        RuleArn=config.split_rule_arn, Actions=[*actions[:index], new_action, *actions[index + 1 :]]
    )
    when = datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    tags = {
        ROLLED_BACK_TAG: f"{when} {alarm}"[:MAX_TAG_VALUE],
        VARIANT_TAG: config.control_variant,
        MODEL_TAG: config.control_model,
        PAUSED_VARIANTS_TAG: " ".join(config.candidate_target_groups)[:MAX_TAG_VALUE],
    }
    elbv2.add_tags(
        ResourceArns=[config.split_rule_arn],
        Tags=[{"Key": key, "Value": value} for key, value in tags.items()],
    )
    names = {arn: name for name, arn in config.candidate_target_groups.items()}
    names[config.control_target_group_arn] = config.control_variant
    return {
        **outcome,
        "action": "rolled-back",
        "reason": f"{alarm} is in ALARM: all traffic to the control {config.control_variant}",
        "at": when,
        "before": {names.get(arn, arn): weight for arn, weight in before.items()},
        "after": {config.control_variant: CONTROL_WEIGHT},
    }


def _forward(actions: list[dict[str, Any]]) -> tuple[int, dict[str, Any]]:
    """The index of the rule's forward action and its ForwardConfig (one target group: made one)."""
    for index, action in enumerate(actions):
        if action.get("Type") == "forward":
            forward = action.get("ForwardConfig")
            if forward is None:
                forward = {"TargetGroups": [{"TargetGroupArn": action["TargetGroupArn"], "Weight": 1}]}
            return index, dict(forward)
    raise ValueError("the split rule has no forward action")
