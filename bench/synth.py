"""Synthesis benchmark: `npx cdktf synth` against `make synth`, side by side in one run.

    .venv/bin/python bench/synth.py [--runs N]

On the example spec and on generated specs of 1, 4, 16 and 100 experiments of 5 variants (16 fill the
default quota of 100 rules of one load balancer, override rules included; 100 are spread over as many
load balancers as the quotas require). Prints a Markdown table: median wall time, median peak memory of
the largest process, and the ratio. Targets (2-core machine, installed): `make synth` of the example
under 4 s, of 100 experiments under 8 s.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.specs import generated_spec, load_balancer_count  # noqa: E402
from bench.timing import compare, table  # noqa: E402

EXAMPLE = Path("examples/ab-experiments.yaml")
SIZES = (1, 4, 16, 100)
# AB_SYNTH_REUSE=0: every run builds every stack (else synth copies what the previous run wrote).
QUIET_ENV = {
    "JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION": "20",
    "CHECKPOINT_DISABLE": "1",
    "AB_SYNTH_REUSE": "0",
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3, help="counted runs of each command (default 3)")
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory(prefix="bench-synth-") as tmp:
        work = Path(tmp)
        specs = [("example", EXAMPLE)]
        for size in SIZES:
            path = work / f"generated-{size}.yaml"
            path.write_text(generated_spec(size))
            lbs = load_balancer_count(size)
            specs.append((f"{size} experiments, {lbs} LB{'s' if lbs > 1 else ''}", path))

        rows = []
        for label, spec in specs:
            out_npx, out_make = work / "out-npx", work / "out-make"
            results = compare(
                {
                    "npx": (
                        ["npx", "cdktf", "synth", "--output", str(out_npx)],
                        {**QUIET_ENV, "AB_SPEC": str(spec)},
                    ),
                    "make": (
                        ["make", "--no-print-directory", "synth", f"SPEC={spec}", f"OUTDIR={out_make}"],
                        QUIET_ENV,
                    ),
                },
                runs=args.runs,
            )
            npx, make = results["npx"], results["make"]
            if npx.failed or make.failed:
                print(f"warning: {label}: failed runs: npx {npx.failed}, make {make.failed}", file=sys.stderr)
            rows.append(
                [
                    label,
                    f"{npx.wall_seconds:.2f} s",
                    f"{make.wall_seconds:.2f} s",
                    f"{npx.wall_seconds / make.wall_seconds:.2f}x",
                    f"{npx.peak_mib:.0f} MiB",
                    f"{make.peak_mib:.0f} MiB",
                ]
            )
        print(
            table(
                ["spec", "npx cdktf synth", "make synth", "wall ratio (npx / make)", "peak npx", "peak make"],
                rows,
            )
        )
        print(f"\nmedian of {args.runs} runs each after one warm-up, run alternately")
    return 0


if __name__ == "__main__":
    sys.exit(main())
