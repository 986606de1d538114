"""A directory tree as data, to assert that a command left it byte-identical."""

from __future__ import annotations

import os
from pathlib import Path


def snapshot_tree(root: Path) -> dict[str, object]:
    """Every entry under `root` (not following symbolic links): file bytes and mode, symbolic link
    targets, directories with their mode; keyed by the path relative to `root`."""
    tree: dict[str, object] = {}
    for directory, subdirectories, files in os.walk(root):
        for name in sorted(subdirectories + files):
            path = Path(directory) / name
            key = str(path.relative_to(root))
            if path.is_symlink():
                tree[key] = ("link", os.readlink(path))
            elif path.is_dir():
                tree[key] = ("dir", path.stat().st_mode)
            else:
                tree[key] = ("file", path.stat().st_mode, path.read_bytes())
    return tree
