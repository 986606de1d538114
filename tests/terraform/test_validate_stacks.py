"""`terraform init` (offline, from the provider mirror) and `terraform validate` of every synthesized stack,
with the real AWS provider the bindings were generated for: the example's stacks and those of generated
specs (5 variants, several load balancers, every option on, one of them split per load balancer; see
generated_specs.py).

Each spec is synthesized once per module with `python -m constructs_ab synth`, as a user would; Terraform
runs in copies, and the synthesized files are checked to be byte-identical afterwards.
"""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from constructs_ab.terraform.provider_mirror import PROVIDER_VERSION
from constructs_ab.terraform.runner import Terraform
from constructs_ab.terraform.stack_copy import copy_stack
from constructs_ab.terraform.toolchain import Toolchain
from tests.terraform.generated_specs import every_option

pytestmark = pytest.mark.terraform

REPOSITORY = Path(__file__).resolve().parents[2]
EXAMPLE = REPOSITORY / "examples" / "ab-experiments.yaml"
EXISTING_LISTENER_EXAMPLE = REPOSITORY / "examples" / "existing-listener.yaml"

#: spec name -> (spec data, or None for the example, or an example's path; the stacks it must synthesize)
SPECS = {
    "example": (None, ("prod", "staging")),
    "existing-listener": (EXISTING_LISTENER_EXAMPLE, ("prod",)),
    "5-variants-3-lbs": (every_option(variants=5, load_balancers=3), ("defaults", "full")),
    "2-variants-4-lbs": (every_option(variants=2, load_balancers=4), ("defaults", "full")),
    # stacks: per_load_balancer: the environment stack and one stack per load balancer
    "5-variants-3-lbs-split": (
        every_option(variants=5, load_balancers=3, stacks={"full": "per_load_balancer"}),
        ("defaults", "full", "full--public", "full--private", "full--batch1"),
    ),
}


def digest(folder: Path) -> dict[str, str]:
    return {
        str(path.relative_to(folder)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


@pytest.fixture(scope="module", params=sorted(SPECS))
def synthesized(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> tuple[str, Path]:
    name = request.param
    data, _ = SPECS[name]
    folder = tmp_path_factory.mktemp(f"synth-{name}")
    spec = EXAMPLE if data is None else data if isinstance(data, Path) else folder / "spec.yaml"
    if isinstance(data, dict):
        spec.write_text(yaml.safe_dump(data, sort_keys=False))
    outdir = folder / "cdktf.out"
    result = subprocess.run(
        [sys.executable, "-m", "constructs_ab", "synth", "--spec", str(spec), "--outdir", str(outdir)],
        cwd=REPOSITORY,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return name, outdir


def test_every_stack_inits_offline_and_validates_with_the_real_provider(
    synthesized: tuple[str, Path], terraform_toolchain: Toolchain, tmp_path: Path
) -> None:
    # GIVEN a synthesized spec and its files' digests
    name, outdir = synthesized
    before = digest(outdir)
    stacks = sorted(p.name for p in (outdir / "stacks").iterdir())
    assert stacks == sorted(SPECS[name][1])
    for stack in stacks:
        # WHEN Terraform inits (offline: only the mirror is configured) and validates a copy of the stack
        terraform = Terraform(terraform_toolchain, copy_stack(outdir / "stacks" / stack, tmp_path / stack))
        init = terraform.init(backend=False)
        assert init.ok, init.describe() + "\n" + init.output
        assert f"Installing hashicorp/aws v{PROVIDER_VERSION}" in init.output
        validation = terraform.validate()
        # THEN the configuration is valid, without a warning
        assert validation.valid, f"{name}/{stack}: " + "; ".join(validation.diagnostics)
        assert validation.diagnostics == (), f"{name}/{stack}: " + "; ".join(validation.diagnostics)
    # and the synthesized files were only read
    assert digest(outdir) == before


def test_the_stacks_pin_the_provider_version_the_mirror_is_searched_for(
    synthesized: tuple[str, Path],
) -> None:
    _, outdir = synthesized
    for stack in (outdir / "stacks").iterdir():
        document = json.loads((stack / "cdk.tf.json").read_text())
        assert document["terraform"]["required_providers"]["aws"]["version"] == PROVIDER_VERSION


def test_validate_reports_an_argument_the_provider_does_not_know(
    synthesized: tuple[str, Path], terraform_toolchain: Toolchain, tmp_path: Path
) -> None:
    # GIVEN a copy of a stack whose target groups get an argument the provider's schema does not have
    name, outdir = synthesized
    copy = copy_stack(sorted((outdir / "stacks").iterdir())[0], tmp_path / "copy")
    document = json.loads((copy / "cdk.tf.json").read_text())
    for group in document["resource"]["aws_lb_target_group"].values():
        group["weight"] = 5
    (copy / "cdk.tf.json").write_text(json.dumps(document))
    terraform = Terraform(terraform_toolchain, copy)
    assert terraform.init(backend=False).ok
    # WHEN it is validated
    validation = terraform.validate()
    # THEN Terraform refuses it, naming the argument
    assert not validation.valid
    assert any('No argument or block type is named "weight"' in d for d in validation.diagnostics), (
        validation.diagnostics
    )
