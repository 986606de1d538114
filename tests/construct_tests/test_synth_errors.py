"""A part that cannot be built is one line naming the spec object, never jsii's construct-id message or a
traceback: from the stack, and from the synth command."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from cdktf import Testing as CdktfTesting

from constructs_ab.cli.synth import synthesize
from constructs_ab.environment_stack import EnvironmentStack, SynthError
from constructs_ab.spec.model import (
    Environment,
    Experiment,
    LoadBalancer,
    Match,
    Spec,
    Target,
    Variant,
    WeightedVariant,
)


def environment(variant: Variant) -> Environment:
    """An environment built in Python, never validated, with one experiment splitting `variant` and b."""
    other = Variant(name="b", model_id="m", model_version="2")
    return Environment(
        name="dev",
        region="eu-west-1",
        vpc_id="vpc-0a1b2c3d4e5f67890",
        subnet_ids=("subnet-0a1b2c3d4e5f60001", "subnet-0a1b2c3d4e5f60002"),
        certificate_arn="arn:aws:acm:eu-west-1:123456789012:certificate/11111111-2222-3333-4444-555555555555",
        allowed_client_cidrs=("10.0.0.0/8",),
        owner="team",
        load_balancers=(LoadBalancer(name="public"),),
        experiments=(
            Experiment(
                name="exp",
                load_balancer="public",
                match=Match(paths=("/x",)),
                priority=10,
                variants=(
                    WeightedVariant(variant=variant, weight=50),
                    WeightedVariant(variant=other, weight=50),
                ),
            ),
        ),
    )


A = Variant(name="a", model_id="m", model_version="1")


def test_a_prop_out_of_range_names_the_environment_and_variant() -> None:
    with pytest.raises(SynthError) as failed:
        EnvironmentStack(CdktfTesting.app(), environment(dataclasses.replace(A, port=0)))
    assert str(failed.value) == (
        "environment dev, variant a: ModelVariantProps.variant.port: 0 is out of range; a port is an integer "
        "from 1 to 65535"
    )


def test_a_construct_id_clash_is_said_in_the_tools_words() -> None:
    # GIVEN (bypassing the validator) one target listed three times, twice on port 9000
    twice = (Target(id="10.0.1.15"), Target(id="10.0.1.15", port=9000), Target(id="10.0.1.15", port=9000))
    with pytest.raises(SynthError) as failed:
        EnvironmentStack(CdktfTesting.app(), environment(dataclasses.replace(A, targets=twice)))
    assert str(failed.value) == (
        "environment dev, variant a: two of its parts would be the same Terraform resource "
        "(target-10.0.1.15-9000); the spec validator should have refused this spec: please report it, with the "
        "spec"
    )


def test_synth_prints_one_line_and_keeps_the_output(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    spec = Spec(environments=(environment(dataclasses.replace(A, port=0)),))
    outdir = tmp_path / "out"
    assert synthesize(spec, outdir, command="synth") == 1
    assert capsys.readouterr().err.splitlines() == [
        "synth: synthesis failed: environment dev, variant a: ModelVariantProps.variant.port: 0 is out of "
        "range; a port is an integer from 1 to 65535",
        f"synth: {outdir} was left as it was.",
    ]
    assert not outdir.exists()
