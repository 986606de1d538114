"""The tag contract: the tag keys and values the constructs write and everything else reads, defined once.

The gate's policies, the traffic review and the routing read-back read the synthesized Terraform JSON,
where these tags are the only record of what a resource is for:

- every resource: `environment`, `owner` (see `constructs_ab.tagging.BaseTags`);
- a target group: `experiment` (space-separated, a shared variant has several), `variant`, `model`;
- a listener rule: `experiment`, `ab-role` (`split` or `override`), `variant` and `model` (a split lists
  its variants and their models in forward order, space-separated; an override rule names its forced
  variant), and on a split rule `paused-variants`, `ab-max-step` and `ab-override-header` when they apply;
- a split rule the auto-rollback function changed: `ab-rolled-back` (written by the function, not by
  Terraform).

`ab-override-header` names the header the experiment's override rules match. It is written only when the
header is not the default `X-Model-Variant` (an absent tag means the default), so experiments on the
default header carry the same tags as before the tag existed.

Pure Python, no imports from this package or the spec: the spec, the review and the policies import it.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping

ENVIRONMENT_TAG = "environment"
OWNER_TAG = "owner"
EXPERIMENT_TAG = "experiment"
VARIANT_TAG = "variant"
MODEL_TAG = "model"
AB_ROLE_TAG = "ab-role"
PAUSED_VARIANTS_TAG = "paused-variants"
#: On a split rule whose experiment has a ramp: its largest accepted share change, percentage points.
MAX_STEP_TAG = "ab-max-step"
#: On a split rule whose override rules match another header than `DEFAULT_OVERRIDE_HEADER`: that header.
OVERRIDE_HEADER_TAG = "ab-override-header"

#: Header that forces a variant for QA: a request with `X-Model-Variant: <variant>` goes 100% to it.
DEFAULT_OVERRIDE_HEADER = "X-Model-Variant"

#: On a split rule the auto-rollback function changed (never written by the constructs, so the next deploy
#: removes it): `<UTC time> <alarm name>`, when and on which guardrail alarm it sent all traffic to the control.
ROLLED_BACK_TAG = "ab-rolled-back"

#: The tags a listener rule of an experiment carries besides the base tags (environment, owner, extra).
RULE_TAG_KEYS = (
    EXPERIMENT_TAG,
    VARIANT_TAG,
    MODEL_TAG,
    AB_ROLE_TAG,
    PAUSED_VARIANTS_TAG,
    MAX_STEP_TAG,
    OVERRIDE_HEADER_TAG,
)
#: Every tag key the constructs write: the contract the gate's policies and the traffic review read, and
#: the keys a spec's own `tags` may not set.
CONTRACT_TAG_KEYS = (ENVIRONMENT_TAG, OWNER_TAG, *RULE_TAG_KEYS)


class RuleRole(enum.StrEnum):
    """What a rule does for an experiment: the value of its `ab-role` tag.

    SPLIT: the weighted forward between the experiment's variants.
    OVERRIDE: forces one variant when the override header names it.
    OTHER: no `ab-role` tag, or a value this tool does not write (a hand-written rule); never written.
    """

    SPLIT = "split"
    OVERRIDE = "override"
    OTHER = "other"


def role_of(tags: Mapping[str, str]) -> RuleRole:
    """The role a rule's tags give it; OTHER without an `ab-role` tag or with an unknown value."""
    value = tags.get(AB_ROLE_TAG, "")
    return RuleRole(value) if value in (RuleRole.SPLIT.value, RuleRole.OVERRIDE.value) else RuleRole.OTHER


def override_header_of(tags: Mapping[str, str]) -> str:
    """The override header of a split rule's experiment: its `ab-override-header` tag, else the default."""
    return tags.get(OVERRIDE_HEADER_TAG) or DEFAULT_OVERRIDE_HEADER


def override_header_tags(header: str | None) -> dict[str, str]:
    """The tag a split rule carries for the override header `header` (None: no override rules)."""
    if header is None or header == DEFAULT_OVERRIDE_HEADER:
        return {}
    return {OVERRIDE_HEADER_TAG: header}


def join_names(names: Iterable[str]) -> str:
    """Names as one tag value: space-separated, in order."""
    return " ".join(names)


def split_names(value: str | None) -> tuple[str, ...]:
    """The names in a space-separated tag value (none for a missing or empty tag)."""
    return tuple((value or "").split())
