"""Finding the terraform executable: $AB_TERRAFORM or PATH, 1.10 or later; one-line errors."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from constructs_ab.terraform.binary import find_terraform
from constructs_ab.terraform.errors import TerraformUnavailable


def fake(folder: Path, version: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    script = folder / "terraform"
    script.write_text(
        f'#!/bin/sh\necho \'{{"terraform_version": "{version}", "platform": "linux_amd64"}}\'\n'
    )
    script.chmod(script.stat().st_mode | stat.S_IXUSR)
    return script


def test_terraform_on_path_with_its_version(tmp_path: Path) -> None:
    script = fake(tmp_path / "bin", "1.11.4")
    found = find_terraform({"PATH": str(tmp_path / "bin")})
    assert (found.path, found.version) == (str(script), "1.11.4")


def test_ab_terraform_names_another_executable(tmp_path: Path) -> None:
    script = fake(tmp_path / "elsewhere", "1.10.0")
    found = find_terraform({"PATH": str(tmp_path / "empty"), "AB_TERRAFORM": str(script)})
    assert found.path == str(script)


def test_missing_terraform_is_one_line_saying_how_to_provide_it(tmp_path: Path) -> None:
    with pytest.raises(TerraformUnavailable) as raised:
        find_terraform({"PATH": str(tmp_path)})
    assert str(raised.value) == (
        "terraform not found (PATH); install Terraform 1.10 or later on PATH, or set AB_TERRAFORM to its path"
    )


def test_terraform_older_than_1_10_is_refused(tmp_path: Path) -> None:
    script = fake(tmp_path / "bin", "1.9.8")
    with pytest.raises(TerraformUnavailable) as raised:
        find_terraform({"PATH": str(tmp_path / "bin")})
    assert str(raised.value) == (
        f"{script} is Terraform 1.9.8; the stacks need 1.10 or later "
        "(install it on PATH, or set AB_TERRAFORM to its path)"
    )
