"""The project setting: which spec a repository's commands use, written once in its `pyproject.toml`.

    [tool.ab-models]
    spec = "infra/ab-experiments.yaml"    # relative to this pyproject.toml

The setting is read from the nearest `pyproject.toml` that has a `[tool.ab-models]` table, looking in the
current directory and then its parents (a `pyproject.toml` without the table is passed over, so a Python
package inside a larger repository does not hide the repository's setting). Every command that reads the
spec uses it when neither `--spec` nor `$AB_SPEC` is given (see `spec_option`).

A problem with the setting (a `pyproject.toml` that is not TOML, a table that is not a table, an unknown
key, a `spec` that is not a non-empty string) raises `ProjectSettingError` with one line naming the file.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path

from constructs_ab.cli.kit.did_you_mean import did_you_mean

SETTINGS_FILE = "pyproject.toml"
#: The table's name under [tool]: the console command's name.
TABLE = "ab-models"
KEYS = ("spec",)


class ProjectSettingError(Exception):
    """The project setting cannot be used; the message is one line naming the file."""


@dataclass(frozen=True, kw_only=True)
class ProjectSetting:
    """`[tool.ab-models]` of `file`; `spec`: the spec's path, resolved against the file's directory."""

    file: Path
    spec: Path


def find_project_setting(start: Path | None = None) -> ProjectSetting | None:
    """The setting of the nearest `pyproject.toml` with a `[tool.ab-models]` table, from `start` (default:
    the current directory) up to the file system's root; None when there is none."""
    directory = (start or Path.cwd()).absolute()
    for folder in (directory, *directory.parents):
        candidate = folder / SETTINGS_FILE
        if candidate.is_file():
            setting = read_project_setting(candidate)
            if setting is not None:
                return setting
    return None


def read_project_setting(file: Path) -> ProjectSetting | None:
    """`[tool.ab-models]` of `file`, or None when it has no such table; ProjectSettingError when it cannot be
    read or the table is wrong."""
    try:
        with file.open("rb") as stream:
            document = tomllib.load(stream)
    except OSError as error:
        raise ProjectSettingError(f"{file}: cannot read it ({error.strerror or error})") from None
    except tomllib.TOMLDecodeError as error:
        raise ProjectSettingError(f"{file}: not valid TOML ({error})") from None
    tool = document.get("tool")
    if not isinstance(tool, dict) or TABLE not in tool:
        return None
    table = tool[TABLE]
    where = f"{file}: [tool.{TABLE}]"
    if not isinstance(table, dict):
        raise ProjectSettingError(f'{where} must be a table, e.g. spec = "path/to/spec.yaml"')
    for key in table:
        if key not in KEYS:
            raise ProjectSettingError(
                f"{where}: unknown key {key!r}{did_you_mean(key, KEYS)} (keys: {', '.join(KEYS)})"
            )
    spec = table.get("spec")
    if spec is None:
        raise ProjectSettingError(f'{where}: spec is missing; add spec = "path/to/spec.yaml"')
    if not isinstance(spec, str) or not spec.strip():
        raise ProjectSettingError(
            f"{where}: spec = {spec!r} is not allowed; it is the spec file's path, a non-empty string "
            f"relative to {file.name}"
        )
    return ProjectSetting(file=file, spec=file.parent / spec)
