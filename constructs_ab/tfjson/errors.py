"""The one error of reading Terraform files: a path or file the reader cannot use."""

from __future__ import annotations


class TerraformInputError(Exception):
    """A missing path, a file that is not valid JSON or not Terraform: the message is one line naming the
    path and the problem (the gate and the review print it as is and exit with 2)."""
