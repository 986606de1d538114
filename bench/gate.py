"""Gate benchmark: the naive pipeline against `make gate`, side by side in one run.

    .venv/bin/python bench/gate.py [--runs N]

Naive: `npx cdktf synth`, then `checkov -d cdktf.out --skip-download` as a separate process (with the same
configuration file and `--external-checks-dir policies`, so both check the same things).
`make gate`: `main.py --gate`, synthesis and then the gate (Checkov in-process, once) in one command.
On the example spec and on the generated 100-experiment spec of the synth benchmark (bench/specs.py).
Prints a Markdown table: median wall time, median peak memory of the largest process, and the ratio.
Targets (2-core machine, installed): `make gate` at most a third of the naive wall time, and under 6 s on
the example. Public tools only: subprocess, time.perf_counter, resource.getrusage (see bench/timing.py).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.specs import load_balancer_count, write_generated_spec  # noqa: E402
from bench.timing import compare, table  # noqa: E402

EXAMPLE = Path("examples/ab-experiments.yaml")
GENERATED_EXPERIMENTS = 100
QUIET_ENV = {"JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION": "20", "CHECKPOINT_DISABLE": "1"}
CHECKOV = Path(".venv/bin/checkov")


def naive_command(spec: Path, outdir: Path) -> list[str]:
    script = (
        f"npx cdktf synth --output {outdir} >/dev/null && "
        f"{CHECKOV} -d {outdir} --skip-download --framework terraform_json terraform "
        "--config-file .checkov.yaml --external-checks-dir policies --quiet --compact >/dev/null"
    )
    return ["bash", "-c", script]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3, help="counted runs of each command (default 3)")
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory(prefix="bench-gate-") as tmp:
        work = Path(tmp)
        generated = write_generated_spec(GENERATED_EXPERIMENTS, work)
        lbs = load_balancer_count(GENERATED_EXPERIMENTS)
        specs = [("example", EXAMPLE), (f"{GENERATED_EXPERIMENTS} experiments, {lbs} LBs", generated)]
        rows = []
        for label, spec in specs:
            out_naive, out_make = work / "out-naive", work / "out-make"
            results = compare(
                {
                    "naive": (naive_command(spec, out_naive), {**QUIET_ENV, "AB_SPEC": str(spec)}),
                    "make": (
                        ["make", "--no-print-directory", "gate", f"SPEC={spec}", f"OUTDIR={out_make}"],
                        QUIET_ENV,
                    ),
                },
                runs=args.runs,
            )
            naive, make = results["naive"], results["make"]
            if naive.failed or make.failed:
                print(
                    f"note: {label}: non-zero exits (a failed check counts): naive {naive.failed}, "
                    f"make gate {make.failed} of {args.runs}",
                    file=sys.stderr,
                )
            rows.append(
                [
                    label,
                    f"{naive.wall_seconds:.2f} s",
                    f"{make.wall_seconds:.2f} s",
                    f"{make.wall_seconds / naive.wall_seconds:.2f}",
                    f"{naive.peak_mib:.0f} MiB",
                    f"{make.peak_mib:.0f} MiB",
                ]
            )
        print(
            table(
                [
                    "spec",
                    "naive (npx cdktf synth + checkov -d)",
                    "make gate",
                    "wall ratio (make / naive)",
                    "peak naive",
                    "peak make gate",
                ],
                rows,
            )
        )
        print(
            f"\nmedian of {args.runs} runs each after one warm-up, run alternately; target: ratio <= 0.33, "
            "make gate < 6 s on the example"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
