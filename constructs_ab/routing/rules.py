"""An experiment's routing and the listener rules it becomes.

    routing = ExperimentRouting(
        experiment="abtest",
        priority=100,
        conditions=(Condition.path_patterns("/abtest", "/abtest/*"),),
        targets=(ExperimentTarget(variant="model-a", model="sentiment:1.4.2", weight=80),
                 ExperimentTarget(variant="model-b", model="sentiment:2.0.0", weight=20)),
        stickiness=3600,
    )
    routing.rules()  # override-model-a (100), override-model-b (101), split (105)

The split rule forwards to every target with a positive weight (share = weight / sum of weights) with the
given group stickiness; a paused target (weight 0) is left out of the forward, so the load balancer forgets
its share and clients whose stickiness cookie names it move to the others at once (a rollback is a
rollback for them too), and is named in the split's `paused-variants` tag instead. Each override rule
takes the experiment's conditions plus `<override header>: <variant>` and forwards only to that variant
(paused ones too), with stickiness off. `check` holds the AWS limits a routing must meet.

See: https://docs.aws.amazon.com/elasticloadbalancing/latest/application/listener-update-rules.html
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import NamedTuple

from constructs_ab import aws_limits
from constructs_ab.prop_checks import PropProblems
from constructs_ab.routing.conditions import Condition, ConditionField, canonical, check_header_name
from constructs_ab.routing.contract import (
    AB_ROLE_TAG,
    DEFAULT_OVERRIDE_HEADER,
    EXPERIMENT_TAG,
    MAX_STEP_TAG,
    MODEL_TAG,
    PAUSED_VARIANTS_TAG,
    VARIANT_TAG,
    RuleRole,
    join_names,
    override_header_tags,
    role_of,
    split_names,
)
from constructs_ab.routing.layout import RuleSlot, rule_layout

#: The provider requires a stickiness duration even when stickiness is off; AWS ignores it then.
DISABLED_STICKINESS_DURATION = 1


class TerraformStickiness(NamedTuple):
    """The `stickiness` block of a forward, as Terraform takes it (`._asdict()` is its JSON)."""

    enabled: bool
    duration: int


@dataclass(frozen=True, kw_only=True)
class RuleTarget:
    """One target of a rule's forward: a variant and its weight (0..999)."""

    variant: str
    weight: int


@dataclass(frozen=True, kw_only=True)
class RoutedRule:
    """One listener rule of an experiment.

    key: its id inside the experiment, `override-<variant>` or `split` (see `routing.layout`).
    priority: 1..50000; the lower number is evaluated first.
    conditions: all must match; in the canonical order, an override rule's header condition last.
    targets: the forward's targets, in order.
    stickiness: group stickiness, seconds; None when off.
    tags: the contract tags (`experiment`, `ab-role`, `variant`, `model`, ...; see `routing.contract`),
        without the base tags (environment, owner, extra).
    """

    key: str
    priority: int
    conditions: tuple[Condition, ...]
    targets: tuple[RuleTarget, ...]
    stickiness: int | None
    tags: Mapping[str, str]

    @property
    def role(self) -> RuleRole:
        return role_of(self.tags)

    @property
    def experiment(self) -> str:
        return self.tags.get(EXPERIMENT_TAG, "")

    @property
    def variants(self) -> tuple[str, ...]:
        """The `variant` tag: a split's variants in forward order, an override rule's forced variant."""
        return split_names(self.tags.get(VARIANT_TAG))

    def stickiness_to_terraform(self) -> TerraformStickiness:
        """The forward's `stickiness` block: declared explicitly, also when off."""
        if self.stickiness is None:
            return TerraformStickiness(enabled=False, duration=DISABLED_STICKINESS_DURATION)
        return TerraformStickiness(enabled=True, duration=self.stickiness)


@dataclass(frozen=True, kw_only=True)
class ExperimentTarget:
    """One variant of an experiment's split.

    variant: the variant name (tag `variant`; no spaces).
    model: the model it serves, `<id>:<version>` (tag `model`; no spaces).
    weight: relative share, an integer 0..999; share = weight / sum of weights. A target at 0 is left out
        of the split's forward (it must be `paused`).
    paused: with weight 0, the variant is listed in the split's `paused-variants` tag (it takes no
        traffic on purpose) and only its override rule reaches it. Default False.
    """

    variant: str
    model: str
    weight: int
    paused: bool = False


