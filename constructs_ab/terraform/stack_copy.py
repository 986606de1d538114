"""A working copy of a synthesized stack directory, with override files written into the copy only.

Terraform merges `*_override.tf.json` files over the configuration
(https://developer.hashicorp.com/terraform/language/files/override): the emulator's provider endpoints
and a local backend go there, so the synthesized `cdk.tf.json` and its directory are only ever read.
What a previous `terraform init` or apply left in the source (`.terraform/`, the lock file, state files)
is not copied.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Mapping
from pathlib import Path
from typing import Any

#: Names left out of a copy: Terraform's own working files in the source directory.
_NOT_COPIED = (".terraform", ".terraform.lock.hcl", "*.tfstate", "*.tfstate.backup", "*.tfplan")
OVERRIDE_SUFFIX = "_override.tf.json"


def copy_stack(
    source: Path, destination: Path, overrides: Mapping[str, Mapping[str, Any]] | None = None
) -> Path:
    """Copy the stack directory `source` to `destination` (which must not exist) and write each override.

    overrides: override file stem -> its JSON content; `{"emulator": {...}}` writes
        `emulator_override.tf.json`. Default: none.
    Returns `destination`.
    """
    if not (source / "cdk.tf.json").is_file():
        raise FileNotFoundError(f"{source} holds no cdk.tf.json (a synthesized stack directory)")
    shutil.copytree(source, destination, ignore=shutil.ignore_patterns(*_NOT_COPIED))
    for stem, content in (overrides or {}).items():
        write_override(destination, stem, content)
    return destination


def write_override(workdir: Path, stem: str, content: Mapping[str, Any]) -> Path:
    """Write (or replace) `<stem>_override.tf.json` in the working copy `workdir`."""
    path = workdir / f"{stem}{OVERRIDE_SUFFIX}"
    path.write_text(json.dumps(content, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    return path


def _configuration_paths(folder: Path) -> list[Path]:
    """The Terraform configuration of a stack directory or working copy: each `*.tf.json` file but the
    override files, sorted by name."""
    return [
        p
        for p in sorted(folder.iterdir())
        if p.is_file() and p.name.endswith(".tf.json") and not p.name.endswith(OVERRIDE_SUFFIX)
    ]


def configuration_files(folder: Path) -> dict[str, bytes]:
    """The content of each of `_configuration_paths(folder)`, by name."""
    return {p.name: p.read_bytes() for p in _configuration_paths(folder)}


def refresh_stack(source: Path, workdir: Path) -> None:
    """Replace the configuration in the working copy with a new synthesis of the same stack, keeping the
    working copy's state, `.terraform/`, lock file and override files (a change applied in place)."""
    if not (source / "cdk.tf.json").is_file():
        raise FileNotFoundError(f"{source} holds no cdk.tf.json (a synthesized stack directory)")
    for old in _configuration_paths(workdir):
        old.unlink()
    for new in _configuration_paths(source):
        shutil.copy2(new, workdir / new.name)
