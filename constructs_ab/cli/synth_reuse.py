"""Synthesize only the stacks whose inputs changed; take the others from the previous output.

A stack is a function of the part of the spec it is built from (`constructs_ab.spec.stack_inputs`: the whole
environment with `stacks: one`; with `per_load_balancer`, the environment's settings and alarm e-mails
for the environment stack, the settings, one load balancer and its experiments for a load balancer
stack) and of the code that builds it (every file of the `constructs_ab` package, the versions of cdktf,
its AWS provider bindings, constructs, jsii and Python, cdktf's settings from the environment): stacks
never reference each other, so each is a unit that can be built alone (`build_app(..., only=...)`).
Synth builds each unit in an App of its own, and records for each stack, in the output's marker
(`.constructs-ab-synth.json`), its unit, the unit's key (a SHA-256 of those inputs) and the SHA-256 of the
`cdk.tf.json` it wrote. The next synth into the same output reuses a unit when it recorded its stack under
the same key and its `cdk.tf.json` still holds what was written: it copies that file (and the stack's
`assets` folder, whose content the key determines) into the new output instead of building it; a weight
changed in a `per_load_balancer` environment rebuilds the one stack of that experiment's load balancer.
`manifest.json` lists every stack, written as cdktf writes it. `--full` (or `AB_SYNTH_REUSE=0`) builds
every unit.

Tests synthesize each change of a set of spec changes with reuse and compare the output byte for byte
with one App building the whole spec.
"""

from __future__ import annotations

import dataclasses
import enum
import hashlib
import json
import os
import shutil
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Any

from constructs_ab.cli.output_target import MANIFEST_FILE, MARKER_FILE, STACKS_DIRECTORY
from constructs_ab.spec.model import Environment, Spec
from constructs_ab.spec.stack_inputs import alarm_emails, load_balancer_part, settings_part
from constructs_ab.stack_layout import StackLayout, StackPlan

REUSE_FORMAT = 3
REUSE_ENVIRONMENT = "AB_SYNTH_REUSE"
STACK_FILE = "cdk.tf.json"
#: cdktf's folder of a stack's assets (files a stack refers to by relative path), copied with a reused stack.
ASSETS_DIRECTORY = "assets"
PACKAGE_ROOT = Path(__file__).resolve().parents[1]
#: Distributions whose version is part of every key.
DISTRIBUTIONS = ("cdktf", "cdktf-cdktf-provider-aws", "constructs", "jsii")
#: Environment variables of cdktf's that could change what a stack is (the output folder does not).
_CDKTF_IGNORED = frozenset({"CDKTF_OUTDIR"})


@dataclass(frozen=True, kw_only=True)
class SynthUnit:
    """One stack (`name`) of environment `environment`, built by an App of its own from `inputs` (any value
    `canonical` accepts: the part of the environment the stack is built from, `spec.stack_inputs`)."""

    name: str
    environment: str
    inputs: Any
    key: str


def synth_units(spec: Spec, code: str) -> tuple[SynthUnit, ...]:
    """One unit per stack of `spec` (`Environment.stacks_in_order`), keyed by what the stack is built from and
    `code` (see `code_digest`): with `stacks: one` the whole environment; with `per_load_balancer` the
    environment stack by the environment's settings and alarm e-mails, a load balancer stack by the
    environment's settings, the load balancer and the experiments on it."""
    units = []
    for environment in spec.environments:
        for plan in environment.stacks_in_order:
            inputs = _inputs(environment, plan)
            text = json.dumps([code, plan.name, canonical(inputs)], separators=(",", ":"))
            units.append(
                SynthUnit(
                    name=plan.name,
                    environment=environment.name,
                    inputs=inputs,
                    key=hashlib.sha256(text.encode()).hexdigest(),
                )
            )
    return tuple(units)


def _inputs(environment: Environment, plan: StackPlan) -> Any:
    if environment.stacks is not StackLayout.PER_LOAD_BALANCER:
        return environment
    if plan.load_balancer is None:
        return [settings_part(environment), list(alarm_emails(environment))]
    return load_balancer_part(environment, plan.load_balancer)


