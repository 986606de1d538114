"""The `terraform` executable: `$AB_TERRAFORM` if set, else `terraform` on PATH; 1.10 or later.

1.10 is the first version with S3-native state locking (`use_lockfile`), which stacks with a `state`
block use, and the `required_version` every stack declares.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from collections.abc import Mapping
from dataclasses import dataclass

from constructs_ab.terraform.errors import TerraformUnavailable

#: Environment variable naming the terraform executable (a path or a command on PATH).
TERRAFORM_ENV_VAR = "AB_TERRAFORM"
#: Oldest Terraform the stacks accept (their `required_version`).
MIN_VERSION = (1, 10)


@dataclass(frozen=True, kw_only=True)
class TerraformBinary:
    """A usable terraform executable.

    path: absolute path of the executable.
    version: its version, e.g. "1.11.4".
    """

    path: str
    version: str


def find_terraform(env: Mapping[str, str] | None = None) -> TerraformBinary:
    """The terraform executable to use; raises TerraformUnavailable (one line) when there is none."""
    env = os.environ if env is None else env
    wanted = env.get(TERRAFORM_ENV_VAR) or "terraform"
    path = shutil.which(wanted, path=env.get("PATH"))
    if path is None:
        where = f"${TERRAFORM_ENV_VAR}={wanted}" if env.get(TERRAFORM_ENV_VAR) else "PATH"
        raise TerraformUnavailable(
            f"terraform not found ({where}); install Terraform {_version_text(MIN_VERSION)} or later "
            f"on PATH, or set {TERRAFORM_ENV_VAR} to its path"
        )
    version = _version_of(path)
    if _version_tuple(version) < MIN_VERSION:
        raise TerraformUnavailable(
            f"{path} is Terraform {version}; the stacks need {_version_text(MIN_VERSION)} or later "
            f"(install it on PATH, or set {TERRAFORM_ENV_VAR} to its path)"
        )
    return TerraformBinary(path=path, version=version)


def _version_of(path: str) -> str:
    try:
        result = subprocess.run(
            [path, "version", "-json"],
            capture_output=True,
            text=True,
            timeout=60,
            env={**os.environ, "CHECKPOINT_DISABLE": "1", "TF_CLI_CONFIG_FILE": os.devnull},
            check=False,
        )
        version = json.loads(result.stdout)["terraform_version"]
    except (OSError, subprocess.SubprocessError, ValueError, KeyError, TypeError) as error:
        raise TerraformUnavailable(
            f"{path} does not answer `terraform version -json` ({type(error).__name__}); "
            f"install Terraform {_version_text(MIN_VERSION)} or later, or set {TERRAFORM_ENV_VAR}"
        ) from None
    return str(version)


def _version_tuple(version: str) -> tuple[int, ...]:
    numbers = []
    for part in version.split("-")[0].split("."):
        if not part.isdigit():
            break
        numbers.append(int(part))
    return tuple(numbers)


def _version_text(version: tuple[int, ...]) -> str:
    return ".".join(str(n) for n in version)
