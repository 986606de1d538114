"""Report and what-if on a checked-in synth of examples/ab-experiments.yaml (generated once with
`python main.py --outdir ...` and copied here, so these tests need no cdktf at runtime)."""

from __future__ import annotations

from collections.abc import Callable

from constructs_ab.review.evaluate import Request, evaluate, probabilities
from constructs_ab.review.reader import load_traffic
from constructs_ab.review.traffic import RuleRole

from .conftest import FIXTURES, Run

SYNTH = FIXTURES / "synth-example"


def test_report_of_the_real_synth(run_cli: Callable[..., Run], snapshot: object) -> None:
    result = run_cli("report", SYNTH)
    assert result.code == 0
    assert result.out == snapshot


def test_real_synth_follows_the_contract_the_review_reads() -> None:
    model = load_traffic([SYNTH])
    assert [stack.name for stack in model.stacks] == ["prod", "staging"]
    for location in model.rules():
        rule = location.rule
        assert location.listener.is_https
        assert rule.experiment and rule.role in (RuleRole.SPLIT, RuleRole.OVERRIDE)
        targets = rule.action.targets  # type: ignore[union-attr]
        assert all(t.target_group.variant and t.target_group.model for t in targets)
        if rule.role is RuleRole.SPLIT:
            assert [t.target_group.variant for t in targets] == list(rule.variants)


def test_whatif_on_the_real_synth() -> None:
    model = load_traffic([SYNTH / "stacks" / "prod" / "cdk.tf.json"])
    request = Request.parse("POST /v1/chat/completions", host="api.example.com")
    (https,) = [o for o in evaluate(model, request) if o.listener.label == "HTTPS:443"]
    assert https.rule is not None and https.rule.experiment == "chat-llm"
    assert probabilities(https) == [("llama-8b", 0.6), ("mistral-7b", 0.3), ("qwen-7b", 0.1)]
