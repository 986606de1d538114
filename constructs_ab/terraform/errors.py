"""The one error of this package: something Terraform needs is missing."""

from __future__ import annotations


class TerraformUnavailable(Exception):
    """Terraform or the provider mirror is missing or unusable.

    The message is one line: what is missing and how to provide it.
    """
