"""The Terraform CLI configuration our child `terraform` processes read (`TF_CLI_CONFIG_FILE`).

It is written into our own temporary folder and named only in the children's environment: the user's
configuration file is read (to find a mirror), never written, and our shell's environment is untouched.
hashicorp/aws comes from the provider mirror only (`direct` excludes it), so `terraform init` never
reaches the network for it. No `plugin_cache_dir`: see `unpacked_mirror` for why none is needed.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from pathlib import Path

from constructs_ab.terraform.provider_mirror import PROVIDER_ADDRESS, ProviderMirror

#: Environment variable naming our cache folder (where a packed mirror is unpacked once).
CACHE_ENV_VAR = "AB_TERRAFORM_CACHE"
CLI_CONFIG_NAME = "terraform-cli.tfrc"


def default_cache_dir(env: Mapping[str, str] | None = None) -> Path:
    """`$AB_TERRAFORM_CACHE`, else `$XDG_CACHE_HOME/constructs-ab/terraform` (`~/.cache/...`)."""
    env = os.environ if env is None else env
    if env.get(CACHE_ENV_VAR):
        return Path(env[CACHE_ENV_VAR]).expanduser()
    cache_home = Path(env.get("XDG_CACHE_HOME") or Path(env.get("HOME", "~")).expanduser() / ".cache")
    return cache_home / "constructs-ab" / "terraform"


def render_cli_config(mirror: ProviderMirror) -> str:
    """The CLI configuration text (HCL); paths are JSON-quoted, which HCL reads the same."""
    provider = json.dumps(PROVIDER_ADDRESS)
    return "\n".join(
        [
            "# Written by constructs_ab for its own terraform processes; not the user's configuration.",
            "provider_installation {",
            "  filesystem_mirror {",
            f"    path    = {json.dumps(str(mirror.path))}",
            f"    include = [{provider}]",
            "  }",
            "  direct {",
            f"    exclude = [{provider}]",
            "  }",
            "}",
            "",
        ]
    )


def write_cli_config(folder: Path, mirror: ProviderMirror) -> Path:
    """Write the CLI configuration into `folder` (ours); the file's path."""
    path = folder / CLI_CONFIG_NAME
    path.write_text(render_cli_config(mirror), encoding="utf-8")
    return path
