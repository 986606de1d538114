"""Listener rule conditions as the ELBv2 API returns them (`Rules[].Conditions`), read into the routing
model's `Condition`s.

The API gives each condition a `Field` and a `<Kind>Config` (`PathPatternConfig.Values`,
`HttpHeaderConfig.HttpHeaderName` and `Values`, `QueryStringConfig.Values[].Key/Value`, ...); the old
form puts `Values` beside `Field` (path-pattern and host-header only). Conditions come back in the
canonical order (`constructs_ab.routing.conditions.canonical`).

See: https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_RuleCondition.html
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from constructs_ab.routing.condition_kinds import KINDS, Shape
from constructs_ab.routing.conditions import Condition, ConditionField, QueryPair, canonical


def condition_from_api(raw: Mapping[str, Any]) -> Condition | None:
    """One API condition; None for a field this tool does not know. The config key of each kind is its
    `condition_kinds.KINDS` entry's `api_config`."""
    field_name = str(raw.get("Field", ""))
    if field_name not in {f.value for f in ConditionField}:
        return None
    field = ConditionField(field_name)
    kind = KINDS[field]
    config: Mapping[str, Any] = raw.get(kind.api_config) or {}
    if kind.shape is Shape.QUERY:
        pairs = tuple(
            QueryPair(key=pair.get("Key"), value=str(pair.get("Value", "")))
            for pair in config.get("Values", [])
        )
        return Condition(field=field, query=pairs)
    values = tuple(str(v) for v in (config.get("Values") or raw.get("Values") or []))
    if kind.shape is Shape.HEADER:
        return Condition(field=field, header_name=str(config.get("HttpHeaderName", "?")), values=values)
    return Condition(field=field, values=values)


def conditions_from_api(raws: Iterable[Mapping[str, Any]]) -> tuple[Condition, ...]:
    """A rule's conditions in the canonical order (unknown fields left out)."""
    found = (condition_from_api(raw) for raw in raws)
    return canonical(c for c in found if c is not None)
