"""Huge inputs: a spec above the size cap is refused at once (exit 2, one line); below it, loading does
work proportional to the file's size. No timing: the work is counted as Python function calls, which is
deterministic for a given input."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from constructs_ab.spec import MAX_SPEC_BYTES, SpecError, SpecTooLargeError, load_spec, loader, parse_spec

from .spec_builders import base_spec, dump

REPO = Path(__file__).resolve().parents[2]


def _never_parsed(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(text: str) -> Any:
        raise AssertionError("a spec above the cap was parsed")

    monkeypatch.setattr(loader, "read_yaml", refuse)


def test_a_file_one_byte_above_the_cap_is_refused_before_it_is_parsed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # GIVEN a valid spec padded with a comment to one byte more than the cap
    text = dump(base_spec())
    path = tmp_path / "huge.yaml"
    path.write_text(text + "#" * (MAX_SPEC_BYTES + 1 - len(text) - 1) + "\n")
    assert path.stat().st_size == MAX_SPEC_BYTES + 1
    _never_parsed(monkeypatch)
    # WHEN it is loaded, THEN it is refused with the size and the cap, and never parsed
    with pytest.raises(SpecTooLargeError) as refused:
        load_spec(path)
    assert refused.value.strerror == (
        f"the file is {MAX_SPEC_BYTES + 1:,} bytes; a spec is at most 5,242,880 bytes (5 MiB): split the "
        "environments into several spec files"
    )


def test_a_file_at_the_cap_is_read(tmp_path: Path) -> None:
    text = dump(base_spec())
    path = tmp_path / "big.yaml"
    path.write_text(text + "#" * (MAX_SPEC_BYTES - len(text) - 1) + "\n")
    assert path.stat().st_size == MAX_SPEC_BYTES
    assert load_spec(path).environments[0].name == "prod"


def test_a_stream_without_a_size_is_read_only_up_to_the_cap(monkeypatch: pytest.MonkeyPatch) -> None:
    # /dev/zero says its size is 0 and never ends: the read stops one byte past the cap
    _never_parsed(monkeypatch)
    with pytest.raises(SpecTooLargeError, match="more than 5,242,880 bytes"):
        load_spec("/dev/zero")


def test_text_above_the_cap_is_refused_by_parse_spec(monkeypatch: pytest.MonkeyPatch) -> None:
    _never_parsed(monkeypatch)
    with pytest.raises(SpecError, match="a spec is at most 5,242,880 bytes"):
        parse_spec("#" * (MAX_SPEC_BYTES + 1))


def test_validate_refuses_a_huge_spec_with_exit_2_and_one_line(tmp_path: Path) -> None:
    path = tmp_path / "huge.yaml"
    with path.open("wb") as stream:
        stream.truncate(60 * 1024 * 1024)  # 60 MB (sparse): what once ran for over 5 minutes
    result = subprocess.run(
        [sys.executable, "-m", "constructs_ab", "validate", "--spec", str(path)],
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=120,
    )
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr.splitlines() == [
        f"validate: cannot read spec {path}: the file is 62,914,560 bytes; a spec is at most 5,242,880 bytes "
        "(5 MiB): split the environments into several spec files"
    ]


# --- linear loading --------------------------------------------------------------------------------------


def _spec_text(experiments: int, *, broken: bool) -> str:
    """One environment, one load balancer, `experiments` experiments with automatic priorities (each
    with a weight out of range when `broken`): the shapes that were quadratic (priority assignment and
    clash checks per load balancer; problems looked up against every problem found)."""
    data = base_spec()
    environment = data["environments"]["prod"]
    environment["load_balancers"] = {"public": {"max_rules": 50000}}
    environment["experiments"] = [
        {
            "name": f"x{n}",
            "load_balancer": "public",
            "match": {"paths": [f"/x{n}", f"/x{n}/*"]},
            "variants": [
                {"name": f"x{n}-a", "model": "m:1", "weight": 5000 if broken else 50},
                {"name": f"x{n}-b", "model": "m:2", "weight": 50},
            ],
        }
        for n in range(experiments)
    ]
    return dump(data)


def _calls(load: Callable[[], object]) -> int:
    """Python function calls made by `load()`."""
    count = 0

    def profile(frame: Any, event: str, arg: Any) -> None:
        nonlocal count
        if event == "call":
            count += 1

    sys.setprofile(profile)
    try:
        load()
    except SpecError:
        pass
    finally:
        sys.setprofile(None)
    return count


@pytest.mark.parametrize("broken", [False, True], ids=["valid", "a-problem-per-experiment"])
def test_loading_does_work_proportional_to_the_size_of_the_spec(broken: bool) -> None:
    # GIVEN the same kind of spec at two sizes, the second 4 times the first
    small, large = _spec_text(150, broken=broken), _spec_text(600, broken=broken)
    assert 3.9 < len(large) / len(small) < 4.1
    # WHEN each is loaded, THEN the work grows like the size (4.0 measured; before, the priority assignment made it 4.5 on valid specs and the problem lookups 14.5 on broken ones)
    ratio = _calls(lambda: parse_spec(large)) / _calls(lambda: parse_spec(small))
    assert ratio < 4.25, f"loading 4 times the spec made {ratio:.1f} times the calls"
