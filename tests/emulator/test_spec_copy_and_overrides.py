"""The spec copy names the emulator's network (comments and layout kept, the original untouched); the
override files send every service the stacks use to the emulator."""

from __future__ import annotations

import json
from pathlib import Path

from constructs_ab.emulator.network import Network
from constructs_ab.emulator.provider_override import EMULATED_SERVICES, overrides, unemulated_types
from constructs_ab.emulator.spec_copy import disable_deletion_protection, edit_spec_file, write_spec_copy
from constructs_ab.spec import load_spec

REPOSITORY = Path(__file__).resolve().parents[2]
EXAMPLE = REPOSITORY / "examples" / "ab-experiments.yaml"
SYNTHESIZED = REPOSITORY / "tests" / "review" / "fixtures" / "synth-example" / "stacks"


def test_the_copy_names_the_network_and_keeps_the_rest(tmp_path: Path) -> None:
    original = EXAMPLE.read_bytes()
    network = Network(
        region="eu-west-1",
        vpc_id="vpc-11111111111111111",
        subnet_ids=("subnet-11111111111111111", "subnet-22222222222222222"),
        certificate_arn="arn:aws:acm:eu-west-1:123456789012:certificate/12345678-1234-1234-1234-123456789012",
    )
    copy = tmp_path / "spec.yaml"
    write_spec_copy(EXAMPLE, copy, {"staging": network})
    text = copy.read_text()
    assert EXAMPLE.read_bytes() == original
    assert "# The classic: 80% of /abtest to model A" in text  # comments kept
    assert "subnet_ids: [subnet-11111111111111111, subnet-22222222222222222]" in text  # flow style kept
    staging = next(e for e in load_spec(copy).environments if e.name == "staging")
    assert (staging.vpc_id, staging.subnet_ids, staging.certificate_arn) == (
        network.vpc_id,
        network.subnet_ids,
        network.certificate_arn,
    )
    prod = next(e for e in load_spec(copy).environments if e.name == "prod")
    assert prod.vpc_id == "vpc-0f9e8d7c6b5a43210"  # not asked: unchanged


def test_deletion_protection_is_turned_off_on_every_load_balancer(tmp_path: Path) -> None:
    copy = tmp_path / "spec.yaml"
    copy.write_bytes(EXAMPLE.read_bytes())
    edit_spec_file(copy, disable_deletion_protection)
    assert not any(lb.deletion_protection for e in load_spec(copy).environments for lb in e.load_balancers)


def test_every_service_the_example_stacks_use_goes_to_the_emulator() -> None:
    for stack in ("prod", "staging"):
        document = json.loads((SYNTHESIZED / stack / "cdk.tf.json").read_text())
        assert unemulated_types(document) == []
    assert unemulated_types({"resource": {"aws_lambda_function": {}}}) == ["aws_lambda_function"]


def test_the_overrides_hold_endpoints_fake_keys_and_a_local_backend() -> None:
    files = overrides("http://127.0.0.1:5555")
    provider = files["emulator"]["provider"]["aws"]
    assert provider["endpoints"] == [{service: "http://127.0.0.1:5555" for service in EMULATED_SERVICES}]
    assert provider["skip_credentials_validation"] and provider["s3_use_path_style"]
    assert files["local_backend"] == {"terraform": {"backend": {"local": {"path": "terraform.tfstate"}}}}
