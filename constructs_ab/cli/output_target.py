"""Which directories synth may replace: a new or empty directory, or an output synth wrote before.

Synth marks its output with `.constructs-ab-synth.json` (`MARKER_FILE`, naming the tool and the
format) beside cdktf's `manifest.json` and `stacks/`. `check_target` accepts a path only if it does not
exist, is an empty directory, holds the marker plus `manifest.json` and `stacks/`, or is an output from
before the marker existed: exactly `manifest.json` (a cdktf manifest) and `stacks/` at its top level,
nothing else. Everything else is refused with `OutputRefused` and its reason, before anything is
written: the file system root, the home directory, the root of the repository the current directory is
in and any directory containing it, a file, a directory holding anything else, and a symbolic link
to any of those.

Inside `stacks/<stack>/`, synth writes only `SYNTH_STACK_ENTRIES`; everything else there (Terraform's
`.terraform/`, `.terraform.lock.hcl`, state and plan files) is not synth's, and the output directory code
carries it over into each new output.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

MARKER_FILE = ".constructs-ab-synth.json"
MARKER_TOOL = "constructs_ab synth"
MARKER_FORMAT = 1
MANIFEST_FILE = "manifest.json"
STACKS_DIRECTORY = "stacks"

#: What synth itself writes at the top level of an output.
SYNTH_TOP_LEVEL_ENTRIES = frozenset({MARKER_FILE, MANIFEST_FILE, STACKS_DIRECTORY})
#: What synth (cdktf) writes into `stacks/<stack>/`: the JSON configuration, cdktf's HCL output and its
#: metadata, and assets. A previous output's copies of these are replaced, never carried over.
SYNTH_STACK_ENTRIES = frozenset({"cdk.tf.json", "cdk.tf", "metadata.json", "assets"})

_ADVICE = "choose a new or empty directory, or a previous synth output"


class OutputRefused(Exception):
    """`path` (as the user gave it) may not be replaced by a synth output, for `reason`."""

    def __init__(self, path: Path, reason: str) -> None:
        super().__init__(f"refusing to write to {path}: {reason}; {_ADVICE}")
        self.path = path
        self.reason = reason


def marker_text(stacks: dict[str, dict[str, str]] | None = None) -> str:
    """The content of `MARKER_FILE`; `stacks`: what synth records of each stack it wrote, for the next
    synth to reuse unchanged stacks (see `synth_reuse`)."""
    note = "written by synth; this directory is replaced by the next synth into it"
    marker: dict[str, object] = {"tool": MARKER_TOOL, "format": MARKER_FORMAT, "note": note}
    if stacks:
        marker["stacks"] = stacks
    return json.dumps(marker, indent=2) + "\n"


def check_target(path: Path) -> Path:
    """The directory `path` resolves to (symbolic links followed), if synth may replace it; else
    `OutputRefused`. Reads only, writes nothing."""
    directory = Path(os.path.realpath(path))
    reason = _refusal(directory)
    if reason is not None:
        if directory != Path(os.path.abspath(path)):
            reason = f"{reason} (it resolves to {directory})"
        raise OutputRefused(path, reason)
    return directory


def foreign_stack_entries(stack: Path) -> list[str]:
    """Names in the stack directory `stack` that synth did not write, sorted."""
    return sorted(entry.name for entry in stack.iterdir() if entry.name not in SYNTH_STACK_ENTRIES)


def holds_only_synth_output(directory: Path) -> bool:
    """True if everything in `directory` is what synth writes (a staging directory, or what is left of a
    previous output once Terraform's files were carried over): it may be deleted."""
    for entry in directory.iterdir():
        if entry.name not in SYNTH_TOP_LEVEL_ENTRIES:
            return False
    stacks = directory / STACKS_DIRECTORY
    if stacks.is_symlink() or (stacks.exists() and not stacks.is_dir()):
        return False
    if stacks.is_dir():
        for stack in stacks.iterdir():
            if stack.is_symlink() or not stack.is_dir() or foreign_stack_entries(stack):
                return False
    return True


def repository_root(start: Path) -> Path | None:
    """The nearest directory at or above `start` holding `.git` (a directory, or a worktree's file)."""
    for directory in (start, *start.parents):
        if (directory / ".git").exists():
            return directory
    return None


def _refusal(directory: Path) -> str | None:
    if directory == Path(directory.anchor):
        return "it is the root of the file system"
    home = Path(os.path.realpath(Path.home()))
    if directory == home:
        return "it is your home directory"
    repository = repository_root(Path(os.path.realpath(Path.cwd())))
    if repository is not None and repository == directory:
        return "it is the root of the repository you are in"
    if repository is not None and repository.is_relative_to(directory):
        return f"it contains the repository you are in ({repository})"
    if home.is_relative_to(directory):
        return f"it contains your home directory ({home})"
    if not directory.exists():
        return None
    if not directory.is_dir():
        return "it is a file, not a directory"
    try:
        names = sorted(os.listdir(directory))
    except OSError as error:
        return f"cannot read it ({error.strerror or error})"
    if not names:
        return None
    if MARKER_FILE in names:
        return _refusal_of_marked(directory)
    if set(names) == {MANIFEST_FILE, STACKS_DIRECTORY} and _is_cdktf_output(directory):
        return None
    shown = ", ".join(names[:3]) + (f" and {len(names) - 3} more" if len(names) > 3 else "")
    return f"it holds files synth did not write ({shown})"


def _refusal_of_marked(directory: Path) -> str | None:
    try:
        marker = json.loads((directory / MARKER_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        marker = None
    if not isinstance(marker, dict) or marker.get("tool") != MARKER_TOOL:
        return f"its {MARKER_FILE} is not a synth marker"
    if not _is_cdktf_output(directory):
        return f"it has a synth marker but no valid {MANIFEST_FILE} and {STACKS_DIRECTORY}/ directory"
    return None


def _is_cdktf_output(directory: Path) -> bool:
    """`manifest.json` is a cdktf manifest (an object with a `stacks` object), `stacks/` a directory."""
    stacks = directory / STACKS_DIRECTORY
    if stacks.is_symlink() or not stacks.is_dir():
        return False
    try:
        manifest = json.loads((directory / MANIFEST_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return isinstance(manifest, dict) and isinstance(manifest.get("stacks"), dict)
