"""Synthesize only the stacks whose inputs changed; take the others from the previous output.

A stack's synthesized JSON is a function of its part of the spec (today: its environment), of the code
that builds it (every file of the `constructs_ab` package) and of the versions of cdktf, its AWS provider
bindings, constructs, jsii and Python. Synth records each stack's key, a SHA-256 of those inputs, and the
SHA-256 of the `cdk.tf.json` it wrote, in the output's marker (`.constructs-ab-synth.json`). The next synth
into the same output reuses a stack when its key is the same and its `cdk.tf.json` still holds what was
written: it copies that file into the new output instead of building the stack in cdktf. The stacks that
changed (and stacks the previous output lacks) are built; `manifest.json` lists them all, written as
cdktf writes it. `--full` (or `AB_SYNTH_REUSE=0`) builds every stack.

A stack may be reused only if its JSON depends on nothing but its own inputs: stacks that reference each
other (cdktf cross-stack references add outputs to the referenced stack) belong to one unit, built together
(`synth_units`). Tests synthesize each change of a set of spec changes both ways and compare the outputs
byte for byte.
"""

from __future__ import annotations

import dataclasses
import enum
import hashlib
import json
import os
import shutil
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Any

from constructs_ab.cli.output_target import MANIFEST_FILE, MARKER_FILE, STACKS_DIRECTORY
from constructs_ab.spec.model import Spec

REUSE_FORMAT = 1
REUSE_ENVIRONMENT = "AB_SYNTH_REUSE"
STACK_FILE = "cdk.tf.json"
PACKAGE_ROOT = Path(__file__).resolve().parents[1]
#: Distributions whose version is part of every key.
DISTRIBUTIONS = ("cdktf", "cdktf-cdktf-provider-aws", "constructs", "jsii")
#: Environment variables of cdktf's that could change what a stack is (the output folder does not).
_CDKTF_IGNORED = frozenset({"CDKTF_OUTDIR"})


@dataclass(frozen=True, kw_only=True)
class SynthUnit:
    """Stacks built together, and what they are built from (any value `canonical` accepts)."""

    stacks: tuple[str, ...]
    inputs: Any


def synth_units(spec: Spec) -> tuple[SynthUnit, ...]:
    """The app's stacks (`constructs_ab.app.build_app`) grouped into units, each with its inputs: one stack
    per environment, built from that environment alone."""
    return tuple(
        SynthUnit(stacks=(environment.name,), inputs=environment) for environment in spec.environments
    )


def spec_of_units(spec: Spec, units: tuple[SynthUnit, ...]) -> Spec:
    """The part of `spec` that builds exactly the stacks of `units`."""
    names = {name for unit in units for name in unit.stacks}
    return dataclasses.replace(spec, environments=tuple(e for e in spec.environments if e.name in names))


def canonical(value: Any) -> Any:
    """`value` as JSON-able data that is equal for equal values (dataclasses by class and fields, enums by
    class and value, mappings by sorted key); TypeError for anything else, so that a new kind of value in
    the spec model is added here rather than hashed loosely."""
    if value is None or isinstance(value, (bool, int, str)):
        return value
    if isinstance(value, float):
        return ["float", repr(value)]
    if isinstance(value, enum.Enum):
        return [type(value).__qualname__, canonical(value.value)]
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        fields = {field.name: canonical(getattr(value, field.name)) for field in dataclasses.fields(value)}
        return [type(value).__qualname__, fields]
    if isinstance(value, (tuple, list)):
        return [canonical(item) for item in value]
    if isinstance(value, Mapping):
        return ["mapping", sorted((json.dumps(canonical(k)), canonical(v)) for k, v in value.items())]
    if isinstance(value, (set, frozenset)):
        return ["set", sorted(json.dumps(canonical(item)) for item in value)]
    raise TypeError(f"cannot key a synth on a {type(value).__name__}")