def spec_of_unit(spec: Spec, unit: SynthUnit) -> Spec:
    """The part of `spec` that builds the stack of `unit` (with `build_app(..., only=[unit.name])`)."""
    return dataclasses.replace(
        spec, environments=tuple(e for e in spec.environments if e.name == unit.environment)
    )


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
    """SHA-256 of everything that decides what a stack is besides its environment: the package's files,
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


@dataclass(frozen=True, kw_only=True)
class StackRecord:
    """What the marker records of one stack: its unit, the unit's key, its file's SHA-256."""

    unit: str
    key: str
    sha256: str


def previous_records(output: Path) -> dict[str, StackRecord]:
    """The stack records of the marker of `output`; {} when there is none or it is not ours."""
    try:
        marker = json.loads((output / MARKER_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    stacks = marker.get("stacks") if isinstance(marker, dict) else None
    records = {}
    for name, record in (stacks if isinstance(stacks, dict) else {}).items():
        if isinstance(record, dict) and all(
            isinstance(record.get(field), str) for field in ("unit", "key", "sha256")
        ):
            records[name] = StackRecord(unit=record["unit"], key=record["key"], sha256=record["sha256"])
    return records


def reusable_stacks(previous: Path, unit: SynthUnit, records: Mapping[str, StackRecord]) -> list[str] | None:
    """The stacks of `unit` to copy from the previous output, or None when the unit must be built."""
    stacks = sorted(name for name, record in records.items() if record.unit == unit.name)
    if not stacks:
        return None
    for name in stacks:
        record = records[name]
        try:
            intact = _digest(previous / STACKS_DIRECTORY / name / STACK_FILE) == record.sha256
        except OSError:
            intact = False
        if record.key != unit.key or not intact:
            return None
    return stacks


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def synthesize_units(
    spec: Spec,
    units: tuple[SynthUnit, ...],
    previous: Path,
    new: Path,
    *,
    reuse: bool,
    build: Callable[[Spec, Path, tuple[str, ...]], None],
) -> tuple[dict[str, dict[str, str]], list[str]]:
    """Write every unit's stacks into `new`: copied from `previous` when reusable (and `reuse`), else built
    with `build(spec_part, new, stacks)` (an App's synth of those stacks); then the manifest of them all. Returns the marker's stack
    records and the names of the units built."""
    records = previous_records(previous) if reuse else {}
    try:
        old_manifest = json.loads((previous / MANIFEST_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        old_manifest = {}
    manifest: dict[str, Any] = {"stacks": {}}
    written: dict[str, dict[str, str]] = {}
    built = []
    for unit in units:
        stacks = reusable_stacks(previous, unit, records) if reuse else None
        if stacks is not None and all(name in old_manifest.get("stacks", {}) for name in stacks):
            for name in stacks:
                folder = new / STACKS_DIRECTORY / name
                folder.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(previous / STACKS_DIRECTORY / name / STACK_FILE, folder / STACK_FILE)
                assets = previous / STACKS_DIRECTORY / name / ASSETS_DIRECTORY
                if assets.is_dir():  # files the stack refers to (the auto-rollback function's zip)
                    shutil.copytree(assets, folder / ASSETS_DIRECTORY)
                manifest["stacks"][name] = old_manifest["stacks"][name]
            manifest.setdefault("version", old_manifest.get("version"))
        else:
            build(spec_of_unit(spec, unit), new, (unit.name,))
            unit_manifest = json.loads((new / MANIFEST_FILE).read_text(encoding="utf-8"))
            stacks = sorted(unit_manifest["stacks"])
            manifest["stacks"].update(unit_manifest["stacks"])
            manifest["version"] = unit_manifest.get("version")
            built.append(unit.name)
        for name in stacks:
            written[name] = {
                "unit": unit.name,
                "key": unit.key,
                "sha256": _digest(new / STACKS_DIRECTORY / name / STACK_FILE),
            }
    if units:
        (new / MANIFEST_FILE).write_text(stable_stringify(manifest), encoding="utf-8")
    return dict(sorted(written.items())), built


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
