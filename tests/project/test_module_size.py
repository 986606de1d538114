"""No product module is over 400 lines: a module that grows past that holds more than one concept, and is
split by concept (keeping its public imports working)."""

from __future__ import annotations

from pathlib import Path

REPOSITORY = Path(__file__).resolve().parents[2]
PRODUCT = ("constructs_ab", "policies", "bench", "scripts")
MAX_LINES = 400


def product_modules() -> list[Path]:
    modules = [REPOSITORY / "main.py"]
    for folder in PRODUCT:
        modules += sorted((REPOSITORY / folder).rglob("*.py"))
    return modules


def test_no_product_module_is_over_400_lines() -> None:
    sizes = {
        str(path.relative_to(REPOSITORY)): len(path.read_text().splitlines()) for path in product_modules()
    }
    assert len(sizes) > 100
    assert {name: lines for name, lines in sizes.items() if lines > MAX_LINES} == {}