@dataclass(frozen=True, kw_only=True)
class ExperimentRouting:
    """What an experiment asks of a listener.

    experiment: the experiment name (tag `experiment`).
    priority: priority of its first rule, 1..50000; see `routing.layout` for the others (the split at
        `priority + 5` with override rules, else at `priority`).
    conditions: which requests it takes, ANDed; at least one.
    targets: the weighted variants, 1..5.
    stickiness: group stickiness of the split, seconds, 1..604800. Default None (off).
    override_header: the header whose value forces a variant, through one override rule per variant.
        Default "X-Model-Variant"; None: no override rules.
    max_step: the ramp's largest accepted share change, percentage points, 1..100 (tag `ab-max-step`
        on the split). Default None (no ramp).
    override_source_ips: client CIDR blocks the override rules admit, as one more source-ip condition of
        each override rule (counted in its 5 condition values; not with a source-ip condition in
        `conditions`, which the override rules keep). Default none: every client that matches.
    """

    experiment: str
    priority: int
    conditions: tuple[Condition, ...]
    targets: tuple[ExperimentTarget, ...]
    stickiness: int | None = None
    override_header: str | None = DEFAULT_OVERRIDE_HEADER
    max_step: int | None = None
    override_source_ips: tuple[str, ...] = ()

    def layout(self) -> tuple[RuleSlot, ...]:
        return rule_layout(self.priority, [t.variant for t in self.targets], self.override_header is not None)

    def rules(self) -> tuple[RoutedRule, ...]:
        """The listener rules, in evaluation order: override rules (in variant order), then the split."""
        conditions = canonical(self.conditions)
        override_conditions = (
            canonical((*self.conditions, Condition.source_ips(*self.override_source_ips)))
            if self.override_source_ips
            else conditions
        )
        models = {target.variant: target.model for target in self.targets}
        rules: list[RoutedRule] = []
        for slot in self.layout():
            if slot.variant is not None and self.override_header is not None:
                header = Condition.http_header(self.override_header, slot.variant)
                rules.append(
                    RoutedRule(
                        key=slot.key,
                        priority=slot.priority,
                        conditions=(*override_conditions, header),
                        targets=(RuleTarget(variant=slot.variant, weight=1),),
                        stickiness=None,
                        tags={
                            EXPERIMENT_TAG: self.experiment,
                            AB_ROLE_TAG: RuleRole.OVERRIDE.value,
                            VARIANT_TAG: slot.variant,
                            MODEL_TAG: models[slot.variant],
                        },
                    )
                )
            else:
                rules.append(self._split(slot, conditions))
        return tuple(rules)

    @property
    def forwarded(self) -> tuple[ExperimentTarget, ...]:
        """The targets the split forwards to: those with a positive weight, in order."""
        return tuple(t for t in self.targets if t.weight != 0)

    @property
    def paused(self) -> tuple[ExperimentTarget, ...]:
        """The targets left out of the split's forward (weight 0), in order."""
        return tuple(t for t in self.targets if t.weight == 0)

    def _split(self, slot: RuleSlot, conditions: tuple[Condition, ...]) -> RoutedRule:
        tags = split_tags(
            self.experiment, self.targets, max_step=self.max_step, override_header=self.override_header
        )
        return RoutedRule(
            key=slot.key,
            priority=slot.priority,
            conditions=conditions,
            targets=tuple(RuleTarget(variant=t.variant, weight=t.weight) for t in self.forwarded),
            stickiness=self.stickiness,
            tags=tags,
        )

    def check(self, problems: PropProblems) -> None:
        """Add a problem for each AWS limit this routing breaks (fields named as in this class)."""
        if problems.text(
            "experiment", self.experiment, aws_limits.MAX_TAG_VALUE_LENGTH, "an experiment name"
        ):
            problems.tag_value("experiment", self.experiment, "the experiment name")
        self._check_targets(problems)
        self._check_priorities(problems)
        if self.stickiness is not None:
            problems.integer_in(
                "stickiness",
                self.stickiness,
                aws_limits.MIN_STICKINESS_SECONDS,
                aws_limits.MAX_STICKINESS_SECONDS,
                f"stickiness is None (off) or {aws_limits.MIN_STICKINESS_SECONDS} to "
                f"{aws_limits.MAX_STICKINESS_SECONDS} seconds (7 days)",
            )
        if self.max_step is not None:
            problems.integer_in(
                "max_step", self.max_step, 1, 100, "max_step is None or 1 to 100 percentage points"
            )
        if self.override_header is not None:
            check_header_name(problems, "override_header", self.override_header)
            problems.tag_value("override_header", self.override_header, "the override header")
        if self.override_source_ips:
            Condition.source_ips(*self.override_source_ips).check(problems, "override_source_ips")
            if any(c.field is ConditionField.SOURCE_IP for c in self.conditions):
                problems.add(
                    "override_source_ips",
                    "the conditions have a source-ip condition already, which the override rules keep; a rule "
                    "has one source-ip condition: leave override_source_ips out",
                )
        self._check_conditions(problems)
        if not problems.lines:
            self._check_built_tags(problems)

    def _check_built_tags(self, problems: PropProblems) -> None:
        """The tags the rules build by listing names (a split's variants and models) fit AWS's limit."""
        for rule in self.rules():
            for key, value in rule.tags.items():
                if len(value) > aws_limits.MAX_TAG_VALUE_LENGTH:
                    problems.add(
                        "targets",
                        f"the {rule.key} rule's `{key}` tag would be {len(value)} characters; a tag value has at "
                        f"most {aws_limits.MAX_TAG_VALUE_LENGTH}: shorten the variant names or the models",
                    )

    def _check_targets(self, problems: PropProblems) -> None:
        count = len(self.targets)
        low, high = aws_limits.MIN_TARGET_GROUPS_PER_FORWARD, aws_limits.MAX_TARGET_GROUPS_PER_FORWARD
        if not low <= count <= high:
            problems.add("targets", f"{count} targets; a forward has {low} to {high} target groups")
        seen: set[str] = set()
        for index, target in enumerate(self.targets):
            for field in ("variant", "model"):
                value = getattr(target, field)
                where = f"targets[{index}].{field}"
                if problems.text(where, value, aws_limits.MAX_TAG_VALUE_LENGTH, f"a {field} name"):
                    if " " in value:
                        problems.add(
                            where, f"{value!r} has a space; the {field} tag lists names separated by spaces"
                        )
                    else:
                        problems.tag_value(where, value, f"the {field}")
            if target.variant in seen:
                problems.add(
                    f"targets[{index}].variant",
                    f"{target.variant!r} is listed twice; a variant is listed once",
                )
            seen.add(target.variant)
            problems.integer_in(
                f"targets[{index}].weight",
                target.weight,
                aws_limits.MIN_WEIGHT,
                aws_limits.MAX_WEIGHT,
                f"a weight is an integer from {aws_limits.MIN_WEIGHT} to {aws_limits.MAX_WEIGHT}",
            )
        weights = [t.weight for t in self.targets]
        if weights and all(isinstance(w, int) for w in weights) and sum(weights) <= 0:
            problems.add("targets", "every weight is 0; at least one weight of a forward must be positive")
            return
        for index, target in enumerate(self.targets):
            if target.weight == 0 and not target.paused:
                problems.add(
                    f"targets[{index}].paused",
                    f"variant {target.variant!r} has weight 0 but is not paused; a target at weight 0 is left "
                    "out of the split's forward: set paused=True to say so, or give it a positive weight",
                )

    def _check_priorities(self, problems: PropProblems) -> None:
        low, high = aws_limits.MIN_RULE_PRIORITY, aws_limits.MAX_RULE_PRIORITY
        allowed = f"a priority is an integer from {low} to {high}"
        if not problems.integer_in("priority", self.priority, low, high, allowed):
            return
        last = self.layout()[-1].priority
        if last > high:
            problems.add(
                "priority",
                f"{self.priority} is out of range: the rules reserve priorities {self.priority} to {last} "
                f"(the split at {last}); {allowed}",
            )

    def _check_conditions(self, problems: PropProblems) -> None:
        if not self.conditions:
            problems.add("conditions", "no condition; a rule needs at least one condition")
        for index, condition in enumerate(self.conditions):
            condition.check(problems, f"conditions[{index}]")
            if (
                self.override_header is not None
                and condition.field is ConditionField.HTTP_HEADER
                and (condition.header_name or "").lower() == self.override_header.lower()
            ):
                problems.add(
                    f"conditions[{index}].header_name",
                    f"{condition.header_name!r} is also the override header; match on another header, or "
                    "change override_header",
                )
        ips = len(self.override_source_ips) if self.override_header is not None else 0
        extra = 1 + ips if self.override_header is not None else 0
        values = sum(c.value_count for c in self.conditions) + extra
        if values > aws_limits.MAX_CONDITION_VALUES_PER_RULE:
            counted = (
                f"{values - extra} in conditions + 1 for the override header" if extra else "in conditions"
            )
            if ips:
                counted += f" + {ips} in override_source_ips"
            problems.add(
                "conditions",
                f"the rules have {values} condition values ({counted}); a rule has at most "
                f"{aws_limits.MAX_CONDITION_VALUES_PER_RULE} condition values (AWS quota)",
            )
        wildcards = sum(c.wildcard_count for c in self.conditions)
        if wildcards > aws_limits.MAX_CONDITION_WILDCARDS_PER_RULE:
            problems.add(
                "conditions",
                f"the rules have {wildcards} wildcards (* and ?); a rule has at most "
                f"{aws_limits.MAX_CONDITION_WILDCARDS_PER_RULE} wildcards (AWS quota)",
            )


def split_tags(
    experiment: str,
    targets: Sequence[ExperimentTarget],
    *,
    max_step: int | None = None,
    override_header: str | None = None,
) -> dict[str, str]:
    """The tags of an experiment's split rule: experiment, role, the forwarded variants and their models
    (weight above 0, in order), the paused ones (weight 0), the ramp's max step, the override header."""
    forwarded = [t for t in targets if t.weight != 0]
    tags = {
        EXPERIMENT_TAG: experiment,
        AB_ROLE_TAG: RuleRole.SPLIT.value,
        VARIANT_TAG: join_names(t.variant for t in forwarded),
        MODEL_TAG: join_names(t.model for t in forwarded),
    }
    paused = [t.variant for t in targets if t.weight == 0]
    if paused:
        tags[PAUSED_VARIANTS_TAG] = join_names(paused)
    if max_step is not None:
        tags[MAX_STEP_TAG] = str(max_step)
    tags.update(override_header_tags(override_header))
    return tags
