"""The `--spec` option shared by every command that reads the spec file, and where the spec is when it is
not given.

Precedence, the first that is set wins:

1. `--spec PATH` (relative to the current directory);
2. the `AB_SPEC` environment variable (so `AB_SPEC=my.yaml npx cdktf synth` works);
3. the project setting, `spec` of `[tool.ab-models]` in the nearest `pyproject.toml` (relative to that
   file; see `project_setting`). This repository's own `pyproject.toml` names the shipped example.

With none of them, `locate_spec` raises `SpecLocationError` with one line saying how to configure one, and
the commands exit 2.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from constructs_ab.cli.project_setting import TABLE, ProjectSettingError, find_project_setting
from constructs_ab.spec import SpecError, load_spec_with_warnings
from constructs_ab.spec.model import Spec

SPEC_ENV_VAR = "AB_SPEC"

NOT_CONFIGURED = (
    f"no spec given: pass --spec PATH, set {SPEC_ENV_VAR}=PATH, or name it in a pyproject.toml of this "
    f'directory or a parent: [tool.{TABLE}] spec = "path/to/spec.yaml"'
)


class SpecLocationError(Exception):
    """No spec is configured, or the project setting is wrong; the message is one line."""


@dataclass(frozen=True, kw_only=True)
class SpecLocation:
    """The spec file to read. `path`: as given, or resolved from the setting (relative to the current
    directory when inside it); `source`: where it came from, None for `--spec`."""

    path: Path
    source: str | None = None

    def describe(self) -> str:
        """`path`, with `(from ...)` when it did not come from `--spec`."""
        return str(self.path) if self.source is None else f"{self.path} (from {self.source})"


def locate_spec(
    option: Path | None, *, environ: Mapping[str, str] | None = None, start: Path | None = None
) -> SpecLocation:
    """The spec named by `option` (`--spec`), else `$AB_SPEC`, else the project setting found from `start`
    (default: the current directory); SpecLocationError when none is set or the setting is wrong."""
    if option is not None:
        return SpecLocation(path=option)
    from_environment = (os.environ if environ is None else environ).get(SPEC_ENV_VAR)
    if from_environment:
        return SpecLocation(path=Path(from_environment), source=f"${SPEC_ENV_VAR}")
    try:
        setting = find_project_setting(start)
    except ProjectSettingError as error:
        raise SpecLocationError(str(error)) from None
    if setting is None:
        raise SpecLocationError(NOT_CONFIGURED)
    return SpecLocation(path=_shown(setting.spec), source=f"{setting.file} [tool.{TABLE}] spec")


def _shown(path: Path) -> Path:
    """`path` relative to the current directory when it is inside it, so messages stay short."""
    try:
        return path.relative_to(Path.cwd())
    except ValueError:
        return path


def add_spec_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--spec",
        type=Path,
        default=None,
        metavar="PATH",
        help=f"experiment spec file (default: ${SPEC_ENV_VAR}, else spec of [tool.{TABLE}] in the nearest "
        "pyproject.toml)",
    )


def load_spec_or_report(option: Path | None, *, command: str, warnings: bool = True) -> Spec | None:
    """Locate (see `locate_spec`), load and validate the spec; on failure print one line per problem to
    stderr and return None. Warnings are printed to stderr too, one line each
    (`<file>:<line>: warning: <path>: <message>`), unless `warnings` is False (a spec read only to compare
    with, such as preflight's `--base`: its warnings are the deployed spec's, not the change's)."""
    try:
        location = locate_spec(option)
    except SpecLocationError as error:
        print(f"{command}: {error}", file=sys.stderr)
        return None
    try:
        loaded = load_spec_with_warnings(location.path)
        if loaded.warnings and warnings:
            print(loaded.render_warnings(), file=sys.stderr)
        return loaded.spec
    except OSError as error:
        print(
            f"{command}: cannot read spec {location.describe()}: {error.strerror or error}", file=sys.stderr
        )
        return None
    except SpecError as error:
        report_spec_error(error, location.path, command=command)
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
