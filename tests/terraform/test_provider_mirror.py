"""Finding the provider mirror: the user's CLI configuration first (HCL or JSON, include/exclude honored),
then $AB_TERRAFORM_PROVIDER_MIRROR; one-line errors naming what is missing. No Terraform needed."""

from __future__ import annotations

import json
import os
import zipfile
from pathlib import Path

import pytest

from constructs_ab.terraform.cli_config import render_cli_config
from constructs_ab.terraform.errors import TerraformUnavailable
from constructs_ab.terraform.provider_mirror import (
    MIRROR_ENV_VAR,
    PROVIDER_VERSION,
    ProviderMirror,
    find_provider_mirror,
    mirror_has_provider,
    terraform_platform,
)
from constructs_ab.terraform.unpacked_mirror import linkable_mirror

PLATFORM = terraform_platform()


def unpacked_mirror(root: Path, version: str = PROVIDER_VERSION) -> Path:
    folder = root / "registry.terraform.io" / "hashicorp" / "aws" / version / PLATFORM
    folder.mkdir(parents=True)
    (folder / f"terraform-provider-aws_v{version}_x5").write_bytes(b"")
    return root


def packed_mirror(root: Path) -> Path:
    folder = root / "registry.terraform.io" / "hashicorp" / "aws"
    folder.mkdir(parents=True)
    with zipfile.ZipFile(
        folder / f"terraform-provider-aws_{PROVIDER_VERSION}_{PLATFORM}.zip", "w"
    ) as package:
        binary = zipfile.ZipInfo(f"terraform-provider-aws_v{PROVIDER_VERSION}_x5")
        binary.external_attr = 0o755 << 16
        package.writestr(binary, b"#!/bin/sh\n")
        package.writestr("LICENSE.txt", b"license")
    return root


def test_both_mirror_layouts_are_recognized_and_only_at_the_pinned_version(tmp_path: Path) -> None:
    assert mirror_has_provider(unpacked_mirror(tmp_path / "unpacked"))
    assert mirror_has_provider(packed_mirror(tmp_path / "packed"))
    assert not mirror_has_provider(unpacked_mirror(tmp_path / "older", "5.99.0"))
    assert not mirror_has_provider(tmp_path / "missing")


def test_the_users_cli_configuration_comes_first(tmp_path: Path) -> None:
    # GIVEN a CLI configuration whose filesystem mirror holds the provider, and another mirror in the env var
    mirror = unpacked_mirror(tmp_path / "from-config")
    config = tmp_path / "terraformrc"
    config.write_text(
        "# my settings\n"
        'plugin_cache_dir = "/somewhere"\n'
        "provider_installation {\n"
        '  network_mirror { url = "https://mirror.example.com/" }\n'
        f'  filesystem_mirror {{\n    path    = "{mirror}" # the team mirror\n'
        '    include = ["registry.terraform.io/hashicorp/*"]\n  }\n'
        '  direct { exclude = ["hashicorp/aws"] }\n'
        "}\n"
    )
    env = {"TF_CLI_CONFIG_FILE": str(config), MIRROR_ENV_VAR: str(unpacked_mirror(tmp_path / "from-env"))}
    # WHEN the mirror is looked up THEN the configuration's wins
    found = find_provider_mirror(env)
    assert found == ProviderMirror(path=mirror.resolve(), found_in=f"filesystem_mirror of {config}")


def test_a_json_cli_configuration_is_read_too(tmp_path: Path) -> None:
    mirror = unpacked_mirror(tmp_path / "m")
    config = tmp_path / "terraform.tfrc.json"
    config.write_text(json.dumps({"provider_installation": [{"filesystem_mirror": [{"path": str(mirror)}]}]}))
    assert find_provider_mirror({"TF_CLI_CONFIG_FILE": str(config)}).path == mirror.resolve()


