"""`python -m constructs_ab diff BASE HEAD`: share changes, added/removed rules and variants, and the
risk flags, on checked-in fixtures and single mutations of them."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from constructs_ab.review.diff import ChangeKind, RiskKind, TrafficDiff, diff_traffic
from constructs_ab.review.reader import load_traffic

from .conftest import BASE, HEAD, PROD, Run

Document = dict[str, Any]
RULES = "aws_lb_listener_rule"
HTTPS_LISTENER = "public_https_listener_5C6D7E8F"
HTTP_LISTENER = "public_http_redirect_9A0B1C2D"


def rules(doc: Document) -> dict[str, Any]:
    return doc["resource"][RULES]


def weights(doc: Document, rule: str, *values: int) -> None:
    for entry, value in zip(rules(doc)[rule]["action"][0]["forward"]["target_group"], values, strict=True):
        entry["weight"] = value


@pytest.fixture
def diff_of(
    prod_document: Document, write_stack: Callable[[str, Document], Path]
) -> Callable[..., TrafficDiff]:
    """Diff the base prod stack against a mutated copy: diff_of(mutate, max_step=25)."""
    base_dir = write_stack("base", json.loads(PROD.read_text()))

    def run(mutate: Callable[[Document], None], **options: Any) -> TrafficDiff:
        mutate(prod_document)
        head_dir = write_stack("head", prod_document)
        return diff_traffic(load_traffic([base_dir]), load_traffic([head_dir]), **options)

    return run


def kinds(diff: TrafficDiff) -> list[tuple[str, str | None, tuple[str, ...]]]:
    return [(c.kind.value, c.subject, tuple(r.kind.value for r in c.risks)) for c in diff.changes]


# --- the checked-in base -> head change -------------------------------------------------------------


def test_diff_text_of_a_ramp_and_a_stickiness_change(run_cli: Callable[..., Run], snapshot: object) -> None:
    result = run_cli("diff", BASE, HEAD)
    assert result.code == 0 and result.err == ""
    assert (
        "  sentiment-b: 20.0% -> 50.0% on sentiment-abtest (/abtest, /abtest/*)  [RISKY: share jump of 30.0 "
        "points exceeds the ramp step of 25 points]\n" in result.out
    )
    assert result.out == snapshot


def test_diff_markdown_lists_risky_changes_first(run_cli: Callable[..., Run], snapshot: object) -> None:
    result = run_cli("diff", BASE, HEAD, "--format", "markdown")
    assert result.out.startswith(
        "### Traffic diff: 6 changes, 2 risky (max step: each experiment's ramp step, else 25 points).\n"
    )
    table = result.out.split("|---|---|---|---|---|\n")[1].splitlines()
    assert [row.startswith("| ⚠️ |") for row in table] == [True, True, False, False, False, False]
    assert result.out == snapshot


def test_diff_json_values(run_cli: Callable[..., Run]) -> None:
    data = json.loads(run_cli("diff", BASE, HEAD, "--format", "json").out)
    assert data["summary"] == {"changes": 6, "risky": 2}
    share = {
        c["subject"]: (c["before_percent"], c["after_percent"], c["risky"])
        for c in data["changes"]
        if c["kind"] == "share-changed"
    }
    assert share == {
        "sentiment-a": (80.0, 50.0, True),
        "sentiment-b": (20.0, 50.0, True),
        "summarize-a": (60.0, 50.0, False),
        "summarize-b": (40.0, 30.0, False),
        "summarize-c": (0.0, 20.0, False),
    }
    (sticky,) = [c for c in data["changes"] if c["kind"] == "stickiness-changed"]
    assert (sticky["rule"], sticky["before"], sticky["after"]) == ("summarize-abtest", "off", "on, 600 s")
    assert {c["stack"] for c in data["changes"]} == {"prod"}  # staging did not change


def test_max_step_from_the_ramp_decides_what_is_risky(run_cli: Callable[..., Run]) -> None:
    assert run_cli("diff", BASE, HEAD, "--max-step", "30", "--fail-on-risky").code == 0
    risky = run_cli("diff", BASE, HEAD, "--max-step", "5", "--fail-on-risky")
    assert risky.code == 1
    assert "Traffic diff: 6 changes, 5 risky (max step 5 points)." in risky.out


def test_no_changes(run_cli: Callable[..., Run]) -> None:
    result = run_cli("diff", BASE, BASE, "--fail-on-risky")
    assert (result.code, result.out) == (0, "Traffic diff: no changes to live traffic.\n")
    markdown = run_cli("diff", BASE, BASE, "--format", "markdown")
    assert markdown.out == "### Traffic diff: no changes to live traffic.\n"


def test_two_files_are_compared_whatever_their_names(run_cli: Callable[..., Run]) -> None:
    result = run_cli("diff", PROD, HEAD / "stacks" / "prod" / "cdk.tf.json", "--format", "json")
    assert json.loads(result.out)["summary"] == {"changes": 6, "risky": 2}


# --- risk flags -------------------------------------------------------------------------------------


def test_zero_to_all_is_risky(diff_of: Callable[..., TrafficDiff]) -> None:
    diff = diff_of(lambda d: weights(d, "summarize_abtest_split", 0, 0, 5))
    assert kinds(diff) == [
        ("share-changed", "summarize-a", ("share-jump",)),
        ("share-changed", "summarize-b", ("share-jump",)),
        ("share-changed", "summarize-c", ("share-jump", "zero-to-all")),
    ]
    assert (
        diff.risky[2].message == "summarize-c: 0.0% -> 100.0% on summarize-abtest (/summarize, /summarize/*)"
    )


def test_a_step_within_the_ramp_is_not_risky(diff_of: Callable[..., TrafficDiff]) -> None:
    diff = diff_of(lambda d: weights(d, "sentiment_abtest_split", 55, 45))
    assert [(c.subject, c.before, c.after, c.risky) for c in diff.changes] == [
        ("sentiment-a", "80.0%", "55.0%", False),
        ("sentiment-b", "20.0%", "45.0%", False),
    ]


def tag_max_step(doc: Document, rule: str, points: str) -> None:
    rules(doc)[rule]["tags"]["ab-max-step"] = points


def test_each_rules_ramp_step_from_its_tag_decides_what_is_risky(diff_of: Callable[..., TrafficDiff]) -> None:
    # GIVEN the split declares a ramp step of 10 points (tag ab-max-step, written from the spec's ramp)
    def mutate(doc: Document) -> None:
        tag_max_step(doc, "sentiment_abtest_split", "10")
        weights(doc, "sentiment_abtest_split", 65, 35)

    # WHEN its candidate moves 15 points THEN the move is flagged against 10, not the default 25
    diff = diff_of(mutate)
    assert [(c.subject, c.risky) for c in diff.changes] == [("sentiment-a", True), ("sentiment-b", True)]
    assert diff.changes[0].risks[0].reason == "share jump of 15.0 points exceeds the ramp step of 10 points"


def test_a_ramp_step_larger_than_the_default_accepts_a_bigger_jump(
    diff_of: Callable[..., TrafficDiff],
) -> None:
    def mutate(doc: Document) -> None:
        tag_max_step(doc, "sentiment_abtest_split", "50")
        weights(doc, "sentiment_abtest_split", 50, 50)

    assert [(c.subject, c.risky) for c in diff_of(mutate).changes] == [
        ("sentiment-a", False),
        ("sentiment-b", False),
    ]


def test_an_explicit_max_step_applies_to_every_rule(diff_of: Callable[..., TrafficDiff]) -> None:
    def mutate(doc: Document) -> None:
        tag_max_step(doc, "sentiment_abtest_split", "50")
        weights(doc, "sentiment_abtest_split", 50, 50)

    assert [(c.subject, c.risky) for c in diff_of(mutate, max_step=25).changes] == [
        ("sentiment-a", True),
        ("sentiment-b", True),
    ]


def test_fails_when_https_listener_becomes_http(diff_of: Callable[..., TrafficDiff]) -> None:
    def to_http(doc: Document) -> None:
        listener = doc["resource"]["aws_lb_listener"][HTTPS_LISTENER]
        listener["protocol"] = "HTTP"
        del listener["ssl_policy"]

    diff = diff_of(to_http)
    (change,) = diff.changes
    assert change.kind is ChangeKind.LISTENER_PROTOCOL_CHANGED
    assert change.message == "listener HTTPS:443: protocol HTTPS -> HTTP"
    assert [r.kind for r in change.risks] == [RiskKind.OFF_HTTPS]
    assert change.risks[0].reason == "7 forwarding rule(s) now on a HTTP listener"


def test_fails_when_split_moves_to_the_http_listener(diff_of: Callable[..., TrafficDiff]) -> None:
    def move(doc: Document) -> None:
        rules(doc)["sentiment_abtest_split"]["listener_arn"] = f"${{aws_lb_listener.{HTTP_LISTENER}.arn}}"

    diff = diff_of(move)
    assert kinds(diff) == [("rule-moved", None, ("off-https",))]
    assert diff.changes[0].message == (
        "rule sentiment-abtest (/abtest, /abtest/*) moved from prod-public HTTPS:443 to prod-public HTTP:80"
    )


def test_fails_when_a_rule_that_took_traffic_is_removed(diff_of: Callable[..., TrafficDiff]) -> None:
    diff = diff_of(lambda d: rules(d).pop("summarize_abtest_split"))
    (change,) = diff.changes
    assert (change.kind, [r.kind for r in change.risks]) == (
        ChangeKind.RULE_REMOVED,
        [RiskKind.REMOVED_WITH_TRAFFIC],
    )
    assert change.message == (
        "rule summarize-abtest (/summarize, /summarize/*) removed (was: forward to "
        "summarize-a 60.0%, summarize-b 40.0%, summarize-c 0.0% (stickiness off))"
    )


def test_removing_a_rule_that_forwarded_nothing_is_not_risky(diff_of: Callable[..., TrafficDiff]) -> None:
    def remove_maintenance(doc: Document) -> None:
        rules(doc).pop("sentiment_abtest_override_sentiment_a")

    # GIVEN a base whose override rule is a fixed response (forwards nothing)
    base_doc = json.loads(PROD.read_text())
    base_doc["resource"][RULES]["sentiment_abtest_override_sentiment_a"]["action"] = [
        {"type": "fixed-response", "fixed_response": {"status_code": "503"}}
    ]
    head_doc = json.loads(json.dumps(base_doc))
    remove_maintenance(head_doc)
    # WHEN it is removed
    diff = diff_traffic(_model(base_doc), _model(head_doc))
    # THEN the removal is listed but not flagged
    assert kinds(diff) == [("rule-removed", None, ())]


def _model(doc: Document) -> Any:
    from constructs_ab.review.reader import model_from_documents

    return model_from_documents("prod", [doc])


# --- other changes ----------------------------------------------------------------------------------


def test_variant_added_to_a_split(diff_of: Callable[..., TrafficDiff]) -> None:
    def add_variant(doc: Document) -> None:
        doc["resource"]["aws_lb_target_group"]["sentiment_c_tg"] = {
            "name": "prod-sentiment-c",
            "tags": {"variant": "sentiment-c", "model": "sentiment:3.0.0"},
        }
        rules(doc)["sentiment_abtest_split"]["action"][0]["forward"]["target_group"].append(
            {"arn": "${aws_lb_target_group.sentiment_c_tg.arn}", "weight": 20}
        )

    diff = diff_of(add_variant)
    assert [c.message for c in diff.changes] == [
        "sentiment-c added at 16.7% on sentiment-abtest (/abtest, /abtest/*)",
        "sentiment-a: 80.0% -> 66.7% on sentiment-abtest (/abtest, /abtest/*)",
        "sentiment-b: 20.0% -> 16.7% on sentiment-abtest (/abtest, /abtest/*)",
    ]
    assert not diff.risky


def test_variant_removed_from_a_split(diff_of: Callable[..., TrafficDiff]) -> None:
    def remove(doc: Document) -> None:
        split = rules(doc)["summarize_abtest_split"]
        split["action"][0]["forward"]["target_group"].pop()
        del split["tags"]["paused-variants"]  # no longer a variant of the experiment, paused or not

    diff = diff_of(remove)
    assert kinds(diff) == [("target-removed", "summarize-c", ())]
    assert (
        diff.changes[0].message
        == "summarize-c removed from summarize-abtest (/summarize, /summarize/*) (was 0.0%)"
    )


def test_a_paused_variant_left_out_of_the_forward_is_still_shown_at_zero(
    diff_of: Callable[..., TrafficDiff],
) -> None:
    # GIVEN the split leaves paused summarize-c out of its forward (as the constructs write it)
    def leave_out(doc: Document) -> None:
        rules(doc)["summarize_abtest_split"]["action"][0]["forward"]["target_group"].pop()

    # THEN nothing changed for traffic: it was at 0% and is at 0%
    assert kinds(diff_of(leave_out)) == []


def test_condition_priority_model_default_action_and_new_rule(diff_of: Callable[..., TrafficDiff]) -> None:
    def many(doc: Document) -> None:
        rules(doc)["sentiment_abtest_split"]["condition"][0]["path_pattern"]["values"].append("/ab")
        rules(doc)["sentiment_abtest_split"]["priority"] = 150
        doc["resource"]["aws_lb_target_group"]["sentiment_b_tg"]["tags"]["model"] = "sentiment:2.0.0"
        doc["resource"]["aws_lb_listener"][HTTPS_LISTENER]["default_action"] = [
            {"type": "fixed-response", "fixed_response": {"status_code": "404"}}
        ]
        rules(doc)["maintenance"] = {
            "listener_arn": f"${{aws_lb_listener.{HTTPS_LISTENER}.arn}}",
            "priority": 1,
            "condition": [{"path_pattern": {"values": ["/maintenance"]}}],
            "action": [{"type": "fixed-response", "fixed_response": {"status_code": "503"}}],
        }

    diff = diff_of(many)
    messages = [c.message for c in diff.changes]
    assert messages == [
        "default action of HTTPS:443: forward to sentiment-a 100.0% -> fixed response 404",
        "rule priority 1 (/maintenance) added at priority 1: fixed response 503",
        "sentiment-b: model sentiment:2.0.0-rc1 -> sentiment:2.0.0 on sentiment-abtest override sentiment-b "
        "(/abtest, /abtest/*)",
        "sentiment-abtest (/abtest, /abtest/*, /ab): priority 102 -> 150",
        "sentiment-abtest: conditions path /abtest, /abtest/* -> path /abtest, /abtest/*, /ab",
        "sentiment-b: model sentiment:2.0.0-rc1 -> sentiment:2.0.0 on sentiment-abtest (/abtest, /abtest/*, /ab)",
    ]
    assert not diff.risky


def test_fails_on_missing_input_with_exit_2_and_one_line(run_cli: Callable[..., Run], tmp_path: Path) -> None:
    result = run_cli("diff", BASE, tmp_path / "nope")
    assert result.code == 2 and result.out == ""
    assert result.err == f"diff: {tmp_path / 'nope'}: no such file or directory\n"


@pytest.mark.parametrize("value", ["abc", "120"])
def test_fails_on_bad_max_step(run_cli: Callable[..., Run], value: str) -> None:
    result = run_cli("diff", BASE, HEAD, "--max-step", value)
    assert result.code == 2 and result.out == ""
    assert result.err.startswith("python -m constructs_ab diff: argument --max-step:")
    assert result.err.endswith(" (see --help)\n") and result.err.count("\n") == 1


# --- a new rule order ---------------------------------------------------------------------------


def _summarize_inside_abtest(doc: Document, first_priority: int) -> None:
    """summarize-abtest on /abtest/summarize (inside sentiment-abtest's /abtest/*), from `first_priority`."""
    for offset, name in enumerate(
        ["override_summarize_a", "override_summarize_b", "override_summarize_c", "split"]
    ):
        rule = rules(doc)[f"summarize_abtest_{name}"]
        rule["priority"] = first_priority + offset
        rule["condition"][0] = {"path_pattern": {"values": ["/abtest/summarize"]}}


def test_a_priority_change_that_sends_an_experiment_s_requests_to_another_is_risky(
    write_stack: Callable[[str, Document], Path],
) -> None:
    # GIVEN summarize-abtest carved out of sentiment-abtest's /abtest/* ahead of it (priorities 50-53)
    base, head = json.loads(PROD.read_text()), json.loads(PROD.read_text())
    _summarize_inside_abtest(base, 50)
    # WHEN its priorities move behind sentiment-abtest's (200-203)
    _summarize_inside_abtest(head, 200)
    diff = diff_traffic(load_traffic([write_stack("base", base)]), load_traffic([write_stack("head", head)]))
    # THEN the priority changes are listed, and the rerouted requests flagged on the rule that takes them now
    rerouted = [c for c in diff.changes if c.kind is ChangeKind.REQUESTS_REROUTED]
    assert [(c.rule, c.before, c.after, [r.kind for r in c.risks]) for c in rerouted] == [
        (
            "sentiment-abtest",
            "summarize-abtest (priority 53)",
            "sentiment-abtest (priority 102)",
            [RiskKind.REROUTED],
        )
    ]
    assert rerouted[0].message == (
        "a request such as POST /abtest/summarize (host api.example.com) went to summarize-abtest "
        "(priority 53), now goes to sentiment-abtest (priority 102)"
    )
    assert {c.kind for c in diff.changes} == {ChangeKind.PRIORITY_CHANGED, ChangeKind.REQUESTS_REROUTED}


def test_a_priority_change_between_disjoint_experiments_reroutes_nothing(
    diff_of: Callable[..., TrafficDiff],
) -> None:
    # GIVEN summarize-abtest (/summarize) moved ahead of sentiment-abtest (/abtest): no request matches both
    def mutate(doc: Document) -> None:
        for offset, name in enumerate(
            ["override_summarize_a", "override_summarize_b", "override_summarize_c", "split"]
        ):
            rules(doc)[f"summarize_abtest_{name}"]["priority"] = 10 + offset

    diff = diff_of(mutate)
    assert {c.kind for c in diff.changes} == {ChangeKind.PRIORITY_CHANGED}
    assert diff.risky == ()
