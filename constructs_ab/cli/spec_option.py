"""The `--spec` option shared by every command that reads the spec file.

Default: the `AB_SPEC` environment variable if set (so `AB_SPEC=my.yaml npx cdktf synth` works), else
`examples/ab-experiments.yaml`.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from constructs_ab.spec import SpecError, load_spec_with_warnings
from constructs_ab.spec.model import Spec

SPEC_ENV_VAR = "AB_SPEC"
EXAMPLE_SPEC = Path("examples/ab-experiments.yaml")


def default_spec_path() -> Path:
    return Path(os.environ.get(SPEC_ENV_VAR) or EXAMPLE_SPEC)


def add_spec_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--spec",
        type=Path,
        default=None,
        metavar="PATH",
        help=f"experiment spec file (default: ${SPEC_ENV_VAR} or {EXAMPLE_SPEC})",
    )


def load_spec_or_report(path: Path | None, *, command: str) -> Spec | None:
    """Load and validate the spec; on failure print one line per problem to stderr and return None.
    Warnings are printed to stderr too, one line each (`<file>:<line>: warning: <path>: <message>`)."""
    path = path or default_spec_path()
    try:
        loaded = load_spec_with_warnings(path)
        if loaded.warnings:
            print(loaded.render_warnings(), file=sys.stderr)
        return loaded.spec
    except OSError as error:
        print(f"{command}: cannot read spec {path}: {error.strerror or error}", file=sys.stderr)
        return None
    except SpecError as error:
        report_spec_error(error, path, command=command)
        return None


def report_spec_error(error: SpecError, path: Path, *, command: str) -> None:
    """Print a spec's problems on stderr, one `<file>:<line>: <field>: <message>` line each, then
    `<command>: N problems in <path>; nothing was written.`"""
    print(str(error), file=sys.stderr)
    count = len(error.problems)
    print(
        f"{command}: {count} problem{'s' if count != 1 else ''} in {path}; nothing was written.",
        file=sys.stderr,
    )
