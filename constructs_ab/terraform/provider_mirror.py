"""Where `terraform init` finds the AWS provider offline: a filesystem mirror holding hashicorp/aws at the
version the stacks pin (`PROVIDER_VERSION`, for this machine's platform).

Looked up in this order; the first that holds the provider wins:

1. The user's Terraform CLI configuration (`$TF_CLI_CONFIG_FILE`, else `~/.terraformrc`; HCL, or JSON
   when the name ends in `.json`): each `filesystem_mirror` of its `provider_installation` block whose
   `include`/`exclude` admit hashicorp/aws.
2. The folder named by `$AB_TERRAFORM_PROVIDER_MIRROR`.

A mirror is the folder that holds `registry.terraform.io/`, in the unpacked layout
(`registry.terraform.io/hashicorp/aws/<version>/<os>_<arch>/terraform-provider-aws_...`) or the packed
one that `terraform providers mirror DIR` writes (`.../hashicorp/aws/terraform-provider-aws_<version>_<os>_<arch>.zip`).
"""

from __future__ import annotations

import json
import os
import platform
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from constructs_ab.terraform.errors import TerraformUnavailable

#: The provider the stacks require, as `terraform init` resolves it.
PROVIDER_HOST = "registry.terraform.io"
PROVIDER_NAMESPACE = "hashicorp"
PROVIDER_TYPE = "aws"
PROVIDER_ADDRESS = f"{PROVIDER_HOST}/{PROVIDER_NAMESPACE}/{PROVIDER_TYPE}"
#: The exact provider version the stacks pin (cdktf-cdktf-provider-aws 20.1.0 generates against it; a
#: test checks it against the synthesized `required_providers`).
PROVIDER_VERSION = "5.100.0"
#: Environment variable naming a mirror folder (the folder that holds `registry.terraform.io/`).
MIRROR_ENV_VAR = "AB_TERRAFORM_PROVIDER_MIRROR"

_ARCHES = {"x86_64": "amd64", "amd64": "amd64", "aarch64": "arm64", "arm64": "arm64", "i686": "386"}


@dataclass(frozen=True, kw_only=True)
class ProviderMirror:
    """A filesystem mirror holding the provider.

    path: the mirror folder (it holds `registry.terraform.io/`), absolute.
    found_in: where it was found, for messages, e.g. "filesystem_mirror of ~/.terraformrc".
    """

    path: Path
    found_in: str


def terraform_platform() -> str:
    """This machine's Terraform platform name, e.g. `linux_amd64`."""
    machine = platform.machine().lower()
    return f"{platform.system().lower()}_{_ARCHES.get(machine, machine)}"


def unpacked_provider_dir(
    root: Path, version: str = PROVIDER_VERSION, target: str | None = None
) -> Path | None:
    """The provider's folder in the unpacked layout of mirror `root`, when it holds the binary; else None."""
    folder = (
        root / PROVIDER_HOST / PROVIDER_NAMESPACE / PROVIDER_TYPE / version / (target or terraform_platform())
    )
    if folder.is_dir() and any(
        p.name.startswith(f"terraform-provider-{PROVIDER_TYPE}") for p in folder.iterdir()
    ):
        return folder
    return None


def packed_provider_archive(
    root: Path, version: str = PROVIDER_VERSION, target: str | None = None
) -> Path | None:
    """The provider's `.zip` in the packed layout of mirror `root` (what `terraform providers mirror` writes)."""
    archive = (
        root
        / PROVIDER_HOST
        / PROVIDER_NAMESPACE
        / PROVIDER_TYPE
        / f"terraform-provider-{PROVIDER_TYPE}_{version}_{target or terraform_platform()}.zip"
    )
    return archive if archive.is_file() else None


def mirror_has_provider(root: Path, version: str = PROVIDER_VERSION, target: str | None = None) -> bool:
    """Whether the mirror folder `root` holds hashicorp/aws `version` for `target` (default: this machine)."""
    return bool(
        unpacked_provider_dir(root, version, target) or packed_provider_archive(root, version, target)
    )


def user_cli_config_path(env: Mapping[str, str]) -> Path:
    """The CLI configuration file Terraform itself would read: `$TF_CLI_CONFIG_FILE`, else `~/.terraformrc`."""
    explicit = env.get("TF_CLI_CONFIG_FILE") or env.get("TERRAFORM_CONFIG")
    if explicit:
        return Path(explicit).expanduser()
    if os.name == "nt":  # pragma: no cover - documented Terraform location on Windows
        return Path(env.get("APPDATA", "~")).expanduser() / "terraform.rc"
    return Path(env.get("HOME", "~")).expanduser() / ".terraformrc"