def test_a_mirror_that_excludes_the_aws_provider_is_not_used(tmp_path: Path) -> None:
    # GIVEN a configuration whose only mirror excludes hashicorp/aws, and a mirror in the env var
    mirror = unpacked_mirror(tmp_path / "excluded")
    config = tmp_path / "terraformrc"
    config.write_text(
        f'provider_installation {{\n  filesystem_mirror {{\n    path = "{mirror}"\n'
        '    exclude = ["registry.terraform.io/hashicorp/aws"]\n  }\n}\n'
    )
    fallback = unpacked_mirror(tmp_path / "env")
    # THEN the env var's mirror is used
    found = find_provider_mirror({"TF_CLI_CONFIG_FILE": str(config), MIRROR_ENV_VAR: str(fallback)})
    assert found.path == fallback.resolve() and found.found_in == f"${MIRROR_ENV_VAR}"


def test_without_a_configuration_the_env_var_names_the_mirror(tmp_path: Path) -> None:
    mirror = packed_mirror(tmp_path / "packed")
    env = {"TF_CLI_CONFIG_FILE": str(tmp_path / "does-not-exist"), MIRROR_ENV_VAR: str(mirror)}
    assert find_provider_mirror(env).path == mirror.resolve()


def test_nothing_found_is_one_line_naming_what_is_missing_and_how_to_provide_it(tmp_path: Path) -> None:
    env = {"TF_CLI_CONFIG_FILE": str(tmp_path / "nope.tfrc")}
    with pytest.raises(TerraformUnavailable) as raised:
        find_provider_mirror(env)
    message = str(raised.value)
    assert "\n" not in message
    assert (
        f"no provider mirror with registry.terraform.io/hashicorp/aws {PROVIDER_VERSION} ({PLATFORM})"
        in message
    )
    assert f"the CLI configuration {tmp_path / 'nope.tfrc'} does not exist" in message
    assert f"${MIRROR_ENV_VAR} is not set; set it to the folder holding registry.terraform.io/" in message


def test_an_env_var_folder_without_the_provider_says_where_it_looked(tmp_path: Path) -> None:
    env = {"HOME": str(tmp_path), MIRROR_ENV_VAR: str(tmp_path / "empty")}
    with pytest.raises(TerraformUnavailable) as raised:
        find_provider_mirror(env)
    message = str(raised.value)
    assert "\n" not in message
    assert message.startswith(f"${MIRROR_ENV_VAR}={tmp_path / 'empty'} does not hold")
    assert f"{PROVIDER_VERSION}/{PLATFORM}/" in message
    assert f"the CLI configuration {tmp_path / '.terraformrc'} does not exist" in message


def test_our_cli_configuration_takes_the_provider_from_the_mirror_only() -> None:
    text = render_cli_config(ProviderMirror(path=Path("/m i/r"), found_in="x"))
    assert "plugin_cache_dir" not in text
    assert 'path    = "/m i/r"' in text
    assert 'include = ["registry.terraform.io/hashicorp/aws"]' in text
    assert 'exclude = ["registry.terraform.io/hashicorp/aws"]' in text


def test_an_unpacked_mirror_is_used_as_it_is(tmp_path: Path) -> None:
    mirror = ProviderMirror(path=unpacked_mirror(tmp_path / "m"), found_in="x")
    assert linkable_mirror(mirror, tmp_path / "cache") == mirror
    assert not (tmp_path / "cache").exists()


def test_a_packed_mirror_is_unpacked_once_into_the_cache(tmp_path: Path) -> None:
    # GIVEN a packed mirror (as `terraform providers mirror` writes it)
    packed = ProviderMirror(path=packed_mirror(tmp_path / "packed"), found_in="$AB_TERRAFORM_PROVIDER_MIRROR")
    # WHEN two runs ask for a mirror Terraform can link to
    first = linkable_mirror(packed, tmp_path / "cache")
    binary = (
        first.path
        / f"registry.terraform.io/hashicorp/aws/{PROVIDER_VERSION}/{PLATFORM}/terraform-provider-aws_v{PROVIDER_VERSION}_x5"
    )
    made = binary.stat().st_mtime_ns
    second = linkable_mirror(packed, tmp_path / "cache")
    # THEN both get the same unpacked copy, made once, its provider executable
    assert first == second and first.path == tmp_path / "cache" / "mirror"
    assert (
        first.found_in == f"$AB_TERRAFORM_PROVIDER_MIRROR, unpacked once into {tmp_path / 'cache' / 'mirror'}"
    )
    assert binary.stat().st_mtime_ns == made and os.access(binary, os.X_OK)
    assert mirror_has_provider(first.path)
