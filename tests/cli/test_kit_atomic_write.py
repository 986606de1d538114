"""The kit's atomic writer: all or nothing, mode and owner kept, symbolic links followed, nothing left
behind on error."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from constructs_ab.cli.kit.atomic_write import write_atomically


def names_in(directory: Path) -> list[str]:
    return sorted(p.name for p in directory.iterdir())


def test_replaces_the_content_and_keeps_the_mode(tmp_path: Path) -> None:
    target = tmp_path / "spec.yaml"
    target.write_bytes(b"old\n")
    target.chmod(0o640)
    write_atomically(target, b"new\n")
    assert target.read_bytes() == b"new\n"
    assert stat.S_IMODE(target.stat().st_mode) == 0o640
    assert names_in(tmp_path) == ["spec.yaml"]


def test_keeps_unusual_modes_including_setgid(tmp_path: Path) -> None:
    target = tmp_path / "run.sh"
    target.write_bytes(b"old\n")
    target.chmod(0o2750)
    write_atomically(target, "new\n")
    assert stat.S_IMODE(target.stat().st_mode) == 0o2750
    assert target.read_text() == "new\n"


def test_text_is_written_as_utf8(tmp_path: Path) -> None:
    target = tmp_path / "out.md"
    write_atomically(target, "⚠️ risky\n")
    assert target.read_bytes() == "⚠️ risky\n".encode()


def test_a_new_file_gets_the_mode_open_would_give_it(tmp_path: Path) -> None:
    previous = os.umask(0o027)
    try:
        write_atomically(tmp_path / "new.json", b"{}")
    finally:
        os.umask(previous)
    assert stat.S_IMODE((tmp_path / "new.json").stat().st_mode) == 0o640
    assert names_in(tmp_path) == ["new.json"]


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0, reason="changing owners needs root")
def test_keeps_the_owner_and_group_of_someone_elses_file(tmp_path: Path) -> None:
    target = tmp_path / "spec.yaml"
    target.write_bytes(b"old\n")
    os.chown(target, 4321, 8765)
    target.chmod(0o664)
    write_atomically(target, b"new\n")
    status = target.stat()
    assert (status.st_uid, status.st_gid) == (4321, 8765)
    assert stat.S_IMODE(status.st_mode) == 0o664 and target.read_bytes() == b"new\n"


def test_a_file_of_ones_own_keeps_its_owner(tmp_path: Path) -> None:
    target = tmp_path / "spec.yaml"
    target.write_bytes(b"old\n")
    before = target.stat()
    write_atomically(target, b"new\n")
    after = target.stat()
    assert (after.st_uid, after.st_gid) == (before.st_uid, before.st_gid)
    assert after.st_ino != before.st_ino  # a new file was renamed over it, not the old one rewritten


def test_a_symlink_stays_a_link_and_its_target_is_replaced(tmp_path: Path) -> None:
    (tmp_path / "real").mkdir()
    target = tmp_path / "real" / "spec.yaml"
    target.write_bytes(b"old\n")
    target.chmod(0o600)
    link = tmp_path / "link.yaml"
    link.symlink_to(Path("real") / "spec.yaml")
    write_atomically(link, b"new\n")
    assert link.is_symlink() and os.readlink(link) == str(Path("real") / "spec.yaml")
    assert target.read_bytes() == b"new\n"
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    # the temporary file was made beside the target (same file system), and is gone
    assert names_in(tmp_path / "real") == ["spec.yaml"] and names_in(tmp_path) == ["link.yaml", "real"]


def test_a_chain_of_links_and_a_dangling_link_reach_the_final_target(tmp_path: Path) -> None:
    final = tmp_path / "final.json"
    (tmp_path / "second").symlink_to(final)  # dangling until written
    (tmp_path / "first").symlink_to(tmp_path / "second")
    write_atomically(tmp_path / "first", b"[]")
    assert final.read_bytes() == b"[]"
    assert (tmp_path / "first").is_symlink() and (tmp_path / "second").is_symlink()


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
    assert names_in(tmp_path) == ["spec.yaml"]


def test_ctrl_c_during_the_write_leaves_the_original_and_no_temporary_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "spec.yaml"
    target.write_bytes(b"old\n")

    def interrupted_fsync(descriptor: int) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "fsync", interrupted_fsync)
    with pytest.raises(KeyboardInterrupt):
        write_atomically(target, b"new\n")
    assert target.read_bytes() == b"old\n"
    assert names_in(tmp_path) == ["spec.yaml"]


def test_the_data_is_flushed_to_disk_before_the_rename(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    events: list[str] = []
    real_fsync, real_replace = os.fsync, os.replace

    def fsync(descriptor: int) -> None:
        events.append("fsync")
        real_fsync(descriptor)

    def replace(source: str, destination: str) -> None:
        events.append("replace")
        real_replace(source, destination)

    monkeypatch.setattr(os, "fsync", fsync)
    monkeypatch.setattr(os, "replace", replace)
    write_atomically(tmp_path / "out.txt", b"x")
    assert events == ["fsync", "replace"]


def test_a_missing_directory_is_an_oserror_and_nothing_is_created(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        write_atomically(tmp_path / "no" / "such" / "file", b"x")
    assert names_in(tmp_path) == []
