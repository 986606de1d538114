"""The one error type of the gate: bad usage or input, reported as one line with exit code 2."""

from __future__ import annotations

from constructs_ab.tfjson.errors import TerraformInputError


class GateInputError(TerraformInputError):
    """A problem with the command line or an input file; the message is the whole line shown to the user.
    The Terraform reader's own errors (`TerraformInputError`) are reported the same way."""
