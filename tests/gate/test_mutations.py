"""Mutation tests: each single insecure or invalid change to the example's JSON is caught with the right id,
on the right resource; the unmutated example passes. One Checkov run covers all mutations (each in its own
stack folder, so the whole-document checks see one document each)."""

from __future__ import annotations

import copy
import json

import pytest

from constructs_ab.gate.plan import plan_stacks
from constructs_ab.gate.runner import run_checkov

from .conftest import results_by
from .mutations import MUTATIONS


@pytest.fixture(scope="module")
def mutated(tmp_path_factory, example):
    stacks, _ = example
    originals = sorted(stacks.rglob("*.tf.json"))
    original = json.loads(next(p for p in originals if p.parent.name == "prod").read_text())
    root = tmp_path_factory.mktemp("mutations")
    failing_resource = {}
    for mutation in (None, *MUTATIONS):
        document = copy.deepcopy(original)
        name = "unmutated" if mutation is None else mutation.name
        if mutation is not None:
            failing_resource[name] = f"{mutation.resource_type}.{mutation.mutate(document)}"
        folder = root / "stacks" / name
        folder.mkdir(parents=True)
        (folder / "cdk.tf.json").write_text(json.dumps(document, indent=2))
    planned = plan_stacks([str(root)])
    assert all(stack.ours for stack in planned)  # copies of our stack: our skips apply
    run = run_checkov(planned)
    assert run.report.parsing_errors == []
    return run.report, root, failing_resource


def test_there_are_at_least_20_mutations():
    assert len(MUTATIONS) >= 20


def test_the_unmutated_example_passes_every_check(mutated):
    report, root, _ = mutated
    failed = [
        (r.check_id, r.resource) for r in report.failed_checks if "/stacks/unmutated/" in r.file_abs_path
    ]
    assert failed == []


@pytest.mark.parametrize("mutation", MUTATIONS, ids=[m.name for m in MUTATIONS])
def test_fails_on_mutation_with_the_right_check_and_resource(mutated, mutation):
    report, root, failing_resource = mutated
    resource = failing_resource[mutation.name]
    passed, failed = results_by(report, mutation.check_id, root / "stacks" / mutation.name)
    assert resource in failed, f"{mutation.check_id} did not fail; failed: {sorted(failed)}"
    passed_before, failed_before = results_by(report, mutation.check_id, root / "stacks" / "unmutated")
    assert failed_before == set()
    # the check still judges the same resources, and fails exactly the mutated one unless the mutation
    # says others fail with it
    assert passed | failed == passed_before
    if mutation.alone:
        assert failed == {resource}
