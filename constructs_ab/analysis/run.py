"""One analysis, end to end: the live split (ELBv2), the metrics of the window (CloudWatch), the decision.

Read-only: `run_analysis` calls only Describe* and GetMetricData.
"""

from __future__ import annotations

from dataclasses import dataclass

from constructs_ab.analysis.decide import ExperimentDecision, decide
from constructs_ab.analysis.gather import gather
from constructs_ab.analysis.live_split import LiveSplit, read_live_split
from constructs_ab.analysis.roles import choose_roles
from constructs_ab.analysis.window import Window
from constructs_ab.live.aws_errors import aws_errors
from constructs_ab.live.aws_session import AwsConnection, CallerIdentity
from constructs_ab.spec.model import Environment, Experiment


@dataclass(frozen=True, kw_only=True)
class AnalysisResult:
    """Everything `analyze` prints: who and what was read, the decision and notes about the data."""

    identity: CallerIdentity
    environment: str
    experiment: Experiment
    window: Window
    split: LiveSplit
    decision: ExperimentDecision
    notes: tuple[str, ...]

    @property
    def ramp_candidate(self) -> str | None:
        return self.experiment.ramp.candidate if self.experiment.ramp is not None else None


def notes_of(split: LiveSplit, experiment: Experiment, latency: bool) -> list[str]:
    notes = []
    if split.spec_differs:
        live = ", ".join(f"{name} {weight}" for name, weight in split.weights)
        notes.append(
            f"the spec's weights are not the live ones ({live}): the analysis uses the live weights; deploy "
            "the spec before acting on it"
        )
    for name in split.paused:
        notes.append(f"{name} takes no traffic (weight 0): not analysed")
    for name, others in split.shared.items():
        notes.append(
            f"{name} also takes the traffic of {', '.join(others)}: its target group's metrics include those "
            "requests, so the sample ratio check is left out and its error rate and latency mix them in"
        )
    if not latency:
        notes.append("latency not compared (--skip-latency)")
    if experiment.override.enabled:
        notes.append(
            f"requests forced with the {experiment.override.header} header count toward the variant they name"
        )
    return notes


def run_analysis(
    connection: AwsConnection,
    environment: Environment,
    experiment: Experiment,
    window: Window,
    *,
    latency: bool = True,
) -> AnalysisResult:
    """Analyse `experiment` over `window` (LiveError, one line, when AWS cannot be read)."""
    where = connection.where()
    with aws_errors(f"reading the split of {experiment.name} ({where})"):
        split = read_live_split(connection.client("elbv2"), connection.identity, environment, experiment)
    weights = dict(split.weights)
    variants = gather(
        connection.client("cloudwatch"),
        split.targets,
        weights,
        window,
        experiment.analysis.custom_metrics,
        latency=latency,
        where=where,
    )
    roles = choose_roles(
        [(t.name, weights[t.name]) for t in split.targets],
        experiment.ramp.candidate if experiment.ramp is not None else None,
    )
    decision = decide(
        variants,
        roles,
        experiment.analysis,
        sticky=split.sticky,
        latency_measured=latency,
        window_minutes=window.minutes,
        srm_skipped="a variant's target group also takes other traffic" if split.shared else None,
    )
    return AnalysisResult(
        identity=connection.identity,
        environment=environment.name,
        experiment=experiment,
        window=window,
        split=split,
        decision=decision,
        notes=tuple(notes_of(split, experiment, latency)),
    )
