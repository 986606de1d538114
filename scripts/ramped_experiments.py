"""Print `<environment> <experiment>` for every experiment of the spec that has a ramp, one per line, for
the scheduled ramp workflow (.github/workflows/ramp.yml), which runs `analyze --apply` on each.

    .venv/bin/python scripts/ramped_experiments.py                 # the spec the project setting names
    .venv/bin/python scripts/ramped_experiments.py --spec other.yaml

Exit codes: 0 listed (possibly nothing); 2 no spec, or an invalid one (its problems on stderr).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run as a file from a checkout

from constructs_ab.cli.spec_option import load_spec_or_report  # noqa: E402


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--spec", type=Path, help="the spec (default: --spec's usual precedence)")
    args = parser.parse_args(argv)
    spec = load_spec_or_report(args.spec, command="ramped_experiments")
    if spec is None:
        return 2
    for environment in spec.environments:
        for experiment in environment.experiments:
            if experiment.ramp is not None:
                print(environment.name, experiment.name)
    return 0


if __name__ == "__main__":
    sys.exit(main())
