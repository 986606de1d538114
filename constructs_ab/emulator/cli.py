"""`python -m constructs_ab emulate [--spec PATH]`: deploy a spec to a throwaway AWS emulator and check it.

Starts the emulator (moto, a dev dependency) on a free loopback port, creates the VPC, subnets and
certificate each environment needs, synthesizes a copy of the spec naming them, applies every stack
(environments in parallel; an environment's stacks in deploy order, its load balancer stacks in parallel;
each in a working copy with the emulator's provider settings as override files), checks
the live listener rules and target groups against the spec, then turns deletion protection off, destroys
and checks nothing is left. With `--keep` it stops after the check and keeps the emulator running until
Ctrl-C. The spec file and `cdktf.out/` are only read.

Exit 0 when every stack applied, matched its spec and was destroyed; 1 when an apply, the live check or
the destroy failed (one line per problem); 2 for a bad spec, bad usage or a missing tool (one line: what
is missing and how to provide it); 130 after Ctrl-C and 143 after SIGTERM (handled alike, see
`constructs_ab.cli.kit.termination`): every terraform run and the emulator stopped, one line.
"""

from __future__ import annotations

import argparse
import re
import shutil
import sys
import tempfile
import threading
from collections.abc import Sequence
from pathlib import Path

from constructs_ab.cli.kit.entry import fail
from constructs_ab.cli.kit.exit_codes import ExitCode
from constructs_ab.cli.kit.parser import CommandParser
from constructs_ab.cli.spec_command import run_spec_command
from constructs_ab.cli.spec_option import add_spec_argument, locate_spec
from constructs_ab.emulator.deployment import Deployment, DeploymentError
from constructs_ab.emulator.server import Emulator, EmulatorUnavailable
from constructs_ab.emulator.spec_copy import disable_deletion_protection, edit_spec_file
from constructs_ab.spec.model import Spec
from constructs_ab.terraform.errors import TerraformUnavailable
from constructs_ab.terraform.runner import RunResult
from constructs_ab.terraform.toolchain import TemporaryToolchain

_APPLIED = re.compile(r"Apply complete! Resources: (\d+) added, (\d+) changed, (\d+) destroyed")
_DESTROYED = re.compile(r"Destroy complete! Resources: (\d+) destroyed")


DESCRIPTION = (
    "Apply the spec's stacks to a throwaway AWS emulator (moto, on a free loopback port), "
    "check the live listener rules and target groups against the spec, then destroy them. The spec file "
    "and cdktf.out/ are only read."
)


def build_parser(prog: str) -> argparse.ArgumentParser:
    parser = CommandParser(prog=prog, description=DESCRIPTION)
    add_spec_argument(parser)
    parser.add_argument(
        "--env",
        metavar="NAME",
        action="append",
        help="deploy only this environment (repeatable; default: all)",
    )
    parser.add_argument(
        "--keep",
        action="store_true",
        help="after the check, keep the emulator and the stacks until Ctrl-C (no destroy)",
    )
    parser.add_argument(
        "--workdir",
        type=Path,
        metavar="DIR",
        help="folder for the spec copy, the synthesis and Terraform's working copies (must not exist; kept); "
        "default: a temporary folder, removed at the end",
    )
    return parser


def main(argv: Sequence[str] | None = None, *, command: str = "emulate", prog: str | None = None) -> int:
    return run_spec_command(command, prog, argv, build_parser, lambda args, spec: _main(args, spec, command))


