"""Replace a file's content all at once: readers see the old file or the new one, never a half-written one.

Used for every file a command writes in place or on request: the spec (promote, rollback, set-weights)
and `gate --output`.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path


def write_atomically(path: str | os.PathLike[str], data: bytes | str) -> None:
    """Write `data` (text is written as UTF-8) to a temporary file in the same directory, flush it to
    disk (fsync), then `os.replace` it over `path`.

    An existing file keeps its permission bits and, where allowed (as root, or a group of the user),
    its owner and group; a new file gets the mode a plain `open()` would give it (0o666 less the umask).
    A symbolic link is followed: its target is replaced (or created) and the link stays. On any error,
    Ctrl-C included, the temporary file is removed and `path` is left as it was. The directory must
    exist. Raises OSError.
    """
    payload = data.encode("utf-8") if isinstance(data, str) else data
    target = Path(os.path.realpath(path))
    try:
        status: os.stat_result | None = target.stat()
    except FileNotFoundError:
        status = None
    descriptor, temporary = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    try:
        with os.fdopen(descriptor, "wb") as stream:
            stream.write(payload)
            stream.flush()
            os.fsync(stream.fileno())
            if status is None:
                os.fchmod(stream.fileno(), 0o666 & ~_umask())
            else:
                os.fchmod(stream.fileno(), status.st_mode & 0o7777)
                if (status.st_uid, status.st_gid) != (os.getuid(), os.getgid()):
                    with contextlib.suppress(PermissionError):
                        os.fchown(stream.fileno(), status.st_uid, status.st_gid)
                    # chown clears set-user-ID and set-group-ID bits: set the mode again
                    with contextlib.suppress(PermissionError):
                        os.fchmod(stream.fileno(), status.st_mode & 0o7777)
        os.replace(temporary, target)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)
        raise


def _umask() -> int:
    """The process's umask (read by setting it and setting it back: there is no other portable way)."""
    current = os.umask(0o022)
    os.umask(current)
    return current
