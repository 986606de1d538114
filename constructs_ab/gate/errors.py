"""The one error type of the gate: bad usage or input, reported as one line with exit code 2."""

from __future__ import annotations


class GateInputError(Exception):
    """A problem with the command line or an input file; the message is the whole line shown to the user."""
