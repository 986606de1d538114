"""`analyze --apply`: act on the ramp candidate's verdict through the rollout commands, so the spec is
edited exactly as `promote` and `rollback` edit it (locked, validated, written atomically, the traffic
diff printed).

- promote -> `promote EXPERIMENT --if-stage <stage analysed>`; rollback -> `rollback ... --if-stage ...`;
  hold -> nothing is written.
- `--if-stage` makes the edit fail, writing nothing, when the spec moved since it was read (someone
  promoted meanwhile), so an analysis of one stage never moves another.
- Refused when the experiment has no ramp, when its candidate takes no traffic, or when the spec's
  weights are not the live ones (an edit not deployed yet: the data measured another split).
"""

from __future__ import annotations

import contextlib
import io
from dataclasses import dataclass
from pathlib import Path

from constructs_ab.analysis.decision import Verdict
from constructs_ab.analysis.run import AnalysisResult
from constructs_ab.cli.kit.output_format import OutputFormat
from constructs_ab.rollout import cli as rollout_cli
from constructs_ab.spec.model import Experiment, Ramp


class ApplyError(Exception):
    """`--apply` cannot act; the message is one line."""


@dataclass(frozen=True, kw_only=True)
class Applied:
    """What `--apply` did: the command run (None for a hold), its exit code and what it printed."""

    command: str | None
    exit_code: int
    output: str = ""
    errors: str = ""
    message: str = ""


def require_ramp(experiment: Experiment, environment: str) -> Ramp:
    """The experiment's ramp; ApplyError without one (checked before anything is read from AWS)."""
    if experiment.ramp is None:
        raise ApplyError(
            f"--apply moves a ramp's candidate, and experiment {experiment.name!r} ({environment}) has no "
            "ramp; use set-weights"
        )
    return experiment.ramp


def check_applicable(result: AnalysisResult) -> str:
    """The ramp candidate (ApplyError when `--apply` may not act on this analysis)."""
    candidate = require_ramp(result.experiment, result.environment).candidate
    if result.decision.candidate(candidate) is None:
        raise ApplyError(
            f"the ramp candidate {candidate!r} takes no live traffic, so there is no verdict to apply; promote "
            "it to its first stage by hand"
        )
    if result.split.spec_differs:
        raise ApplyError(
            "the spec's weights are not the live ones (a change not deployed yet): the data measured another "
            "split; deploy the spec, analyse again, then apply; nothing written"
        )
    return candidate


def apply_verdict(
    result: AnalysisResult, spec_path: Path, output_format: OutputFormat, *, capture: bool
) -> Applied:
    """Run promote or rollback for the ramp candidate's verdict; `capture`: keep its output (for JSON)
    instead of letting it print."""
    candidate = check_applicable(result)
    decision = result.decision.candidate(candidate)
    assert decision is not None and result.experiment.ramp is not None
    if decision.verdict is Verdict.HOLD:
        return Applied(
            command=None, exit_code=0, message=f"apply: {candidate} holds; {spec_path} is not changed"
        )
    command = "promote" if decision.verdict is Verdict.PROMOTE else "rollback"
    argv = [
        result.experiment.name,
        "--env",
        result.environment,
        "--spec",
        str(spec_path),
        "--if-stage",
        str(result.experiment.ramp.stage),
        "--format",
        OutputFormat.MARKDOWN.value if output_format is OutputFormat.MARKDOWN else OutputFormat.TEXT.value,
    ]
    if not capture:
        return Applied(command=command, exit_code=rollout_cli.main(argv, command=command))
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = rollout_cli.main(argv, command=command)
    return Applied(command=command, exit_code=code, output=out.getvalue(), errors=err.getvalue())
