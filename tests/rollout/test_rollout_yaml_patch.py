"""Applying a plan to spec text: only the changed values move, every other byte stays."""

from __future__ import annotations

import textwrap

import pytest

from constructs_ab.rollout.command import RolloutCommand
from constructs_ab.rollout.errors import RolloutError
from constructs_ab.rollout.plan import RolloutPlan, VariantChange
from constructs_ab.rollout.yaml_patch import patch_spec_text


def change(
    name: str, before: int, after: int, *, paused_before: bool = False, paused_after: bool | None = None
) -> VariantChange:
    return VariantChange(
        name=name,
        weight_before=before,
        weight_after=after,
        paused_before=paused_before,
        paused_after=after == 0 if paused_after is None else paused_after,
    )


def plan(*changes: VariantChange, stage: tuple[int, int] | None = None) -> RolloutPlan:
    return RolloutPlan(
        command=RolloutCommand.SET_WEIGHTS,
        environment="prod",
        experiment="abtest",
        variants=changes,
        stage_before=stage[0] if stage else None,
        stage_after=stage[1] if stage else None,
    )


def spec(body: str) -> str:
    """A spec text whose prod environment holds `body` (one experiment, indented as written)."""
    return "environments:\n  prod:\n    experiments:\n" + textwrap.indent(textwrap.dedent(body), "      ")


BLOCK = spec(
    """\
    # the classic
    - name: abtest   # 80/20
      variants:
        - name: a
          weight: 80      # the incumbent
          port: 8080
        - name: b
          weight: 20
          paused: false
      ramp:
        candidate: b
        stages: [5, 20, 50, 100]   # percent
        stage: 1
    """
)


def test_weights_and_stage_change_in_place_keeping_comments() -> None:
    new = patch_spec_text(BLOCK, plan(change("a", 80, 50), change("b", 20, 50), stage=(1, 2)))
    assert new == BLOCK.replace("weight: 80      #", "weight: 50      #").replace(
        "weight: 20\n", "weight: 50\n"
    ).replace("stage: 1\n", "stage: 2\n")


def test_weight_zero_inserts_paused_under_the_weight_line() -> None:
    new = patch_spec_text(BLOCK, plan(change("a", 80, 0), change("b", 20, 100), stage=(1, 3)))
    assert new == spec(
        """\
        # the classic
        - name: abtest   # 80/20
          variants:
            - name: a
              weight: 0      # the incumbent
              paused: true
              port: 8080
            - name: b
              weight: 100
              paused: false
          ramp:
            candidate: b
            stages: [5, 20, 50, 100]   # percent
            stage: 3
        """
    )


def test_positive_weight_removes_the_paused_line() -> None:
    text = spec(
        """\
        - name: abtest
          variants:
            - name: a
              weight: 100
            - name: b
              weight: 0
              paused: true   # not started yet
              port: 8080
          ramp: {candidate: b, stages: [5, 20], stage: -1}
        """
    )
    new = patch_spec_text(
        text, plan(change("a", 100, 95), change("b", 0, 5, paused_before=True), stage=(-1, 0))
    )
    assert new == spec(
        """\
        - name: abtest
          variants:
            - name: a
              weight: 95
            - name: b
              weight: 5
              port: 8080
          ramp: {candidate: b, stages: [5, 20], stage: 0}
        """
    )


def test_flow_style_variants_stay_flow_style() -> None:
    text = spec(
        """\
        - name: abtest
          variants:
            - {name: a, weight: 80,   port: 8080}
            - {paused: true, name: b, weight: 0}
            - {name: c, paused: true, weight: 0}
        """
    )
    new = patch_spec_text(
        text,
        plan(
            change("a", 80, 0),
            change("b", 0, 10, paused_before=True),
            change("c", 0, 10, paused_before=True),
        ),
    )
    assert new == spec(
        """\
        - name: abtest
          variants:
            - {name: a, weight: 0, paused: true,   port: 8080}
            - {name: b, weight: 10}
            - {name: c, weight: 10}
        """
    )


def test_missing_stage_is_inserted_after_the_candidate() -> None:
    text = spec(
        """\
        - name: abtest
          variants:
            - name: a
              weight: 80
            - name: b
              weight: 20
          ramp:
            candidate: b  # new model
            stages:
              - 20
              - 50
        """
    )
    new = patch_spec_text(text, plan(change("a", 80, 50), change("b", 20, 50), stage=(0, 1)))
    assert new == text.replace("weight: 80", "weight: 50").replace("weight: 20", "weight: 50").replace(
        "candidate: b  # new model\n", "candidate: b  # new model\n" + " " * 10 + "stage: 1\n"
    )


def test_crlf_line_endings_and_a_last_line_without_newline_are_kept() -> None:
    text = spec(
        """\
        - name: abtest
          variants:
            - name: b
              weight: 20
            - name: a
              weight: 80"""
    ).replace("\n", "\r\n")
    new = patch_spec_text(text, plan(change("b", 20, 100), change("a", 80, 0)))
    assert new == text.replace("weight: 20", "weight: 100").replace(
        "weight: 80", "weight: 0\r\n" + " " * 12 + "paused: true\r\n"
    )


def test_paused_first_key_of_a_sequence_item_becomes_false() -> None:
    text = spec(
        """\
        - name: abtest
          variants:
            - name: a
              weight: 100
            - paused: true
              name: b
              weight: 0
        """
    )
    new = patch_spec_text(text, plan(change("a", 100, 50), change("b", 0, 50, paused_before=True)))
    assert new == text.replace("weight: 100", "weight: 50").replace("paused: true", "paused: false").replace(
        "weight: 0", "weight: 50"
    )


def test_fails_for_a_variant_written_as_an_anchor() -> None:
    text = spec(
        """\
        - name: abtest
          variants:
            - &shared {name: a, weight: 80}
            - name: b
              weight: 20
        """
    )
    with pytest.raises(RolloutError) as error:
        patch_spec_text(text, plan(change("a", 80, 50), change("b", 20, 50)))
    assert error.value.problems == (
        "variant 'a' of experiment 'abtest' (prod) is written as a YAML anchor (&shared) that other places "
        "may reuse; change its weights by hand",
    )


def test_fails_for_a_weight_from_a_merge_key() -> None:
    text = "defaults: &half {weight: 50}\n" + spec(
        """\
            - name: abtest
              variants:
                - {<<: *half, name: a}
                - {name: b, weight: 50}
            """
    )
    with pytest.raises(RolloutError) as error:
        patch_spec_text(text, plan(change("a", 50, 80), change("b", 50, 20)))
    assert error.value.problems == (
        "variant 'a' of experiment 'abtest' (prod): 'weight' comes from a YAML merge key (<<: *anchor) that "
        "other places may reuse; change it by hand",
    )
