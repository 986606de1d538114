"""Checkov configuration files (`.checkov.yaml`) as the gate reads them, and which one applies where.

The file is Checkov's own config file format (`checkov --config-file .checkov.yaml` reads it too). The gate
honours `skip-check` (a list of check ids) and reads the reason of each skip from the comment on its line
or the comment lines above it:

    skip-check:
      - CKV_AWS_150  # the example turns deletion protection on; ...

Every other key is Checkov's business when it runs alone; the gate ignores them (it always runs the
Terraform checks, offline, with `policies/`).

Which configuration applies to a stack (see `constructs_ab/gate/plan.py`): our synthesized stacks get
`OUR_STACKS_CONFIG`, shipped with the product; any other input gets `--config`, else the nearest
`.checkov.yaml`/`.checkov.yml` of the path named on the command line (`find_project_config`), else none.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from constructs_ab.gate.errors import GateInputError

#: The skips written for this product's synthesized stacks, each with its reason; the repository's
#: `.checkov.yaml` (for plain `checkov -d cdktf.out` runs) has the same skips (a test compares them).
OUR_STACKS_CONFIG = Path(__file__).with_name("our_stacks.checkov.yaml")
#: The names Checkov looks for in a directory, in its order.
CONFIG_FILE_NAMES = (".checkov.yaml", ".checkov.yml")
_CHECK_ID = re.compile(r"^CKV2?_[A-Z0-9]+_\d+$")


@dataclass(frozen=True, kw_only=True)
class GateConfig:
    """What the gate takes from the Checkov configuration file.

    source: the file read, or None when there is none (then nothing is skipped).
    skipped: the skipped check ids in file order, each with the reason written beside it ("" when none).
    """

    source: Path | None = None
    skipped: Mapping[str, str] = field(default_factory=dict)


def load_config(path: Path | None, *, required: bool) -> GateConfig:
    """Read `path` (a `.checkov.yaml`); GateConfig() when it is absent and not `required`.

    Raises GateInputError when a required file is missing or the file is not a YAML mapping with a list
    `skip-check` of check ids.
    """
    if path is None or not path.exists():
        if required:
            raise GateInputError(f"{path}: Checkov configuration file not found")
        return GateConfig()
    from ruamel.yaml import YAML
    from ruamel.yaml.error import YAMLError

    try:
        text = path.read_text(encoding="utf-8")
        document = YAML(typ="safe").load(text)
    except (OSError, YAMLError) as error:
        first_line = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
        raise GateInputError(f"{path}: not a valid Checkov configuration file ({first_line})") from None
    if document is None:
        return GateConfig(source=path)
    if not isinstance(document, dict):
        raise GateInputError(f"{path}: a Checkov configuration file is a YAML mapping of option names")
    entries = document.get("skip-check") or []
    if isinstance(entries, str):
        entries = [entry.strip() for entry in entries.split(",") if entry.strip()]
    if not isinstance(entries, list):
        raise GateInputError(f"{path}: skip-check must be a list of check ids, got {type(entries).__name__}")
    reasons = _reasons(text)
    skipped = {}
    for index, entry in enumerate(entries):
        check_id = str(entry).strip()
        if not _CHECK_ID.match(check_id):
            raise GateInputError(
                f"{path}: skip-check[{index}]: {check_id!r} is not a check id (like CKV_AWS_150 or CKV2_AWS_28)"
            )
        skipped[check_id] = reasons.get(check_id, "")
    return GateConfig(source=path, skipped=skipped)


def _reasons(text: str) -> dict[str, str]:
    """Reason per skipped id, read from the file's text: the comment at the end of the id's line, else the
    full-line comments directly above it (joined)."""
    reasons: dict[str, str] = {}
    above: list[str] = []
    for line in text.splitlines():
        stripped = line.strip()
        item = re.match(r"^-\s*['\"]?(CKV2?_[A-Z0-9]+_\d+)['\"]?\s*(?:#\s*(.*))?$", stripped)
        if stripped.startswith("#"):
            above.append(stripped.lstrip("#").strip())
        elif item:
            reasons[item.group(1)] = (item.group(2) or "").strip() or " ".join(part for part in above if part)
            above = []
        else:
            above = []
    return reasons


def find_project_config(path: Path) -> Path | None:
    """The nearest Checkov configuration file of `path`: in the directory itself (a file's own folder), then
    in each parent up to the enclosing git repository's root (the folder holding `.git`) or the file system
    root; None when there is none."""
    directory = path.resolve()
    if not directory.is_dir():
        directory = directory.parent
    for folder in (directory, *directory.parents):
        for name in CONFIG_FILE_NAMES:
            candidate = folder / name
            if candidate.is_file():
                return candidate
        if (folder / ".git").exists():
            return None
    return None