def code_digest() -> str:
    """SHA-256 of everything that decides what a stack is besides its inputs: the package's files and
    the versions of Python and the cdktf libraries, and cdktf's settings from the environment."""
    hasher = hashlib.sha256(f"format {REUSE_FORMAT}\0python {sys.version}\0".encode())
    for name in DISTRIBUTIONS:
        try:
            version = metadata.version(name)
        except metadata.PackageNotFoundError:
            version = "-"
        hasher.update(f"{name} {version}\0".encode())
    for name in sorted(os.environ):
        if name.startswith("CDKTF_") and name not in _CDKTF_IGNORED:
            hasher.update(f"{name}={os.environ[name]}\0".encode("utf-8", "surrogateescape"))
    for directory, subdirectories, files in os.walk(PACKAGE_ROOT):
        subdirectories[:] = sorted(d for d in subdirectories if d != "__pycache__" and not d.startswith("."))
        for name in sorted(files):
            if name.endswith((".pyc", ".pyo")):
                continue
            path = Path(directory) / name
            hasher.update(path.relative_to(PACKAGE_ROOT).as_posix().encode() + b"\0")
            hasher.update(hashlib.sha256(path.read_bytes()).digest())
    return hasher.hexdigest()


def unit_keys(units: tuple[SynthUnit, ...], code: str) -> dict[str, str]:
    """The key of every stack: its unit's inputs and the code digest."""
    keys = {}
    for unit in units:
        text = json.dumps([code, list(unit.stacks), canonical(unit.inputs)], separators=(",", ":"))
        key = hashlib.sha256(text.encode()).hexdigest()
        keys.update({name: key for name in unit.stacks})
    return keys


def reusable_units(
    previous: Path, units: tuple[SynthUnit, ...], keys: Mapping[str, str]
) -> tuple[SynthUnit, ...]:
    """The units whose every stack the previous output `previous` holds with the same key, unchanged since."""
    recorded = _recorded(previous)
    return tuple(
        unit
        for unit in units
        if all(_still_there(previous, name, keys[name], recorded.get(name)) for name in unit.stacks)
    )


def _recorded(output: Path) -> dict[str, Any]:
    try:
        marker = json.loads((output / MARKER_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    stacks = marker.get("stacks") if isinstance(marker, dict) else None
    return stacks if isinstance(stacks, dict) else {}


def _still_there(output: Path, name: str, key: str, record: Any) -> bool:
    if not isinstance(record, dict) or record.get("key") != key:
        return False
    try:
        return _digest(output / STACKS_DIRECTORY / name / STACK_FILE) == record.get("sha256")
    except OSError:
        return False


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def copy_reused(previous: Path, new: Path, units: tuple[SynthUnit, ...]) -> None:
    """Copy the reused stacks' `cdk.tf.json` from the previous output into the new one, and list them in
    the new `manifest.json` with their previous entries (written as cdktf writes it)."""
    names = [name for unit in units for name in unit.stacks]
    if not names:
        return
    for name in names:
        folder = new / STACKS_DIRECTORY / name
        folder.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(previous / STACKS_DIRECTORY / name / STACK_FILE, folder / STACK_FILE)
    old_manifest = json.loads((previous / MANIFEST_FILE).read_text(encoding="utf-8"))
    manifest_path = new / MANIFEST_FILE
    if manifest_path.exists():
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    else:
        manifest = {"stacks": {}, "version": old_manifest.get("version")}
    for name in names:
        manifest["stacks"][name] = old_manifest["stacks"][name]
    manifest_path.write_text(stable_stringify(manifest), encoding="utf-8")


def stack_records(output: Path, keys: Mapping[str, str]) -> dict[str, dict[str, str]]:
    """What the marker records of every stack written into `output`: its key and its file's SHA-256."""
    return {
        name: {"key": key, "sha256": _digest(output / STACKS_DIRECTORY / name / STACK_FILE)}
        for name, key in sorted(keys.items())
    }


def stable_stringify(value: Any, level: int = 0) -> str:
    """JSON as cdktf writes its manifest (the `json-stable-stringify` package with `space: 2`): keys sorted,
    every member and item on a line of its own, empty containers open and closed on two lines."""
    inner, outer = "\n" + "  " * (level + 1), "\n" + "  " * level
    if isinstance(value, dict):
        members = [
            f"{inner}{json.dumps(key, ensure_ascii=False)}: {stable_stringify(value[key], level + 1)}"
            for key in sorted(value)
        ]
        return "{" + ",".join(members) + outer + "}"
    if isinstance(value, list):
        return "[" + ",".join(f"{inner}{stable_stringify(item, level + 1)}" for item in value) + outer + "]"
    return json.dumps(value, ensure_ascii=False)


def reuse_enabled(full: bool) -> bool:
    """Whether to reuse stacks: not with `--full`, nor with `AB_SYNTH_REUSE=0`."""
    return not full and os.environ.get(REUSE_ENVIRONMENT, "1") != "0"
