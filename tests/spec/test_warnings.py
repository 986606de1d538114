"""Warnings: reported with their line, never a SpecError; the spec still loads and the commands exit 0."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from constructs_ab.spec import (
    Problem,
    Severity,
    SpecError,
    load_spec,
    load_spec_with_warnings,
    parse_spec,
    parse_spec_with_warnings,
)

from .spec_builders import LB, base_spec, changed, dump

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "ab-experiments.yaml"
FORWARD_WARNING = (
    'the default action forwards to a variant that is in an experiment ("sentiment-a", in sentiment-abtest): '
    "unmatched traffic mixes into that variant's metrics and alarms, skewing the comparison; default_action: "
    "fixed-404 (the default) keeps unmatched traffic out of the experiments"
)


def _forwarding(variant: str = "a") -> str:
    return dump(
        changed(
            base_spec(), "environments.prod.load_balancers.public", {"default_action": {"forward": variant}}
        )
    )


def test_the_example_loads_with_one_warning_on_its_default_action() -> None:
    line = EXAMPLE.read_text().splitlines().index("        default_action: {forward: sentiment-a}") + 1
    loaded = load_spec_with_warnings(EXAMPLE)
    assert loaded.spec == load_spec(EXAMPLE)
    assert loaded.warnings == (
        Problem(
            path="environments.prod.load_balancers.public.default_action.forward",
            message=FORWARD_WARNING,
            line=line,
            severity=Severity.WARNING,
        ),
    )
    assert loaded.render_warnings() == (
        f"{EXAMPLE}:{line}: warning: environments.prod.load_balancers.public.default_action.forward: {FORWARD_WARNING}"
    )


def test_a_forward_to_a_variant_of_an_experiment_warns_and_names_the_experiment() -> None:
    loaded = parse_spec_with_warnings(_forwarding("b"), source="s.yaml")
    (warning,) = loaded.warnings
    assert (warning.path, warning.severity) == (f"{LB}.default_action.forward", Severity.WARNING)
    assert warning.message.startswith(
        'the default action forwards to a variant that is in an experiment ("b", in exp)'
    )
    assert parse_spec(_forwarding("b"), source="s.yaml") == loaded.spec


def test_the_default_fixed_404_gives_no_warning() -> None:
    assert parse_spec_with_warnings(dump(base_spec())).warnings == ()


def test_errors_raise_without_the_warnings() -> None:
    text = _forwarding().replace("weight: 20", "weight: 1000")
    with pytest.raises(SpecError) as caught:
        parse_spec_with_warnings(text, source="s.yaml")
    assert [p.path for p in caught.value.problems] == [
        "environments.prod.experiments[0] (exp).variants[1] (b).weight"
    ]
    assert all(p.is_error for p in caught.value.problems)


def test_a_warning_renders_with_its_kind_before_the_path() -> None:
    warning = Problem(path="a.b", message="x is odd; y", line=3, severity=Severity.WARNING)
    assert warning.render("s.yaml") == "s.yaml:3: warning: a.b: x is odd; y"
    assert Problem(path="a.b", message="x is odd; y").render("s.yaml") == "s.yaml: a.b: x is odd; y"


def test_validate_prints_the_warning_on_stderr_and_exits_0(tmp_path: Path) -> None:
    spec = tmp_path / "spec.yaml"
    spec.write_text(_forwarding())
    result = subprocess.run(
        [sys.executable, "-m", "constructs_ab", "validate", "--spec", str(spec)],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    (line,) = result.stderr.splitlines()
    assert (
        line.startswith(f"{spec}:")
        and ": warning: environments.prod.load_balancers.public.default_action" in line
    )
    assert result.stdout == (
        "prod: 1 load balancer(s), 1 experiment(s), 2 variant(s)\n"
        "  exp on public (priorities 100-105): a 80%, b 20%; not sticky (each request is split on its own)\n"
    )
