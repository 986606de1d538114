"""`python main.py [--spec PATH]` (also `make synth`, `npx cdktf synth`): validate, then synthesize.

Writes `<outdir>/stacks/<stack>/cdk.tf.json` for every stack of the spec: one per environment, named after
it, and with `stacks: per_load_balancer` one per load balancer too (`<environment>--<load balancer>`,
`constructs_ab.stack_layout`). The output
directory is `--outdir`, else `$CDKTF_OUTDIR` (set by the cdktf CLI), else `cdktf.out`.

The spec is validated before any cdktf call: a bad spec exits 2 with one line per problem and the
previous output stays intact. An output directory that is neither new, empty nor a previous synth
output (the repository root, a file, a directory of other files, ...) is refused: exit 2, one line,
nothing touched. A synthesis error exits 1 and Ctrl-C exits 130 (one line, no traceback), both leaving
the previous output intact, since the new output is written beside it and swapped in only when
complete; Terraform's files in the previous output's stack directories are carried over (see
`output_dir`), and a stack kept for its state is reported with one line. The stacks whose inputs did not
change since the previous synth into the same directory are copied from it rather than built
(`synth_reuse`; `--full` builds every stack).

With `--gate` (what `make gate` runs), the policy gate then checks the new output, exactly as
`python -m constructs_ab gate OUTDIR` would, and its exit code is returned (0 passed, 1 a check failed);
the gate's imports are done in a forked process while the synth runs (see `prepared_gate`).
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from constructs_ab import jsii_runtime, node_lazy_index
from constructs_ab.cli import synth_reuse
from constructs_ab.cli.interrupts import interrupts_recorded
from constructs_ab.cli.kit.entry import quiet_exit_after_interrupt, run_command
from constructs_ab.cli.kit.exit_codes import ExitCode
from constructs_ab.cli.kit.parser import CommandParser, prog_of
from constructs_ab.cli.output_dir import KeptStack, Staging, staged_output
from constructs_ab.cli.output_target import OutputRefused
from constructs_ab.cli.prepared_gate import PreparedGate
from constructs_ab.cli.spec_option import add_spec_argument, load_spec_or_report
from constructs_ab.spec.model import Spec
from constructs_ab.stack_layout import STACK_NAME_SEPARATOR


def main(argv: Sequence[str] | None = None, *, command: str = "synth", prog: str | None = None) -> int:
    """`synth`; `prog`: what usage calls it (main.py passes `python main.py`)."""
    return run_command(command, lambda: _run(argv, command, prog_of(command, prog)))


def _run(argv: Sequence[str] | None, command: str, prog: str) -> int:
    parser = CommandParser(prog=prog, description=__doc__.split("\n\n")[0])
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
    parser.add_argument(
        "--full",
        action="store_true",
        help="build every stack (default: the stacks whose part of the spec, code "
        "and versions are unchanged are copied from the previous output; "
        f"${synth_reuse.REUSE_ENVIRONMENT}=0 also turns that off)",
    )
    args = parser.parse_args(None if argv is None else list(argv))

    try:
        spec = load_spec_or_report(args.spec, command=command)
    except KeyboardInterrupt:
        print(f"{command}: interrupted; {args.outdir} was left as it was", file=sys.stderr)
        return ExitCode.INTERRUPTED
    if spec is None:
        return ExitCode.BAD_INPUT

    os.environ.setdefault("JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION", "20")
    gate = PreparedGate.start() if args.gate else None  # before jsii starts: the gate imports meanwhile
    code = synthesize(spec, args.outdir, command=command, reuse=synth_reuse.reuse_enabled(args.full))
    if gate is None:
        return code
    if code != 0:
        gate.cancel()
        return code
    return gate.run([str(args.outdir)])


def synthesize(spec: Spec, outdir: Path, *, command: str, reuse: bool = True) -> int:
    """Write every stack of the spec into `outdir`, all at once: 0; or 2 (refused), 1 (synthesis
    error) or 130 (interrupted) with one line on stderr.

    reuse: copy the stacks whose inputs did not change from the previous output instead of building them
    (`synth_reuse`)."""

    def note(line: str) -> None:
        print(f"{command}: {line}", file=sys.stderr)

    node_lazy_index.install()  # before cdktf starts the jsii runtime
    jsii_runtime.install()
    staging: Staging | None = None
    built: list[str] = []
    units = synth_reuse.synth_units(spec, synth_reuse.code_digest())

    def interrupted() -> int:
        quiet_exit_after_interrupt()
        replaced = staging is not None and staging.replaced
        note(f"interrupted; {outdir} {'already holds the new output' if replaced else 'was left as it was'}")
        return ExitCode.INTERRUPTED

    with interrupts_recorded() as ctrl_c_came:
        try:
            with staged_output(outdir, note=note) as staging:
                staging.stack_records, built = synth_reuse.synthesize_units(
                    spec, units, staging.target, staging.path, reuse=reuse, build=_build
                )
        except OutputRefused as refusal:
            note(str(refusal))
            return ExitCode.BAD_INPUT
        except KeyboardInterrupt:
            return interrupted()
        except (
            Exception
        ) as error:  # jsii reports construct errors as JSIIError; show them without a traceback
            if ctrl_c_came():  # Node.js ended by the same Ctrl-C: its broken pipe is not the failure
                return interrupted()
            message = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
            note(f"synthesis failed: {message}")
            note(f"{outdir} was left as it was.")
            return ExitCode.FAILED

    for unit in units:
        stack_file = outdir / "stacks" / unit.name / "cdk.tf.json"
        resources = json.loads(stack_file.read_text()).get("resource", {})
        count = sum(len(instances) for instances in resources.values())
        reused = "" if unit.name in built else " (unchanged: copied from the previous output)"
        print(f"{command}: {unit.name}: {count} resources -> {stack_file}{reused}")
    assert staging is not None
    for kept in staging.kept:
        note(_kept_message(kept, outdir))
    return ExitCode.OK


def _build(spec: Spec, outdir: Path, stacks: tuple[str, ...]) -> None:
    from constructs_ab.app import build_app  # imports cdktf: only after validation

    build_app(spec, outdir, only=stacks).synth()


def _kept_message(kept: KeptStack, outdir: Path) -> str:
    shown = ", ".join(kept.entries[:3]) + (
        f" and {len(kept.entries) - 3} more" if len(kept.entries) > 3 else ""
    )
    where = outdir / "stacks" / kept.name
    # a load balancer's stack of a split environment (`<environment>--<load balancer>`), or an environment's
    what = f"stack {kept.name}" if STACK_NAME_SEPARATOR in kept.name else f"environment {kept.name}"
    if kept.has_state:
        return (
            f"kept {where}: {what} is no longer in the spec, but the directory holds "
            f"Terraform state ({shown}) that may still describe live resources; destroy them "
            f"(terraform -chdir={where} destroy), then delete the directory"
        )
    return (
        f"kept {where}: {what} is no longer in the spec, but the directory holds files "
        f"synth did not write ({shown}); delete it when you no longer need them"
    )
