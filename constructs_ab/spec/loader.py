"""Loading a spec file: YAML to validated, frozen `Spec` objects, or a `SpecError` with every problem.

The file format is shown by `examples/ab-experiments.yaml`: `version: 1` and `environments`, a map from
environment name to its settings, load balancers and experiments.

Two stages: the reader turns the YAML into model objects (types, unknown and missing keys, the rule of
each field, with lines), then the checks of `validation` run on those objects, as on a spec built in
Python. Errors of either stage make a `SpecError`; warnings do not (`load_spec_with_warnings`).
"""

from __future__ import annotations

import contextlib
import errno
import gc
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from constructs_ab.spec.context import ROOT, SourceMap
from constructs_ab.spec.environment import Environment, Spec
from constructs_ab.spec.environment_reader import read_environment
from constructs_ab.spec.errors import Problem, SpecError
from constructs_ab.spec.names import named_nodes
from constructs_ab.spec.reader import Fields, Node, Problems
from constructs_ab.spec.rules import keys_of
from constructs_ab.spec.validation import ENVIRONMENTS_ALLOWED, check_spec
from constructs_ab.spec.values import show
from constructs_ab.spec.yaml_source import read_yaml

#: The spec format version this loader reads.
SPEC_VERSION = 1
#: The largest spec file read, bytes (5 MiB). A large real spec (a few environments, each with its load
#: balancers full of experiments at the default quota of 100 rules) is well under 1 MB; a 5 MB spec loads
#: in a few seconds (see docs/spec-reference.md). A larger file is refused before it is parsed.
MAX_SPEC_BYTES = 5 * 1024 * 1024


class SpecTooLargeError(OSError):
    """A spec file larger than `MAX_SPEC_BYTES`: refused before it is read whole (`strerror` says why)."""

    def __init__(self, size: int | None) -> None:
        super().__init__(errno.EFBIG, too_large(size))


def too_large(size: int | None) -> str:
    """Why a spec of `size` bytes (None: more than the limit, size unknown) is refused."""
    shown = f"{size:,} bytes" if size is not None else f"more than {MAX_SPEC_BYTES:,} bytes"
    return (
        f"the file is {shown}; a spec is at most {MAX_SPEC_BYTES:,} bytes (5 MiB): split the "
        "environments into several spec files"
    )


def read_spec_bytes(path: str | Path) -> bytes:
    """The bytes of the spec file at `path`, read only when it is at most `MAX_SPEC_BYTES`.

    The size is checked before reading (stat), and the read stops one byte past the limit, so a file
    that grows meanwhile, or a device or pipe without a size, is refused too. Raises OSError (a
    `SpecTooLargeError` for a file too large).
    """
    with open(path, "rb") as stream:
        size = os.fstat(stream.fileno()).st_size
        if size > MAX_SPEC_BYTES:
            raise SpecTooLargeError(size)
        data = stream.read(MAX_SPEC_BYTES + 1)
    if len(data) > MAX_SPEC_BYTES:
        raise SpecTooLargeError(None)
    return data


@dataclass(frozen=True, kw_only=True)
class LoadedSpec:
    """A valid spec and its warnings.

    source: the file name the warnings refer to.
    warnings: problems that do not stop the spec from being used, in the order found.
    """

    spec: Spec
    warnings: tuple[Problem, ...] = ()
    source: str = "<spec>"

    def render_warnings(self) -> str:
        """One line per warning: `<source>:<line>: warning: <path>: <message>` ("" without warnings)."""
        return "\n".join(warning.render(self.source) for warning in self.warnings)


def load_spec(path: str | Path) -> Spec:
    """The validated spec in the file at `path`.

    Raises OSError when the file cannot be read or is larger than `MAX_SPEC_BYTES` (or is not UTF-8 text, as UnicodeDecodeError, a ValueError
    turned into a SpecError here), and SpecError with every problem when the spec is invalid.
    """
    return load_spec_with_warnings(path).spec


def load_spec_with_warnings(path: str | Path) -> LoadedSpec:
    """As `load_spec`, with the spec's warnings."""
    raw = read_spec_bytes(path)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        message = f"the file is not UTF-8 text ({error.reason} at byte {error.start}); save it as UTF-8"
        raise SpecError([Problem(path="", message=message)], source=str(path)) from None
    return parse_spec_with_warnings(text, source=str(path))


def parse_spec(text: str, source: str = "<spec>") -> Spec:
    """The validated spec in `text`; `source` names it in problem lines (a file name). Raises SpecError."""
    return parse_spec_with_warnings(text, source).spec


def parse_spec_with_warnings(text: str, source: str = "<spec>") -> LoadedSpec:
    """As `parse_spec`, with the spec's warnings."""
    if len(text) > MAX_SPEC_BYTES:
        raise SpecError([Problem(path="", message=too_large(len(text)))], source=source)
    with _collector_paused():
        return _parse(text, source)


@contextlib.contextmanager
def _collector_paused() -> Iterator[None]:
    """Python's cyclic garbage collector off while a spec is read: the values built hold no cycles, and
    its passes over the growing tree of values made loading several times slower, and superlinear."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _parse(text: str, source: str) -> LoadedSpec:
    data, problems_found = read_yaml(text)
    problems = Problems(list(problems_found))
    if data is None and problems.items:
        raise SpecError(problems.items, source=source)
    map_of_lines = SourceMap()
    spec = read_spec(data, problems, map_of_lines)
    if spec is None:
        raise SpecError(problems.items, source=source)
    map_of_lines.problems = problems.items
    checked = check_spec(spec, map_of_lines)
    errors = [*problems.items, *(p for p in checked if p.is_error)]
    if errors:
        raise SpecError(errors, source=source)
    return LoadedSpec(spec=spec, warnings=tuple(p for p in checked if not p.is_error), source=source)


def _given(value: Any) -> str:
    return f"{show(value)} is given"


def read_spec(data: Any, problems: Problems, source: SourceMap) -> Spec | None:
    """The spec in an already parsed YAML tree, as read (before the checks of `validation`); every
    problem is added to `problems`, and where things are to `source`."""
    root = Node(data, ROOT, 1, source.lines)
    if data is None:
        problems.add(root, "the spec is empty; a spec is a map with version: 1 and environments")
        return None
    fields = Fields(
        root,
        problems,
        what="a spec",
        keys=("version", *keys_of(Spec)),
        required={
            "version": f"write version: {SPEC_VERSION} at the top of the spec",
            "environments": ENVIRONMENTS_ALLOWED,
        },
    )
    if not fields.valid:
        return None
    version = fields.get("version")
    if version is not None and (version.value != SPEC_VERSION or isinstance(version.value, bool)):
        problems.add(
            version,
            f"{show(version.value)} is not a supported version; this tool reads version: {SPEC_VERSION}",
        )
    environments: list[Environment] = []
    envs_node = fields.get("environments")
    entries = []
    if envs_node is not None:
        entries = named_nodes(envs_node, problems, "environment", ENVIRONMENTS_ALLOWED, _given)
    for name, node in entries:
        environment = read_environment(node, name, problems, source)
        if environment is not None:
            environments.append(environment)
    return Spec(environments=tuple(environments))
