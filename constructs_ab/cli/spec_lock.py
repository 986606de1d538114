"""Edit the spec file in place without losing a concurrent edit: an exclusive lock for the whole
read-validate-write, and a compare-and-swap write.

Every command that edits the spec (`promote`, `rollback`, `set-weights`, and any later one) does:

    with spec_edit(path) as edit:        # waits up to LOCK_WAIT_SECONDS, then SpecBusy
        text = edit.original             # the bytes, read under the lock
        ...                              # parse, validate, build the new bytes
        edit.replace(new_bytes)          # SpecChanged if the file no longer holds edit.original

Two such commands at once run one after the other: the second reads what the first wrote. A command
that cannot get the lock in time fails with `SpecBusy`, and one that finds the file changed under it (by
a program that does not take the lock, such as an editor) fails with `SpecChanged`, both before
writing anything; the commands report either as one line and exit 2.

What is locked: the directory holding the spec (symbolic links resolved), with `fcntl.flock`. Not the
spec file itself, because `write_atomically` replaces it by a new file (inode): a command waiting on the
old file would get its lock after the new file is in place, and hold a lock nobody else takes. Not a
lock file beside the spec either, so no file is ever left beside it (and nothing needs git-ignoring).
The cost is that edits of different specs in one directory also wait for each other, for the few
milliseconds an edit takes. On a file system where `flock` on a directory is not supported (some
network file systems), `spec_edit` fails with `SpecEditError` and nothing is written. Where there is no
`fcntl` (Windows), nothing is locked and only the compare-and-swap check guards an edit.

Ctrl-C is held back while `replace` checks and writes (`interrupts_deferred`), so an interrupted command
has either written its whole edit (`SpecEdit.written`) or nothing.
"""

from __future__ import annotations

import contextlib
import os
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from constructs_ab.cli.interrupts import interrupts_deferred

try:
    import fcntl
except ImportError:  # Windows: no flock; there only the compare-and-swap check protects an edit
    fcntl = None  # type: ignore[assignment]
from constructs_ab.cli.kit.atomic_write import write_atomically
from constructs_ab.spec.loader import read_spec_bytes

#: How long `spec_edit` waits for another command's edit to finish, in seconds.
LOCK_WAIT_SECONDS = 10.0
_POLL_SECONDS = 0.02


class SpecEditError(Exception):
    """The edit cannot be made; the message is one line, and the spec file is untouched."""


class SpecBusy(SpecEditError):
    """Another command held the lock for longer than the wait allowed."""


class SpecChanged(SpecEditError):
    """The spec file's content changed between the read and the write."""


@dataclass(kw_only=True)
class SpecEdit:
    """An edit in progress: `original` holds the bytes read under the lock; `written` turns True once
    `replace` has put the new content in place."""

    path: Path
    original: bytes
    written: bool = False

    def replace(self, data: bytes) -> None:
        """Write `data` over the spec atomically (mode kept, symbolic links followed), if the file still
        holds `original`; else `SpecChanged`. OSError if the write fails (the file is then unchanged)."""
        with interrupts_deferred():
            if self.path.read_bytes() != self.original:
                raise SpecChanged(
                    f"{self.path} changed on disk while this command ran (edited by something that does "
                    "not take the lock, such as an editor); nothing written, run the command again"
                )
            write_atomically(self.path, data)
            self.written = True


@contextlib.contextmanager
def spec_edit(path: Path, *, wait_seconds: float | None = None) -> Iterator[SpecEdit]:
    """Lock the spec at `path` for an edit and read it; yield the `SpecEdit`; unlock on leaving.

    Raises OSError if the spec cannot be read (before anything is locked), `SpecBusy` after waiting
    `wait_seconds` (default `LOCK_WAIT_SECONDS`; 0: a single try) and `SpecEditError` if the lock cannot
    be taken at all."""
    wait_seconds = LOCK_WAIT_SECONDS if wait_seconds is None else wait_seconds
    directory = Path(os.path.realpath(path)).parent
    path.stat()  # a missing or unreadable spec is reported as such, not as a locking problem
    if fcntl is None:
        yield SpecEdit(path=path, original=read_spec_bytes(path))
        return
    try:
        descriptor = os.open(directory, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
    except OSError as error:
        raise SpecEditError(f"cannot lock {path}: cannot open {directory}: {error.strerror}") from error
    try:
        _lock(descriptor, path, directory, wait_seconds)
        yield SpecEdit(path=path, original=read_spec_bytes(path))
    finally:
        os.close(descriptor)  # releases the lock


def _lock(descriptor: int, path: Path, directory: Path, wait_seconds: float) -> None:
    deadline = time.monotonic() + wait_seconds
    while True:
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return
        except BlockingIOError:
            if time.monotonic() >= deadline:
                raise SpecBusy(
                    f"another command is editing {path} (it has held the lock on {directory} for over "
                    f"{wait_seconds:g} s); nothing written, run the command again when it is done"
                ) from None
            time.sleep(_POLL_SECONDS)
        except OSError as error:
            raise SpecEditError(
                f"cannot lock {path}: flock on {directory} failed ({error.strerror}); nothing written"
            ) from error
