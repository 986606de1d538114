"""`python -m constructs_ab stacks`: each environment's stacks in deploy order, from the spec (what the
deploy workflow deploys), one name per line or as JSON; an unknown environment is one line and exit 2."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from constructs_ab.__main__ import main
from constructs_ab.cli.kit.exit_codes import ExitCode

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "ab-experiments.yaml"
PROD_LBS = ("public",)  # the example's prod load balancers


def run(capsys: pytest.CaptureFixture[str], *args: str, spec: Path = EXAMPLE) -> tuple[int, str, str]:
    code = main(["stacks", "--spec", str(spec), *args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_text_lists_one_stack_per_line_in_spec_order(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys)
    assert (code, out) == (ExitCode.OK, "staging\nprod\n")


def test_env_lists_only_that_environment(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "--env", "prod")
    assert (code, out) == (ExitCode.OK, "prod\n")


def test_json_gives_dependencies_and_where_each_state_is(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "--format", "json")
    assert code == ExitCode.OK
    assert json.loads(out) == {
        "environments": [
            {
                "name": "staging",
                "layout": "one",
                "stacks": [
                    {
                        "name": "staging",
                        "load_balancer": None,
                        "depends_on": [],
                        "state": {"local": "terraform.staging.tfstate"},
                    }
                ],
            },
            {
                "name": "prod",
                "layout": "one",
                "stacks": [
                    {
                        "name": "prod",
                        "load_balancer": None,
                        "depends_on": [],
                        "state": {"bucket": "acme-terraform-state", "key": "ab-models/prod.tfstate"},
                    }
                ],
            },
        ]
    }


def test_an_unknown_environment_is_one_line_naming_the_environments(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, err = run(capsys, "--env", "prod-eu")
    assert (code, out) == (ExitCode.BAD_INPUT, "")
    assert (
        err.splitlines()[-1] == "stacks: --env prod-eu: not an environment of the spec; it has staging, prod"
    )


@pytest.fixture
def split_example(tmp_path: Path) -> Path:
    """The example with prod (S3 state, load balancer public) split per load balancer."""
    text = EXAMPLE.read_text()
    anchor = "  prod:\n"
    assert anchor in text
    spec = tmp_path / "split.yaml"
    spec.write_text(text.replace(anchor, anchor + "    stacks: per_load_balancer\n", 1))
    return spec


def test_a_split_environment_lists_its_stack_first_then_one_per_load_balancer(
    capsys: pytest.CaptureFixture[str], split_example: Path
) -> None:
    code, out, _ = run(capsys, "--env", "prod", spec=split_example)
    assert (code, out.splitlines()) == (ExitCode.OK, ["prod", *(f"prod--{lb}" for lb in PROD_LBS)])
    code, out, _ = run(capsys, "--env", "prod", "--format", "json", spec=split_example)
    (prod,) = json.loads(out)["environments"]
    assert prod["layout"] == "per_load_balancer"
    assert [(s["name"], s["load_balancer"], s["depends_on"], s["state"]["key"]) for s in prod["stacks"]] == [
        ("prod", None, [], "ab-models/prod.tfstate"),
        *((f"prod--{lb}", lb, ["prod"], f"ab-models/prod--{lb}.tfstate") for lb in PROD_LBS),
    ]
