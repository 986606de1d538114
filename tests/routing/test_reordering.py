"""A new rule order on one listener: which requests another rule takes afterwards."""

from __future__ import annotations

from constructs_ab.routing.conditions import Condition
from constructs_ab.routing.reordering import ListedRule, Rerouted, first_match, rerouted
from constructs_ab.routing.request import Request

P = Condition.path_patterns
CHAT = ListedRule(key="chat", conditions=(P("/v1/*"),))
EMBEDDINGS = ListedRule(key="embeddings", conditions=(P("/v1/embeddings"),))
OTHER = ListedRule(key="other", conditions=(P("/v2/*"),))


def test_moving_a_narrow_rule_behind_a_wide_one_reroutes_its_requests() -> None:
    assert rerouted([EMBEDDINGS, CHAT, OTHER], [CHAT, EMBEDDINGS, OTHER]) == (
        Rerouted(request=Request(path="/v1/embeddings"), before="embeddings", after="chat"),
    )


def test_moving_the_narrow_rule_ahead_reroutes_the_other_way() -> None:
    assert rerouted([CHAT, EMBEDDINGS], [EMBEDDINGS, CHAT]) == (
        Rerouted(request=Request(path="/v1/embeddings"), before="chat", after="embeddings"),
    )


def test_reordering_disjoint_rules_reroutes_nothing() -> None:
    assert rerouted([CHAT, OTHER], [OTHER, CHAT]) == ()


def test_a_rule_on_one_side_only_is_not_compared() -> None:
    assert rerouted([CHAT], [EMBEDDINGS, CHAT]) == ()


def test_first_match_is_the_first_rule_in_order_else_none() -> None:
    assert first_match([CHAT, EMBEDDINGS], Request(path="/v1/embeddings")) == "chat"
    assert first_match([CHAT, EMBEDDINGS], Request(path="/v3")) is None
