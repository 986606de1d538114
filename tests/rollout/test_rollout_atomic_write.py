"""Atomic replacement of the spec file: all or nothing, mode kept, no temporary file left behind."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from constructs_ab.rollout.atomic_write import write_atomically


def test_replaces_the_content_and_keeps_the_mode(tmp_path: Path) -> None:
    target = tmp_path / "spec.yaml"
    target.write_bytes(b"old\n")
    target.chmod(0o640)
    write_atomically(target, b"new\n")
    assert target.read_bytes() == b"new\n"
    assert stat.S_IMODE(target.stat().st_mode) == 0o640
    assert sorted(p.name for p in tmp_path.iterdir()) == ["spec.yaml"]


def test_a_symlink_stays_a_link_and_its_target_is_replaced(tmp_path: Path) -> None:
    target = tmp_path / "real.yaml"
    target.write_bytes(b"old\n")
    link = tmp_path / "link.yaml"
    link.symlink_to(target)
    write_atomically(link, b"new\n")
    assert link.is_symlink()
    assert target.read_bytes() == b"new\n"


def test_fails_midway_leaves_the_original_and_no_temporary_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # GIVEN os.replace fails (disk full, permissions, a crash between write and rename)
    target = tmp_path / "spec.yaml"
    target.write_bytes(b"old\n")

    def broken_replace(src: str, dst: str) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", broken_replace)
    # WHEN writing
    with pytest.raises(OSError, match="No space left on device"):
        write_atomically(target, b"new\n")
    # THEN the original is byte for byte what it was and the temporary file is gone
    assert target.read_bytes() == b"old\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["spec.yaml"]
