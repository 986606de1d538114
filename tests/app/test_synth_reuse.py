"""Synth reuses the stacks whose inputs did not change, and its output is byte for byte what one App
building the whole spec writes: for each change of a set of spec changes, a synth into the previous output
(reusing what it may), a synth building every stack and one App building everything leave identical
trees (but for synth's marker), and exactly the stacks the change touches are built: environments of one
stack (the example), and an environment split per load balancer (`tests.split_example`)."""

from __future__ import annotations

import dataclasses
import json
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from constructs_ab import app as app_module
from constructs_ab.cli import synth_reuse
from constructs_ab.cli.output_target import MARKER_FILE
from constructs_ab.cli.synth import synthesize
from constructs_ab.spec.loader import load_spec
from constructs_ab.spec.model import Environment, Spec, StackLayout
from tests.split_example import split_spec

from .built_stacks import record_built_stacks
from .tree_snapshot import snapshot_tree

REPO = Path(__file__).resolve().parents[2]
EXAMPLE = load_spec(REPO / "examples" / "ab-experiments.yaml")


def _environment(spec: Spec, name: str) -> Environment:
    return next(environment for environment in spec.environments if environment.name == name)


def _with_environment(spec: Spec, changed: Environment) -> Spec:
    return dataclasses.replace(
        spec, environments=tuple(changed if e.name == changed.name else e for e in spec.environments)
    )


def _weight(spec: Spec) -> Spec:
    prod = _environment(spec, "prod")
    experiment = next(e for e in prod.experiments if e.name == "chat-llm")
    first, second, *rest = experiment.variants
    variants = (
        dataclasses.replace(first, weight=first.weight - 1),
        dataclasses.replace(second, weight=second.weight + 1),
        *rest,
    )
    experiments = tuple(
        dataclasses.replace(e, variants=variants) if e is experiment else e for e in prod.experiments
    )
    return _with_environment(spec, dataclasses.replace(prod, experiments=experiments))


def _port(spec: Spec) -> Spec:
    staging = _environment(spec, "staging")
    experiment = staging.experiments[0]
    weighted = experiment.variants[0]
    variants = (
        dataclasses.replace(
            weighted, variant=dataclasses.replace(weighted.variant, port=weighted.variant.port + 1)
        ),
        *experiment.variants[1:],
    )
    experiments = (dataclasses.replace(experiment, variants=variants), *staging.experiments[1:])
    return _with_environment(spec, dataclasses.replace(staging, experiments=experiments))


def _owner(spec: Spec) -> Spec:
    return _with_environment(spec, dataclasses.replace(_environment(spec, "staging"), owner="another-team"))


def _new_environment(spec: Spec) -> Spec:
    return dataclasses.replace(
        spec, environments=(*spec.environments, dataclasses.replace(_environment(spec, "staging"), name="qa"))
    )


def _without_staging(spec: Spec) -> Spec:
    return dataclasses.replace(spec, environments=tuple(e for e in spec.environments if e.name != "staging"))


CHANGES: dict[str, tuple[Callable[[Spec], Spec], set[str]]] = {
    "nothing": (lambda spec: spec, set()),
    "a weight in prod": (_weight, {"prod"}),
    "a port in staging": (_port, {"staging"}),
    "the owner of staging": (_owner, {"staging"}),
    "a new environment": (_new_environment, {"qa"}),
    "an environment removed": (_without_staging, set()),
}


@pytest.fixture(scope="module")
def previous(tmp_path_factory) -> Path:
    """The example synthesized once; each test copies it and synthesizes its change into the copy."""
    outdir = tmp_path_factory.mktemp("previous") / "cdktf.out"
    assert synthesize(EXAMPLE, outdir, command="synth", reuse=False) == 0
    return outdir


def _one_app(spec: Spec, folder: Path) -> dict[str, object]:
    """What one cdktf App building the whole spec writes (the tree, without our marker)."""
    app_module.build_app(spec, folder).synth()
    return snapshot_tree(folder)


def _without_marker(tree: dict[str, object]) -> dict[str, object]:
    return {path: entry for path, entry in tree.items() if path != MARKER_FILE}


@pytest.mark.parametrize("change", list(CHANGES))
def test_a_synth_reusing_unchanged_environments_writes_what_one_app_building_everything_writes(
    change, previous, tmp_path, monkeypatch
):
    mutate, touched = CHANGES[change]
    spec = mutate(EXAMPLE)
    expected = _one_app(spec, tmp_path / "one-app")
    reused_output = tmp_path / "reused"
    shutil.copytree(previous, reused_output, symlinks=True)
    built = record_built_stacks(monkeypatch)
    assert synthesize(spec, reused_output, command="synth", reuse=True) == 0
    assert set(built) == touched
    assert _without_marker(snapshot_tree(reused_output)) == expected
    built.clear()
    full_output = tmp_path / "full"
    assert synthesize(spec, full_output, command="synth", reuse=False) == 0
    assert sorted(built) == sorted(environment.name for environment in spec.environments)
    assert snapshot_tree(full_output) == snapshot_tree(reused_output)


