"""Terraform, the provider mirror and our CLI configuration, found once and shared by every stack."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType

from constructs_ab.terraform.binary import TerraformBinary, find_terraform
from constructs_ab.terraform.cli_config import default_cache_dir, write_cli_config
from constructs_ab.terraform.provider_mirror import ProviderMirror, find_provider_mirror
from constructs_ab.terraform.unpacked_mirror import linkable_mirror

#: `TF_*` variables of the caller kept for the children (logging); every other one is dropped, so a
#: user's `TF_CLI_ARGS_apply`, `TF_DATA_DIR` or `TF_WORKSPACE` cannot change what a run does.
_KEPT_TF_VARIABLES = ("TF_LOG", "TF_LOG_CORE", "TF_LOG_PROVIDER", "TF_LOG_PATH")


@dataclass(frozen=True, kw_only=True)
class Toolchain:
    """What every `terraform` child process needs.

    binary: the terraform executable.
    mirror: the provider mirror the runs use (unpacked; see `unpacked_mirror`).
    cli_config: our CLI configuration file (in a folder we own).
    """

    binary: TerraformBinary
    mirror: ProviderMirror
    cli_config: Path

    def environment(self, extra: Mapping[str, str] | None = None) -> dict[str, str]:
        """The environment of a child terraform: the caller's, without its `TF_*` settings, plus ours."""
        env = {
            key: value
            for key, value in os.environ.items()
            if not key.startswith("TF_") or key in _KEPT_TF_VARIABLES
        }
        env.update(
            TF_CLI_CONFIG_FILE=str(self.cli_config),
            TF_IN_AUTOMATION="1",
            TF_INPUT="0",
            CHECKPOINT_DISABLE="1",
        )
        env.update(extra or {})
        return env


class TemporaryToolchain:
    """`with TemporaryToolchain() as toolchain:` finds Terraform and the mirror (TerraformUnavailable, one
    line, when either is missing) and writes our CLI configuration into a temporary folder, removed on exit.

    env: the environment to look things up in. Default: `os.environ`.
    cache_dir: where a packed mirror is unpacked once. Default: `default_cache_dir(env)`.
    """

    def __init__(self, env: Mapping[str, str] | None = None, cache_dir: Path | None = None) -> None:
        self._env = os.environ if env is None else env
        self._cache_dir = cache_dir
        self._folder: Path | None = None

    def __enter__(self) -> Toolchain:
        binary = find_terraform(self._env)
        mirror = linkable_mirror(
            find_provider_mirror(self._env), self._cache_dir or default_cache_dir(self._env)
        )
        self._folder = Path(tempfile.mkdtemp(prefix="constructs-ab-terraform-"))
        return Toolchain(binary=binary, mirror=mirror, cli_config=write_cli_config(self._folder, mirror))

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        if self._folder is not None:
            shutil.rmtree(self._folder, ignore_errors=True)
            self._folder = None