def _main(args: argparse.Namespace, spec: Spec, command: str) -> int:
    spec_path = locate_spec(args.spec).path
    names = [environment.name for environment in spec.environments]
    unknown = [name for name in args.env or () if name not in names]
    if unknown:
        return fail(
            command,
            [f"--env {', '.join(unknown)}: not an environment of {spec_path}; it has {', '.join(names)}"],
        )
    if args.workdir is not None and args.workdir.exists():
        return fail(command, [f"--workdir {args.workdir} exists; name a new folder (it is kept afterwards)"])
    workspace = args.workdir or Path(tempfile.mkdtemp(prefix="constructs-ab-emulate-"))
    workspace.mkdir(parents=True, exist_ok=True)
    try:
        return _run(command, spec_path, workspace, args.env, keep=args.keep)
    except (TerraformUnavailable, EmulatorUnavailable) as error:
        return fail(command, [str(error)])
    except DeploymentError as error:
        return fail(command, [str(error)], ExitCode.FAILED)
    except KeyboardInterrupt:
        print(f"{command}: interrupted; the emulator and every terraform run were stopped", file=sys.stderr)
        return ExitCode.INTERRUPTED
    finally:
        if args.workdir is None and not args.keep:
            shutil.rmtree(workspace, ignore_errors=True)


def _run(
    command: str, spec_path: Path, workspace: Path, environments: list[str] | None, *, keep: bool
) -> int:
    failed = False
    with TemporaryToolchain() as toolchain, Emulator(log=workspace / "emulator.log") as endpoint:
        print(f"{command}: Terraform {toolchain.binary.version}, provider mirror {toolchain.mirror.path}")
        print(f"{command}: emulator at {endpoint.url}; work folder {workspace}")
        deployment = Deployment(toolchain, endpoint, spec_path, workspace, environments)
        deployment.prepare()
        for name, network in deployment.networks.items():
            print(
                f"{command}: {name}: {network.region} network {network.vpc_id}, subnets "
                f"{', '.join(network.subnet_ids)}, certificate {network.certificate_arn}"
            )
        failed |= _report_runs(command, "apply", deployment.apply(), deployment.stack_names())
        for name, result in deployment.check().items():
            if result.ok:
                print(
                    f"{command}: {name}: live state matches the spec "
                    f"({result.rules} listener rules, {result.target_groups} target groups)"
                )
            else:
                failed = True
                for problem in result.problems:
                    print(f"{command}: {problem}", file=sys.stderr)
        if keep:
            print(
                f"{command}: --keep: the emulator stays at {endpoint.url} (stacks in {deployment.stacks_dir}); "
                "press Ctrl-C to stop it"
            )
            try:
                threading.Event().wait()
            except KeyboardInterrupt:
                print(f"{command}: stopping the emulator")
            return ExitCode.FAILED if failed else ExitCode.OK
        changed = deployment.change(lambda path: edit_spec_file(path, disable_deletion_protection))
        failed |= _report_runs(
            command, "apply (deletion protection off)", deployment.apply(changed_only=True), changed
        )
        failed |= _report_runs(command, "destroy", deployment.destroy(), deployment.stack_names())
        for name in deployment.environments:
            left = {kind: count for kind, count in deployment.live_resources(name).items() if count}
            if left:
                failed = True
                print(f"{command}: {name}: still live after destroy: {left}", file=sys.stderr)
    return ExitCode.FAILED if failed else ExitCode.OK


def _report_runs(command: str, what: str, results: dict[str, RunResult], stacks: Sequence[str]) -> bool:
    """Print one line per stack of `stacks` (one missing from `results` was not run: a stack it depends on,
    or that depends on it, failed); True when one failed or was not run."""
    failed = False
    for name in stacks:
        result = results.get(name)
        if result is None:
            failed = True
            print(f"{command}: {name}: {what} not run (a stack it is ordered after failed)", file=sys.stderr)
        elif result.ok:
            counts = _APPLIED.search(result.output) or _DESTROYED.search(result.output)
            detail = f" ({counts.group(0).split('! ')[1]})" if counts else ""
            print(f"{command}: {name}: {what} succeeded in {result.seconds:.1f} s{detail}")
        else:
            failed = True
            print(f"{command}: {name}: {what} failed: {result.describe()}", file=sys.stderr)
            for error in result.errors[1:]:
                print(f"{command}: {name}:   {error}", file=sys.stderr)
    return failed
