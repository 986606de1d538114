"""`python main.py [--spec PATH]` (also `make synth`, `npx cdktf synth`): validate, then synthesize.

Writes `<outdir>/stacks/<environment>/cdk.tf.json` for every environment of the spec. The output
directory is `--outdir`, else `$CDKTF_OUTDIR` (set by the cdktf CLI), else `cdktf.out`.

The spec is validated before any cdktf call: a bad spec exits 2 with one line per problem and the
previous output stays intact. A synthesis error exits 1, also leaving the previous output intact, since
the new output is written beside it and swapped in only when complete.

With `--gate` (what `make gate` runs), the policy gate then checks the new output, exactly as
`python -m constructs_ab gate OUTDIR` would, and its exit code is returned (0 passed, 1 a check failed);
the gate's imports are done in a forked process while the synth runs (see `prepared_gate`).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from constructs_ab import node_lazy_index
from constructs_ab.cli.output_dir import staged_output
from constructs_ab.cli.prepared_gate import PreparedGate
from constructs_ab.cli.spec_option import EXIT_INPUT_ERROR, add_spec_argument, load_spec_or_report
from constructs_ab.spec.model import Spec

EXIT_SYNTH_ERROR = 1


def main(argv: list[str] | None = None, *, command: str = "synth") -> int:
    parser = argparse.ArgumentParser(prog="python main.py", description=__doc__.split("\n\n")[0])
    add_spec_argument(parser)
    parser.add_argument(
        "--outdir",
        type=Path,
        default=Path(os.environ.get("CDKTF_OUTDIR") or "cdktf.out"),
        help="output directory (default: $CDKTF_OUTDIR or cdktf.out)",
    )
    parser.add_argument(
        "--gate",
        action="store_true",
        help="then run the policy gate on the output (what `make gate` does); exit code: the gate's",
    )
    args = parser.parse_args(argv)

    spec = load_spec_or_report(args.spec, command=command)
    if spec is None:
        return EXIT_INPUT_ERROR

    os.environ.setdefault("JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION", "20")
    gate = PreparedGate.start() if args.gate else None  # before jsii starts: the gate imports meanwhile
    code = synthesize(spec, args.outdir, command=command)
    if gate is None:
        return code
    if code != 0:
        gate.cancel()
        return code
    return gate.run([str(args.outdir)])


def synthesize(spec: Spec, outdir: Path, *, command: str) -> int:
    """Write every environment's stack into `outdir`, all at once; 0, or 1 with one line on stderr."""
    node_lazy_index.install()  # before cdktf starts the jsii runtime
    try:
        with staged_output(outdir) as staging:
            from constructs_ab.app import build_app  # imports cdktf: only after validation

            build_app(spec, staging).synth()
    except Exception as error:  # jsii reports construct errors as JSIIError; show them without a traceback
        message = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
        print(f"{command}: synthesis failed: {message}", file=sys.stderr)
        print(f"{command}: {outdir} was left as it was.", file=sys.stderr)
        return EXIT_SYNTH_ERROR

    for environment in spec.environments:
        stack_file = outdir / "stacks" / environment.name / "cdk.tf.json"
        resources = json.loads(stack_file.read_text()).get("resource", {})
        count = sum(len(instances) for instances in resources.values())
        print(f"{command}: {environment.name}: {count} resources -> {stack_file}")
    return 0
