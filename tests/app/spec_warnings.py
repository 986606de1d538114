"""The spec's warnings in a command's stderr (`<file>:<line>: warning: <path>: <message>`; the example
spec has one), left out where a test compares the rest of stderr exactly."""

from __future__ import annotations

import re

_WARNING = re.compile(r"^\S+:\d+: warning: ")


def without_spec_warnings(stderr: str) -> str:
    return "".join(line for line in stderr.splitlines(keepends=True) if not _WARNING.match(line))