SPLIT = split_spec()
#: The end of synth's line of a stack it copied from the previous output instead of building it.
REUSED_SUFFIX = " (unchanged: copied from the previous output)"


def _prod(spec: Spec, **changes: object) -> Spec:
    return _with_environment(spec, dataclasses.replace(_environment(spec, "prod"), **changes))


def _experiment_changed(spec: Spec, name: str, **changes: object) -> Spec:
    prod = _environment(spec, "prod")
    return _prod(
        spec,
        experiments=tuple(
            dataclasses.replace(e, **changes) if e.name == name else e for e in prod.experiments
        ),
    )


def _split_weight(spec: Spec) -> Spec:
    experiment = next(e for e in _environment(spec, "prod").experiments if e.name == "chat-llm")
    first, second, *rest = experiment.variants
    return _experiment_changed(
        spec,
        "chat-llm",
        variants=(
            dataclasses.replace(first, weight=first.weight - 1),
            dataclasses.replace(second, weight=second.weight + 1),
            *rest,
        ),
    )


def _split_variant_added(spec: Spec) -> Spec:
    experiment = next(e for e in _environment(spec, "prod").experiments if e.name == "sentiment-abtest")
    last = experiment.variants[-1]
    added = dataclasses.replace(
        last, variant=dataclasses.replace(last.variant, name="sentiment-c", model_version="3.0.0"), weight=5
    )
    return _experiment_changed(spec, "sentiment-abtest", variants=(*experiment.variants, added))


def _split_email(spec: Spec) -> Spec:
    experiment = next(e for e in _environment(spec, "prod").experiments if e.name == "chat-llm")
    guardrails = dataclasses.replace(experiment.guardrails, alarm_email="llm-oncall@example.com")
    return _experiment_changed(spec, "chat-llm", guardrails=guardrails)


def _split_load_balancer_added(spec: Spec) -> Spec:
    prod = _environment(spec, "prod")
    extra = dataclasses.replace(prod.load_balancer("chat"), name="extra")
    return _prod(spec, load_balancers=(*prod.load_balancers, extra))


def _split_load_balancer_removed(spec: Spec) -> Spec:
    prod = _environment(spec, "prod")
    return _prod(
        spec,
        load_balancers=tuple(lb for lb in prod.load_balancers if lb.name != "chat"),
        experiments=tuple(e for e in prod.experiments if e.load_balancer != "chat"),
    )


SPLIT_CHANGES: dict[str, tuple[Callable[[Spec], Spec], set[str]]] = {
    "nothing": (lambda spec: spec, set()),
    "a weight of chat-llm": (_split_weight, {"prod--chat"}),
    "a variant added to sentiment-abtest": (_split_variant_added, {"prod--public"}),
    "the alarm e-mail of chat-llm": (_split_email, {"prod", "prod--chat"}),
    "a load balancer added": (_split_load_balancer_added, {"prod--extra"}),
    "a load balancer and its experiment removed": (_split_load_balancer_removed, {"prod"}),
    "the owner of prod": (
        lambda spec: _prod(spec, owner="another-team"),
        {"prod", "prod--chat", "prod--public"},
    ),
    "prod back to one stack": (lambda spec: _prod(spec, stacks=StackLayout.ONE), {"prod"}),
    "staging split": (
        lambda spec: _with_environment(
            spec, dataclasses.replace(_environment(spec, "staging"), stacks=StackLayout.PER_LOAD_BALANCER)
        ),
        {"staging", "staging--models"},
    ),
}


@pytest.fixture(scope="module")
def previous_split(tmp_path_factory) -> Path:
    """The split example synthesized once."""
    outdir = tmp_path_factory.mktemp("previous-split") / "cdktf.out"
    assert synthesize(SPLIT, outdir, command="synth", reuse=False) == 0
    return outdir


@pytest.mark.parametrize("change", list(SPLIT_CHANGES))
def test_a_split_environment_rebuilds_only_the_stacks_a_change_touches(
    change, previous_split, tmp_path, monkeypatch, capsys
):
    # GIVEN the split example synthesized, and a change of it
    mutate, touched = SPLIT_CHANGES[change]
    spec = mutate(SPLIT)
    expected = _one_app(spec, tmp_path / "one-app")
    output = tmp_path / "reused"
    shutil.copytree(previous_split, output, symlinks=True)
    built = record_built_stacks(monkeypatch)
    capsys.readouterr()
    # WHEN it is synthesized into the previous output
    assert synthesize(spec, output, command="synth", reuse=True) == 0
    # THEN exactly the stacks it touches were built, and the output is what one App building it all writes
    assert set(built) == touched
    assert len(built) == len(touched)
    assert _without_marker(snapshot_tree(output)) == expected
    # AND its line of every stack says whether it was copied from the previous output
    lines = capsys.readouterr().out.splitlines()
    stacks = [plan.name for environment in spec.environments for plan in environment.stacks_in_order]
    assert [line.split(": ")[1] for line in lines] == stacks
    copied = {line.split(": ")[1] for line in lines if line.endswith(REUSED_SUFFIX)}
    assert copied == set(stacks) - touched


