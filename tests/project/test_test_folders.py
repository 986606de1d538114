"""Every test folder is a package (an `__init__.py`), so two test modules of one name in two folders never
collide, but `tests/constructs`: as a package it would be named `constructs` (pytest imports test packages
from `tests/`) and hide the `constructs` library that cdktf imports."""

from __future__ import annotations

from pathlib import Path

TESTS = Path(__file__).resolve().parents[1]
NOT_A_PACKAGE = {"constructs"}


def test_every_test_folder_is_a_package() -> None:
    folders = {path.parent for path in TESTS.rglob("test_*.py")}
    assert len(folders) > 10
    missing = sorted(
        str(folder.relative_to(TESTS))
        for folder in folders
        if folder != TESTS and folder.name not in NOT_A_PACKAGE and not (folder / "__init__.py").exists()
    )
    assert missing == []


def test_the_one_exception_is_still_needed() -> None:
    import constructs

    assert Path(constructs.__file__).resolve().parent != TESTS / "constructs"
    assert not (TESTS / "constructs" / "__init__.py").exists()
