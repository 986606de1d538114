"""The whole path, side by side in one run: synth, gate and plan, cold, warm and after a one-weight change,
against the naive pipeline. What `make bench` prints.

    .venv/bin/python bench/pipeline.py [--runs N] [--plan-runs N] [--experiments N] [--stacks LAYOUT]
                                       [--skip-plan]

On the example spec and on a generated spec of 100 experiments of 5 variants (bench/specs.py; one
environment split into one stack per load balancer unless `--stacks one`), each in a fresh output folder:

- naive: `npx cdktf synth`, then `checkov -d` as a separate process with the same configuration file and
  `--external-checks-dir policies`, a new output folder each run;
- `make synth`, building every stack (`AB_SYNTH_REUSE=0`);
- `make gate`, cold: synth building every stack, then the gate with an empty result cache (a new cache
  folder each run);
- `make gate`, warm: nothing changed since the previous run (synth copies every stack, the gate reads
  every result from the cache);
- `make gate` after a one-weight change: `set-weights` moves one point between two variants of one
  experiment (a weight not used before, so the changed stacks are never in the cache), then `make gate`
  with the synth output and the cache as the previous run left them;
- `terraform plan -refresh=false` of every stack (bench/terraform_plan.py; `terraform init` untimed), and
  after a one-weight change of the stacks whose synthesized JSON changed only (the others are unchanged:
  the row names how many of how many were planned).

Naive and cold runs alternate (A B A B) after one warm-up each; the others follow in that order. Prints
one Markdown table: median wall time (and, for `make gate` cold, the largest process's peak memory).
Targets (2-core machine): `make gate` cold at most a quarter of the naive pipeline on the example and a
third at 100 experiments; after a one-weight change at 100 experiments, the gate and the plan at most a
fifth of a full run. Public tools only: subprocess, time.perf_counter, resource.getrusage (bench/timing.py).
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.specs import load_balancer_count, write_generated_spec  # noqa: E402
from bench.terraform_plan import Planner, PlanUnavailable, open_planner  # noqa: E402
from bench.timing import Run, run_once, table  # noqa: E402
from constructs_ab.spec.loader import load_spec  # noqa: E402
from constructs_ab.stack_layout import StackLayout  # noqa: E402

EXAMPLE = Path("examples/ab-experiments.yaml")
QUIET_ENV = {"JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION": "20", "CHECKPOINT_DISABLE": "1"}
CHECKOV = Path(".venv/bin/checkov")
CACHE_ENVIRONMENT = "AB_GATE_CACHE_DIR"
#: Cold runs build every stack (synth would otherwise copy the stacks the previous run wrote).
FULL_SYNTH = {"AB_SYNTH_REUSE": "0"}


def naive_command(outdir: Path) -> list[str]:
    script = (
        f"rm -rf {outdir} && npx cdktf synth --output {outdir} >/dev/null && "
        f"{CHECKOV} -d {outdir} --skip-download --framework terraform_json terraform "
        "--config-file .checkov.yaml --external-checks-dir policies --quiet --compact >/dev/null"
    )
    return ["bash", "-c", script]


def make(target: str, spec: Path, outdir: Path) -> list[str]:
    return ["make", "--no-print-directory", target, f"SPEC={spec}", f"OUTDIR={outdir}"]


@dataclass(frozen=True, kw_only=True)
class WeightChange:
    """One experiment without a ramp and two of its variants: each change moves one more point."""

    environment: str
    experiment: str
    weights: dict[str, int]

    @classmethod
    def of(cls, spec: Path) -> WeightChange:
        loaded = load_spec(spec)
        for environment in loaded.environments:
            for experiment in environment.experiments:
                if experiment.ramp is None and len(experiment.variants) >= 2:
                    return cls(
                        environment=environment.name,
                        experiment=experiment.name,
                        weights={v.variant.name: v.weight for v in experiment.variants},
                    )
        raise SystemExit(f"{spec}: no experiment without a ramp to change a weight of")

    def command(self, spec: Path, step: int) -> list[str]:
        """`set-weights` with the first variant `step` points lower and the second `step` points higher."""
        names = list(self.weights)
        weights = dict(self.weights)
        weights[names[0]] -= step
        weights[names[1]] += step
        return [
            sys.executable,
            "-m",
            "constructs_ab",
            "set-weights",
            "--spec",
            str(spec),
            "--env",
            self.environment,
            self.experiment,
            *(f"{name}={weight}" for name, weight in weights.items()),
        ]


def _ok(command: Sequence[str]) -> None:
    result = subprocess.run(command, env={**os.environ, **QUIET_ENV}, capture_output=True, text=True)
    if result.returncode != 0:
        raise SystemExit(f"failed (exit {result.returncode}): {' '.join(command)}\n{result.stderr.strip()}")


def _median(runs: Sequence[Run]) -> float:
    return statistics.median(run.wall_seconds for run in runs)


class Measurement:
    """Every figure of one spec."""

    def __init__(self, label: str, spec: Path, work: Path, runs: int, *, title: str = "") -> None:
        self.label = label  # names its work folders
        self.label_text = title or label  # names it in the targets
        self.work = work
        self.runs = runs
        self.spec = work / "spec.yaml"
        shutil.copy(spec, self.spec)
        self.change = WeightChange.of(self.spec)
        self.step = 0
        self.outdir = work / "out"
        self.failed: list[str] = []
        self.figures: dict[str, str] = {}
        self.full_plan_seconds: float | None = None
        self.changed_plan_seconds: float | None = None

    def timed(self, name: str, command: Sequence[str], env: dict[str, str] | None = None) -> Run:
        run = run_once(command, {**QUIET_ENV, **(env or {})})
        if run.exit_code not in (0, 1):  # 1: the gate found something; timing is what counts here
            self.failed.append(f"{name} exited {run.exit_code}")
        return run

    def change_weight(self) -> None:
        self.step += 1
        _ok(self.change.command(self.spec, self.step))

    def gate(self) -> None:
        naive_out, cache_root = self.work / "naive", self.work / "caches"
        naive: list[Run] = []
        cold: list[Run] = []

        def cold_run() -> Run:
            cache = cache_root / f"cold-{len(cold)}"
            shutil.rmtree(cache, ignore_errors=True)
            return self.timed(
                "make gate (cold)",
                make("gate", self.spec, self.outdir),
                {CACHE_ENVIRONMENT: str(cache), **FULL_SYNTH},
            )

        self.timed("naive", naive_command(naive_out), {"AB_SPEC": str(self.spec)})  # warm-ups
        cold_run()
        for _ in range(self.runs):
            naive.append(self.timed("naive", naive_command(naive_out), {"AB_SPEC": str(self.spec)}))
            cold.append(cold_run())
        synth = [
            self.timed("make synth", make("synth", self.spec, self.outdir), FULL_SYNTH)
            for _ in range(self.runs)
        ]
        warm_cache = {CACHE_ENVIRONMENT: str(cache_root / "warm")}
        self.timed("make gate (warm-up)", make("gate", self.spec, self.outdir), warm_cache)
        warm = [
            self.timed("make gate (warm)", make("gate", self.spec, self.outdir), warm_cache)
            for _ in range(self.runs)
        ]
        changed = []
        for _ in range(self.runs):
            self.change_weight()
            changed.append(
                self.timed("make gate (changed)", make("gate", self.spec, self.outdir), warm_cache)
            )
        self.naive_seconds, self.cold_seconds = _median(naive), _median(cold)
        self.changed_gate_seconds = _median(changed)
        self.figures.update(
            naive=f"{self.naive_seconds:.2f} s",
            synth=f"{_median(synth):.2f} s",
            cold=f"{self.cold_seconds:.2f} s",
            cold_ratio=f"{self.cold_seconds / self.naive_seconds:.2f}",
            cold_peak=f"{statistics.median(run.peak_mib for run in cold):.0f} MiB",
            naive_peak=f"{statistics.median(run.peak_mib for run in naive):.0f} MiB",
            warm=f"{_median(warm):.2f} s",
            changed=f"{self.changed_gate_seconds:.2f} s",
            changed_ratio=f"{self.changed_gate_seconds / self.cold_seconds:.2f}",
        )

    def plan(self, planner: Planner, plan_runs: int) -> None:
        stacks = sorted(folder for folder in (self.outdir / "stacks").iterdir() if folder.is_dir())
        copies = {folder.name: planner.prepare(folder, f"{self.label}-{folder.name}") for folder in stacks}
        full = []
        for _ in range(plan_runs):
            full.append(sum(planner.plan(copy).wall_seconds for copy in copies.values()))
        after, changed_counts = [], []
        for _ in range(plan_runs):
            before = {name: (folder / "cdk.tf.json").read_bytes() for name, folder in _stacks(self.outdir)}
            self.change_weight()
            _ok(make("synth", self.spec, self.outdir))
            changed = [
                name
                for name, folder in _stacks(self.outdir)
                if (folder / "cdk.tf.json").read_bytes() != before.get(name)
            ]
            seconds = 0.0
            for name in changed:
                planner.update(self.outdir / "stacks" / name, copies[name])
                seconds += planner.plan(copies[name]).wall_seconds
            after.append(seconds)
            changed_counts.append(len(changed))
        self.full_plan_seconds, self.changed_plan_seconds = statistics.median(full), statistics.median(after)
        self.figures.update(
            plan=f"{self.full_plan_seconds:.1f} s ({len(copies)} stack{'s' if len(copies) > 1 else ''})",
            plan_changed=f"{self.changed_plan_seconds:.1f} s ({max(changed_counts)} of {len(copies)})",
            plan_ratio=f"{self.changed_plan_seconds / self.full_plan_seconds:.2f}",
            whole_ratio=(
                f"{(self.changed_gate_seconds + self.changed_plan_seconds) / (self.cold_seconds + self.full_plan_seconds):.2f}"
            ),
        )


def _stacks(outdir: Path) -> list[tuple[str, Path]]:
    return sorted((folder.name, folder) for folder in (outdir / "stacks").iterdir() if folder.is_dir())


ROWS: list[tuple[str, str]] = [
    ("naive: `npx cdktf synth` + `checkov -d`", "naive"),
    ("`make synth`", "synth"),
    ("`make gate`, cold (empty cache)", "cold"),
    ("`make gate` cold / naive (target: example 0.25, 100 exp. 0.33)", "cold_ratio"),
    ("peak memory: naive / `make gate` cold", "peaks"),
    ("`make gate`, warm (nothing changed)", "warm"),
    ("`make gate` after a one-weight change", "changed"),
    ("`make gate` after the change / cold (target at 100 exp.: 0.20)", "changed_ratio"),
    ("`terraform plan -refresh=false`, every stack", "plan"),
    ("`terraform plan` after the change, changed stacks only", "plan_changed"),
    ("plan after the change / every stack (target at 100 exp.: 0.20)", "plan_ratio"),
    ("gate + plan after the change / cold gate + every plan", "whole_ratio"),
]


@dataclass(frozen=True, kw_only=True)
class Target:
    """A ratio of two figures that must stay at or under `limit`."""

    what: str
    limit: float
    ratio: float | None  # None: not measured (plan left out)

    def line(self) -> str:
        if self.ratio is None:
            return f"- {self.what} <= {self.limit:.2f}: not measured"
        verdict = "met" if self.ratio <= self.limit else "NOT met"
        return f"- {self.what} <= {self.limit:.2f}: {self.ratio:.2f}, {verdict}"


def targets(example: Measurement, large: Measurement) -> list[Target]:
    """The issue's targets: the cold gate against the naive pipeline on both specs, and after a one-weight
    change at the large spec, the gate and the plan against a full run (cold gate and every stack's plan)."""
    changed: float | None = None
    if large.changed_plan_seconds is not None and large.full_plan_seconds is not None:
        changed = (large.changed_gate_seconds + large.changed_plan_seconds) / (
            large.cold_seconds + large.full_plan_seconds
        )
    return [
        Target(
            what="example: `make gate` cold / naive",
            limit=0.25,
            ratio=example.cold_seconds / example.naive_seconds,
        ),
        Target(
            what=f"{large.label_text}: `make gate` cold / naive",
            limit=1 / 3,
            ratio=large.cold_seconds / large.naive_seconds,
        ),
        Target(
            what=f"{large.label_text}: after a one-weight change, (gate + plan) / (cold gate + every plan)",
            limit=0.20,
            ratio=changed,
        ),
    ]


def target_lines(measurements: Sequence[Measurement]) -> list[str]:
    if len(measurements) != 2:
        return []
    return ["Targets (2-core machine):", *(t.line() for t in targets(measurements[0], measurements[1]))]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3, help="counted runs of each command (default 3)")
    parser.add_argument("--plan-runs", type=int, default=1, help="counted plan runs (default 1)")
    parser.add_argument("--experiments", type=int, default=100, help="experiments of the generated spec")
    parser.add_argument(
        "--stacks",
        choices=[layout.value for layout in StackLayout],
        default=StackLayout.PER_LOAD_BALANCER.value,
        help="the generated spec's `stacks` setting (default: per_load_balancer)",
    )
    parser.add_argument("--skip-plan", action="store_true", help="leave out the terraform plan rows")
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory(prefix="bench-pipeline-") as tmp:
        work = Path(tmp)
        generated = write_generated_spec(args.experiments, work, stacks=args.stacks)
        lbs = load_balancer_count(args.experiments)
        layout = "a stack per LB" if args.stacks == StackLayout.PER_LOAD_BALANCER.value else "one stack"
        specs = [("example", EXAMPLE), (f"{args.experiments} experiments, {lbs} LBs, {layout}", generated)]
        measurements = []
        for index, (label, spec) in enumerate(specs):
            folder = work / f"spec-{index}"
            folder.mkdir()
            measurement = Measurement(f"spec{index}", spec, folder, args.runs, title=label)
            measurement.gate()
            measurements.append((label, measurement))
        plan_note = ""
        if not args.skip_plan:
            try:
                with open_planner(work / "terraform") as planner:
                    for _, measurement in measurements:
                        measurement.plan(planner, args.plan_runs)
            except PlanUnavailable as reason:
                plan_note = f"terraform plan left out: {reason}"
        for _, measurement in measurements:
            measurement.figures["peaks"] = (
                f"{measurement.figures.get('naive_peak', '?')} / {measurement.figures.get('cold_peak', '?')}"
            )
        rows = [
            [title, *(measurement.figures.get(key, "n/a") for _, measurement in measurements)]
            for title, key in ROWS
        ]
        print(table(["", *(label for label, _ in measurements)], rows))
        print(
            f"\nmedian of {args.runs} runs after one warm-up (naive and cold alternately); terraform plan: "
            f"median of {args.plan_runs}, init untimed, stacks planned one after another"
        )
        if plan_note:
            print(plan_note)
        print()
        for line in target_lines([measurement for _, measurement in measurements]):
            print(line)
        for label, measurement in measurements:
            if measurement.failed:
                print(f"note: {label}: {', '.join(sorted(set(measurement.failed)))}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
