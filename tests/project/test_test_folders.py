"""Every folder under tests/ that holds Python files is a package (an `__init__.py`), so two test modules
of one name in two folders never collide and helpers are imported relatively (`from .synth_helpers import
...`). `tests/` itself is the root pytest puts on `sys.path` (it holds conftest.py and the shared helpers,
no tests), so each test package is imported by its folder name: no folder may be named like a module
found anywhere else (the construct tests live in `construct_tests/`, since a package named `constructs`
would hide the library cdktf imports)."""

from __future__ import annotations

import importlib.machinery
import sys
from pathlib import Path

TESTS = Path(__file__).resolve().parents[1]


def python_folders() -> set[Path]:
    return {path.parent for path in TESTS.rglob("*.py") if "__pycache__" not in path.parts} - {TESTS}


def test_every_folder_holding_python_files_is_a_package() -> None:
    folders = python_folders()
    assert len(folders) > 10
    assert {path.parent for path in TESTS.rglob("test_*.py")} <= folders | {TESTS}
    missing = sorted(
        str(folder.relative_to(TESTS)) for folder in folders if not (folder / "__init__.py").exists()
    )
    assert missing == []


def test_no_test_package_shadows_a_module_of_the_same_name() -> None:
    elsewhere = [entry for entry in sys.path if entry and Path(entry).resolve() != TESTS]
    top_level = {folder.relative_to(TESTS).parts[0] for folder in python_folders()}
    shadowing = sorted(
        name
        for name in top_level
        if name in sys.stdlib_module_names
        or name in sys.builtin_module_names
        or importlib.machinery.PathFinder.find_spec(name, elsewhere) is not None
    )
    assert shadowing == []


def test_the_construct_tests_do_not_hide_the_constructs_library() -> None:
    import constructs

    assert not (TESTS / "constructs").exists()
    assert TESTS not in Path(constructs.__file__).resolve().parents
