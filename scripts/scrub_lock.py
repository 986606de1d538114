"""Remove the package registry address from Pipfile.lock, so that pipenv uses pip's configured index.

`pipenv lock` records the index it resolved against under `_meta.sources` and as `"index"` on each
package; both are cleared here. Run by `make lock`, right after `pipenv lock`.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any


def scrub(lock: dict[str, Any]) -> dict[str, Any]:
    lock["_meta"]["sources"] = []
    for section in ("default", "develop"):
        for package in lock.get(section, {}).values():
            package.pop("index", None)
    return lock


def main(path: str = "Pipfile.lock") -> int:
    lock_path = Path(path)
    lock = scrub(json.loads(lock_path.read_text()))
    lock_path.write_text(json.dumps(lock, indent=4, sort_keys=True) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))
