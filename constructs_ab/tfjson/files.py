"""Reading one Terraform JSON file: valid JSON, and a Terraform configuration (not cdktf's manifest.json).

See https://developer.hashicorp.com/terraform/language/syntax/json for the syntax.
"""

from __future__ import annotations

import json
from pathlib import Path

from constructs_ab.tfjson.errors import TerraformInputError

# Top-level keys of the Terraform JSON syntax; a JSON object with none of them is not Terraform.
TERRAFORM_TOP_LEVEL_KEYS = frozenset(
    {
        "resource",
        "data",
        "provider",
        "terraform",
        "module",
        "variable",
        "output",
        "locals",
        "check",
        "import",
        "moved",
        "removed",
    }
)
NOT_TERRAFORM = (
    "not a Terraform JSON configuration (expected an object with one of: "
    "resource, data, provider, terraform, module, variable, output, locals)"
)


def read_text(path: Path) -> str:
    """The text of `path` (UTF-8, a byte order mark allowed); TerraformInputError when it cannot be read."""
    try:
        return path.read_text(encoding="utf-8-sig")
    except OSError as error:
        raise TerraformInputError(f"{path}: cannot read the file ({error.strerror or error})") from None
    except UnicodeDecodeError:
        raise TerraformInputError(f"{path}: not a text file (it is not UTF-8)") from None


def parse_json(path: Path, text: str) -> object:
    """The parsed JSON `text` of `path`; TerraformInputError with the line and column when it is invalid."""
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        raise TerraformInputError(
            f"{path}: invalid JSON at line {error.lineno}, column {error.colno}: {error.msg}"
        ) from None


def read_json(path: Path) -> object:
    """The parsed JSON of `path` (any JSON value); TerraformInputError when unreadable or invalid."""
    return parse_json(path, read_text(path))


def is_terraform_document(document: object) -> bool:
    """Whether a parsed JSON value is a Terraform JSON configuration (an object with a Terraform block type)."""
    return isinstance(document, dict) and any(key in TERRAFORM_TOP_LEVEL_KEYS for key in document)