def test_a_stack_file_edited_since_is_built_again(previous, tmp_path, monkeypatch):
    output = tmp_path / "out"
    shutil.copytree(previous, output)
    stack = output / "stacks" / "staging" / "cdk.tf.json"
    stack.write_text(stack.read_text().replace('"owner"', '"0wner"', 1))
    built = record_built_stacks(monkeypatch)
    assert synthesize(EXAMPLE, output, command="synth", reuse=True) == 0
    assert built == ["staging"]
    assert stack.read_bytes() == (previous / "stacks" / "staging" / "cdk.tf.json").read_bytes()


def test_other_code_or_versions_build_every_environment(previous, tmp_path, monkeypatch):
    output = tmp_path / "out"
    shutil.copytree(previous, output)
    monkeypatch.setattr(synth_reuse, "code_digest", lambda: "another version of the code")
    built = record_built_stacks(monkeypatch)
    assert synthesize(EXAMPLE, output, command="synth", reuse=True) == 0
    assert sorted(built) == ["prod", "staging"]


def test_the_marker_records_each_stacks_environment_key_and_file(previous):
    marker = json.loads((previous / MARKER_FILE).read_text())
    assert sorted(marker["stacks"]) == ["prod", "staging"]
    for name, record in marker["stacks"].items():
        assert record["unit"] == name
        assert len(record["key"]) == len(record["sha256"]) == 64


def test_every_field_of_an_environment_is_part_of_its_key():
    def keys(spec: Spec) -> dict[str, str]:
        return {unit.name: unit.key for unit in synth_reuse.synth_units(spec, "code")}

    base = keys(EXAMPLE)
    staging = _environment(EXAMPLE, "staging")
    for field in dataclasses.fields(staging):
        if field.name == "name":  # the environment's name is in the key as such
            continue
        value = getattr(staging, field.name)
        other = (*value, value[0]) if isinstance(value, tuple) and value else f"{value}-changed"
        changed = keys(_with_environment(EXAMPLE, dataclasses.replace(staging, **{field.name: other})))
        assert changed["staging"] != base["staging"], field.name
        assert changed["prod"] == base["prod"], field.name
    assert (
        keys(EXAMPLE)["staging"]
        != {u.name: u.key for u in synth_reuse.synth_units(EXAMPLE, "other")}["staging"]
    )


def test_the_manifest_is_written_as_cdktf_writes_it(tmp_path):
    app_module.build_app(EXAMPLE, tmp_path).synth()
    text = (tmp_path / "manifest.json").read_text()
    assert synth_reuse.stable_stringify(json.loads(text)) == text


def _auto_rollback(spec: Spec) -> Spec:
    staging = _environment(spec, "staging")
    experiments = tuple(dataclasses.replace(e, auto_rollback=True) for e in staging.experiments)
    return _with_environment(spec, dataclasses.replace(staging, experiments=experiments))


def test_a_reused_stack_keeps_its_assets(tmp_path, monkeypatch):
    # GIVEN staging with an auto-rollback function, whose zip is an asset beside its stack
    spec = _auto_rollback(EXAMPLE)
    output = tmp_path / "out"
    assert synthesize(spec, output, command="synth", reuse=False) == 0
    assert list((output / "stacks" / "staging" / "assets").rglob("*.zip"))
    # WHEN only prod changes
    changed = _weight(spec)
    built = record_built_stacks(monkeypatch)
    assert synthesize(changed, output, command="synth", reuse=True) == 0
    # THEN staging is reused with its assets: the tree is what one App building everything writes
    assert built == ["prod"]
    assert _without_marker(snapshot_tree(output)) == _one_app(changed, tmp_path / "one-app")


def test_a_removed_load_balancer_stack_with_state_is_kept_and_said(previous_split, tmp_path, capsys):
    # GIVEN the split example's output, whose stack prod--chat holds Terraform state
    output = tmp_path / "out"
    shutil.copytree(previous_split, output)
    (output / "stacks" / "prod--chat" / "terraform.prod--chat.tfstate").write_text("{}")
    capsys.readouterr()
    # WHEN load balancer chat is removed from the spec
    assert synthesize(_split_load_balancer_removed(SPLIT), output, command="synth", reuse=True) == 0
    # THEN its stack's folder is kept with its state, and synth says so, naming the stack
    kept = output / "stacks" / "prod--chat"
    assert (kept / "terraform.prod--chat.tfstate").read_text() == "{}"
    assert capsys.readouterr().err.splitlines()[-1] == (
        f"synth: kept {kept}: stack prod--chat is no longer in the spec, but the directory holds Terraform "
        "state (terraform.prod--chat.tfstate) that may still describe live resources; destroy them "
        f"(terraform -chdir={kept} destroy), then delete the directory"
    )
