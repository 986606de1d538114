"""The construct maps every condition kind without a branch of its own: the provider's typed class of each
kind's Terraform block is found by block name and takes the block's keys as they are (the routing model's
`to_terraform`), so a kind added to `routing.condition_kinds.KINDS` needs nothing here."""

from __future__ import annotations

from typing import Any

import pytest
from routing.test_condition_kinds import SAMPLES

from constructs_ab.provider import LbListenerRuleCondition, listener_rule_condition_struct
from constructs_ab.routing.condition_kinds import KINDS, ConditionField


@pytest.mark.parametrize("field", list(ConditionField), ids=[field.value for field in ConditionField])
def test_each_kind_has_the_provider_class_of_its_block(field: ConditionField) -> None:
    ((block, body),) = SAMPLES[field][2].to_terraform().items()
    assert block == KINDS[field].block
    struct = listener_rule_condition_struct(block)
    assert struct.__name__ == "LbListenerRuleCondition" + "".join(p.capitalize() for p in block.split("_"))
    value: Any = [struct(**item) for item in body] if isinstance(body, list) else struct(**body)
    assert LbListenerRuleCondition(**{block: value})
