"""Property: every spec the validator accepts synthesizes. Generated valid specs (shared variants, a
target on two ports, defaults, every option) are merged into one spec of several environments, checked
valid, and synthesized in one app; the stacks hold what the spec says. Few examples: a synth is slow."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from spec.spec_builders import dump
from spec.test_validate_property import valid_specs

from constructs_ab.app import build_app
from constructs_ab.spec import parse_spec


def merged(specs: list[dict[str, Any]]) -> dict[str, Any]:
    """One spec holding the `prod` environment of each spec, as environments p0, p1, ..."""
    data: dict[str, Any] = {"version": 1, "environments": {}}
    for index, spec in enumerate(specs):
        data["environments"][f"p{index}"] = spec["environments"]["prod"]
    return data


@settings(
    max_examples=3,
    deadline=None,
    phases=[Phase.explicit, Phase.generate],  # no shrinking: each try is a synth
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(st.lists(valid_specs(), min_size=4, max_size=4))
def test_every_valid_spec_synthesizes(tmp_path_factory: Any, specs: list[dict[str, Any]]) -> None:
    # GIVEN several valid specs as the environments of one spec, which is valid too
    spec = parse_spec(dump(merged(specs)), "generated.yaml")
    outdir: Path = tmp_path_factory.mktemp("synth")
    # WHEN it is synthesized, THEN no construct fails, and each stack has a target group per variant and an
    # attachment per static target and port
    build_app(spec, outdir).synth()
    for environment in spec.environments:
        document = json.loads((outdir / "stacks" / environment.name / "cdk.tf.json").read_text())
        resources = document["resource"]
        assert len(resources["aws_lb_target_group"]) == len(environment.variants)
        targets = sum(len(variant.targets) for variant in environment.variants)
        assert len(resources.get("aws_lb_target_group_attachment", {})) == targets