def find_provider_mirror(env: Mapping[str, str] | None = None) -> ProviderMirror:
    """The mirror to use (see the module docstring for the order); raises TerraformUnavailable (one line)."""
    env = os.environ if env is None else env
    target = terraform_platform()
    wanted = f"{PROVIDER_ADDRESS} {PROVIDER_VERSION} ({target})"

    config = user_cli_config_path(env)
    if config.is_file():
        mirrors = list(config_filesystem_mirrors(config))
        for mirror in mirrors:
            if mirror_has_provider(mirror, target=target):
                return ProviderMirror(path=mirror.resolve(), found_in=f"filesystem_mirror of {config}")
        config_says = (
            f"the filesystem mirrors of {config} ({', '.join(str(m) for m in mirrors)}) do not hold {wanted}"
            if mirrors
            else f"{config} declares no filesystem_mirror for {PROVIDER_ADDRESS}"
        )
    else:
        config_says = f"the CLI configuration {config} does not exist"

    folder = env.get(MIRROR_ENV_VAR)
    if folder:
        root = Path(folder).expanduser()
        if mirror_has_provider(root, target=target):
            return ProviderMirror(path=root.resolve(), found_in=f"${MIRROR_ENV_VAR}")
        raise TerraformUnavailable(
            f"${MIRROR_ENV_VAR}={folder} does not hold {wanted} (expected "
            f"{root / PROVIDER_HOST / PROVIDER_NAMESPACE / PROVIDER_TYPE}/{PROVIDER_VERSION}/{target}/ or the "
            f"packed .zip); {config_says}"
        )
    raise TerraformUnavailable(
        f"no provider mirror with {wanted}: {config_says}, and ${MIRROR_ENV_VAR} is not set; set it to the "
        f"folder holding {PROVIDER_HOST}/ (e.g. one made by `terraform providers mirror DIR`)"
    )


def config_filesystem_mirrors(config: Path) -> Iterator[Path]:
    """The `filesystem_mirror` paths of the CLI configuration `config` that admit hashicorp/aws."""
    try:
        text = config.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return
    blocks = _json_mirrors(text) if config.name.endswith(".json") else _hcl_mirrors(text)
    for path, include, exclude in blocks:
        if _admits(include, exclude):
            yield Path(path).expanduser()


Mirror = tuple[str, list[str] | None, list[str]]


def _json_mirrors(text: str) -> list[Mirror]:
    try:
        document = json.loads(text)
    except ValueError:
        return []
    result: list[Mirror] = []
    for installation in _as_list(
        document.get("provider_installation") if isinstance(document, dict) else None
    ):
        for mirror in _as_list(
            installation.get("filesystem_mirror") if isinstance(installation, dict) else None
        ):
            if isinstance(mirror, dict) and isinstance(mirror.get("path"), str):
                include = mirror.get("include")
                result.append(
                    (
                        mirror["path"],
                        [str(p) for p in include] if isinstance(include, list) else None,
                        [str(p) for p in mirror.get("exclude") or []],
                    )
                )
    return result


def _as_list(value: Any) -> list[Any]:
    if isinstance(value, list):
        return value
    return [value] if isinstance(value, dict) else []


_COMMENT = re.compile(r'("(?:[^"\\]|\\.)*")|#[^\n]*|//[^\n]*|/\*.*?\*/', re.DOTALL)
_BLOCK_START = re.compile(r"\b(provider_installation|filesystem_mirror)\s*\{")
_STRING_ATTR = r'\b{name}\s*=\s*"((?:[^"\\]|\\.)*)"'
_LIST_ATTR = r"\b{name}\s*=\s*\[(.*?)\]"


def _hcl_mirrors(text: str) -> list[Mirror]:
    """`filesystem_mirror` blocks inside `provider_installation` blocks of an HCL CLI configuration."""
    text = _COMMENT.sub(lambda m: m.group(1) or "", text)
    result: list[Mirror] = []
    for installation in _blocks(text, "provider_installation"):
        for mirror in _blocks(installation, "filesystem_mirror"):
            path = re.search(_STRING_ATTR.format(name="path"), mirror)
            if path is None:
                continue
            include = re.search(_LIST_ATTR.format(name="include"), mirror, re.DOTALL)
            exclude = re.search(_LIST_ATTR.format(name="exclude"), mirror, re.DOTALL)
            result.append(
                (
                    path.group(1),
                    re.findall(r'"([^"]*)"', include.group(1)) if include else None,
                    re.findall(r'"([^"]*)"', exclude.group(1)) if exclude else [],
                )
            )
    return result


def _blocks(text: str, name: str) -> Iterator[str]:
    """The bodies of the top-level blocks called `name` in `text` (braces balanced, strings skipped)."""
    for match in _BLOCK_START.finditer(text):
        if match.group(1) != name:
            continue
        depth, index, in_string = 1, match.end(), False
        while index < len(text) and depth:
            char = text[index]
            if in_string:
                if char == "\\":
                    index += 1
                elif char == '"':
                    in_string = False
            elif char == '"':
                in_string = True
            elif char == "{":
                depth += 1
            elif char == "}":
                depth -= 1
            index += 1
        yield text[match.end() : index - 1]


def _admits(include: list[str] | None, exclude: list[str]) -> bool:
    if include is not None and not any(_matches(pattern) for pattern in include):
        return False
    return not any(_matches(pattern) for pattern in exclude)


def _matches(pattern: str) -> bool:
    """Whether a provider address pattern (`hashicorp/aws`, `registry.terraform.io/hashicorp/*`) covers ours."""
    parts = pattern.strip().lower().split("/")
    if len(parts) == 2:
        parts = [PROVIDER_HOST, *parts]
    if len(parts) != 3:
        return False
    return all(
        p in ("*", ours)
        for p, ours in zip(parts, (PROVIDER_HOST, PROVIDER_NAMESPACE, PROVIDER_TYPE), strict=True)
    )
