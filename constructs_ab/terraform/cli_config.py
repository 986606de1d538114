"""The Terraform CLI configuration our child `terraform` processes read (`TF_CLI_CONFIG_FILE`).

It is written into our own temporary folder and named only in the children's environment: the user's
configuration file is read (to find a mirror), never written, and our shell's environment is untouched.

- hashicorp/aws comes from the provider mirror only (`direct` excludes it), so `terraform init` never
  reaches the network for it;
- `plugin_cache_dir` is shared by every stack and every run, so a packed (`.zip`) mirror is unpacked once,
  not once per stack (with an unpacked mirror Terraform links to the mirror either way).
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from pathlib import Path

from constructs_ab.terraform.provider_mirror import PROVIDER_ADDRESS, ProviderMirror

#: Environment variable naming the shared plugin cache folder.
PLUGIN_CACHE_ENV_VAR = "AB_TERRAFORM_PLUGIN_CACHE"
CLI_CONFIG_NAME = "terraform-cli.tfrc"


def default_plugin_cache_dir(env: Mapping[str, str] | None = None) -> Path:
    """`$AB_TERRAFORM_PLUGIN_CACHE`, else `$XDG_CACHE_HOME/constructs-ab/terraform-plugins` (`~/.cache/...`)."""
    env = os.environ if env is None else env
    if env.get(PLUGIN_CACHE_ENV_VAR):
        return Path(env[PLUGIN_CACHE_ENV_VAR]).expanduser()
    cache_home = Path(env.get("XDG_CACHE_HOME") or Path(env.get("HOME", "~")).expanduser() / ".cache")
    return cache_home / "constructs-ab" / "terraform-plugins"


def render_cli_config(mirror: ProviderMirror, plugin_cache_dir: Path) -> str:
    """The CLI configuration text (HCL); paths are JSON-quoted, which HCL reads the same."""
    provider = json.dumps(PROVIDER_ADDRESS)
    return "\n".join(
        [
            "# Written by constructs_ab for its own terraform processes; not the user's configuration.",
            f"plugin_cache_dir = {json.dumps(str(plugin_cache_dir))}",
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


def write_cli_config(folder: Path, mirror: ProviderMirror, plugin_cache_dir: Path) -> Path:
    """Write the CLI configuration into `folder` (ours) and create the plugin cache; the file's path."""
    plugin_cache_dir.mkdir(parents=True, exist_ok=True)  # Terraform ignores a missing cache folder
    path = folder / CLI_CONFIG_NAME
    path.write_text(render_cli_config(mirror, plugin_cache_dir), encoding="utf-8")
    return path
