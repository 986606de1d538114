"""The experiment spec: load a YAML spec file into validated, frozen objects.

Pure Python (no cdktf, no jsii), so a spec is checked instantly, before any synthesis.

- `load_spec(path)` / `parse_spec(text, source)` return a `Spec` or raise `SpecError`; a file larger than
  `MAX_SPEC_BYTES` (5 MiB) is refused before it is parsed (`SpecTooLargeError`, an OSError);
  `load_spec_with_warnings` / `parse_spec_with_warnings` return a `LoadedSpec`: the spec and its warnings.
- `SpecError.problems` holds every error `Problem` (path, message, line); `str(SpecError)` prints one line
  per problem: `<source>:<line>: <path>: <value> is <what is wrong>; <what is allowed>`.
- `validate(spec)` checks a spec built in Python with the same rules and messages (no lines), errors and
  warnings (`Problem.severity`).
"""

from __future__ import annotations

from constructs_ab.spec import model
from constructs_ab.spec.errors import Problem, Severity, SpecError
from constructs_ab.spec.loader import (
    MAX_SPEC_BYTES,
    SPEC_VERSION,
    LoadedSpec,
    SpecTooLargeError,
    load_spec,
    load_spec_with_warnings,
    parse_spec,
    parse_spec_with_warnings,
    read_spec_bytes,
)
from constructs_ab.spec.model import *  # noqa: F403 (the model classes, listed once in model.__all__)
from constructs_ab.spec.validation import validate

__all__ = [
    "MAX_SPEC_BYTES",
    "SPEC_VERSION",
    "LoadedSpec",
    "Problem",
    "Severity",
    "SpecError",
    "SpecTooLargeError",
    "load_spec",
    "load_spec_with_warnings",
    "parse_spec",
    "parse_spec_with_warnings",
    "read_spec_bytes",
    "validate",
]
__all__ += model.__all__
