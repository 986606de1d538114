"""Static targets: one target may be listed on several ports (two model servers on one host); one target
on one port, written with and without the variant's port, is one registration listed twice."""

from __future__ import annotations

import dataclasses
from typing import Any

from constructs_ab.spec import validate

from .spec_builders import EXP, base_spec, changed, load, problems_of


def with_targets(targets: list[Any]) -> dict[str, Any]:
    return changed(base_spec(), "environments.prod.experiments.0.variants.0.targets", targets)


def test_one_ip_target_on_two_ports_is_valid() -> None:
    spec = load(with_targets(["10.0.1.15", {"id": "10.0.1.15", "port": 9000}]))
    targets = spec.environments[0].experiments[0].variants[0].variant.targets
    assert [(t.id, t.port) for t in targets] == [("10.0.1.15", None), ("10.0.1.15", 9000)]


def test_a_target_without_a_port_is_on_the_variants_port() -> None:
    # GIVEN 10.0.1.15 (on the default port 8080) and 10.0.1.15 on port 8080 written out
    data = with_targets(["10.0.1.15", {"id": "10.0.1.15", "port": 8080}])
    assert problems_of(data) == [
        (
            f"{EXP}.variants[0] (a).targets[1]",
            '"10.0.1.15" on port 8080 is listed twice (first at line 20); a target without a port is on the '
            "variant's port, 8080: list each target and port once",
        )
    ]


def test_validate_finds_the_same_registration_twice_without_a_line() -> None:
    spec = load(with_targets(["10.0.1.15", {"id": "10.0.1.15", "port": 9000}]))
    variant = spec.environments[0].experiments[0].variants[0].variant
    twice = dataclasses.replace(
        variant, targets=(variant.targets[0], dataclasses.replace(variant.targets[1], port=8080))
    )
    experiment = spec.environments[0].experiments[0]
    weighted = dataclasses.replace(experiment.variants[0], variant=twice)
    experiment = dataclasses.replace(experiment, variants=(weighted, experiment.variants[1]))
    environment = dataclasses.replace(spec.environments[0], experiments=(experiment,))
    problems = validate(dataclasses.replace(spec, environments=(environment,)))
    assert [(p.path, p.message) for p in problems] == [
        (
            f"{EXP}.variants[0] (a).targets[1]",
            '"10.0.1.15" on port 8080 is listed twice; a target without a port is on the variant\'s port, '
            "8080: list each target and port once",
        )
    ]
