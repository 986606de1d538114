"""The gate's result cache: one unit's Checkov report, kept under a key of everything that decides it.

A unit (one stack, usually) whose inputs did not change since a run that checked it costs a file read
instead of a Checkov run. The key is a SHA-256 of:

- each file of the unit: its absolute path and its bytes (file paths are part of the results);
- the folder the results' paths are relative to (`root`, see `checkov_run.py`) and the current directory
  (Checkov's `repo_file_path` is relative to it);
- the policies: every file under the policies folder, by relative name and content;
- the rule quota (`--rules-quota`) and the Checkov settings read from the environment (`CHECKOV_*`,
  `CKV_*`, `RENDER_*` and a few more);
- the versions of Python, Checkov and the libraries that decide its results (asteval, HCL parser, dpath,
  graph libraries, cloudsplaining, policy_sentry);
- the gate's own code: every `.py` file of the `constructs_ab` package (the gate, the Terraform JSON
  reader and the routing model the policies import);
- `CACHE_FORMAT`, bumped when what is stored changes.

Each stack's Checkov configuration (its skips) is not part of the key: the cache holds the results before
the configuration is applied, and the gate applies it afterwards, every run.

Where: `$AB_GATE_CACHE_DIR` when set; else `.cache/ab-models/gate/` in the project, the folder of the
nearest `pyproject.toml` with a `[tool.ab-models]` table (this repository git-ignores `.cache/`, and
`make clean` deletes it); else `ab-models/gate/` in the user's cache folder (`$XDG_CACHE_HOME`, by default
`~/.cache`). `--no-cache` bypasses it (no read, no write). Entries are pickled Checkov reports (the cache
is trusted like the rest of the project folder; a file that does not load is a miss and is removed).
Writes go through a temporary file and a rename, so concurrent runs never read half an entry; the folder
is kept under `max_bytes` (default 256 MiB) by removing the least recently used entries.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Any

from constructs_ab.gate.units import CheckUnit

CACHE_FORMAT = 1
CACHE_DIRECTORY_ENVIRONMENT = "AB_GATE_CACHE_DIR"
PACKAGE_ROOT = Path(__file__).resolve().parents[1]
#: Below the project folder, or below the user's cache folder without the `.cache/` part.
PROJECT_CACHE_FOLDER = Path(".cache") / "ab-models" / "gate"
DEFAULT_MAX_BYTES = 256 * 1024 * 1024
#: Distributions whose version is part of the key (Checkov and what decides its results).
DISTRIBUTIONS = (
    "checkov",
    "asteval",
    "bc-python-hcl2",
    "dpath",
    "lark",
    "rustworkx",
    "networkx",
    "bc-jsonpath-ng",
    "pyyaml",
    "cloudsplaining",
    "policy_sentry",
)
#: Environment variables Checkov reads that can change its results: these prefixes and names.
ENVIRONMENT_PREFIXES = ("CHECKOV_", "CKV_", "RENDER_")
ENVIRONMENT_NAMES = (
    "TF_SPLIT_GRAPH",
    "RAW_TF_IN_GRAPH",
    "CREATE_COMPLEX_VERTICES",
    "CREATE_EDGES",
    "ENABLE_DEFINITION_KEY",
    "EVAL_TF_PLAN_AFTER_UNKNOWN",
    "MAX_WILDCARD_ARR_SIZE",
    "HCL_PARSE_TIMEOUT_SEC",
    "EXTERNAL_MODULES_DIR",
    "LOG_LEVEL",
)
_SUFFIX = ".pickle"
_STALE_TEMPORARY_SECONDS = 3600


def default_cache_directory(start: Path | None = None) -> Path:
    """`$AB_GATE_CACHE_DIR`, else `.cache/ab-models/gate/` in the project of `start` (default: the current
    directory), else `ab-models/gate/` in the user's cache folder."""
    configured = os.environ.get(CACHE_DIRECTORY_ENVIRONMENT)
    if configured:
        return Path(configured)
    from constructs_ab.cli.project_setting import ProjectSettingError, find_project_setting

    try:
        setting = find_project_setting(start)
    except ProjectSettingError:
        setting = None  # the commands that read the spec report it; the cache just goes elsewhere
    if setting is not None:
        return setting.file.parent / PROJECT_CACHE_FOLDER
    user_cache = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(user_cache) / PROJECT_CACHE_FOLDER.relative_to(".cache")


@dataclass(frozen=True, kw_only=True)
class RunFingerprint:
    """What every unit's key shares in one gate run (see the module docstring)."""

    digest: str

    @classmethod
    def of(
        cls, *, root: str, policies_directory: Path, rules_per_load_balancer: int | None
    ) -> RunFingerprint:
        hasher = hashlib.sha256()
        _add(hasher, "format", CACHE_FORMAT, "python", sys.version)
        _add(hasher, "sources", _take_prepared(policies_directory) or _sources_digest(policies_directory))
        _add(hasher, "root", root, "cwd", os.getcwd(), "quota", rules_per_load_balancer)
        for name in sorted(os.environ):
            if name.startswith(ENVIRONMENT_PREFIXES) or name in ENVIRONMENT_NAMES:
                _add(hasher, "env", name, os.environ[name])
        return cls(digest=hasher.hexdigest())


def _add(hasher: Any, *parts: object) -> None:
    for part in parts:
        data = part if isinstance(part, bytes) else str(part).encode("utf-8", "surrogateescape")
        hasher.update(len(data).to_bytes(8, "big"))
        hasher.update(data)


def _sources_digest(policies_directory: Path) -> str:
    """SHA-256 of the versions of the distributions, the files of the policies and the gate's code."""
    hasher = hashlib.sha256()
    for name in DISTRIBUTIONS:
        try:
            _add(hasher, name, metadata.version(name))
        except metadata.PackageNotFoundError:
            _add(hasher, name, "-")
    for label, folder in (("policies", policies_directory.resolve()), ("code", PACKAGE_ROOT)):
        _add(hasher, label)
        for path in _source_files(folder, python_only=label == "code"):
            _add(hasher, path.relative_to(folder).as_posix(), path.read_bytes())
    return hasher.hexdigest()


_prepared: dict[Path, str] = {}


def prepare_sources(policies_directory: Path) -> None:
    """Hash the sources now, for the next `RunFingerprint.of` with this policies folder (and only that
    one). The prepared gate does it while the synth runs, when it has just loaded those policies and
    imported that code: the key then describes what the run uses, and costs nothing after the synth."""
    _prepared[policies_directory.resolve()] = _sources_digest(policies_directory)


def _take_prepared(policies_directory: Path) -> str | None:
    return _prepared.pop(policies_directory.resolve(), None)


def _source_files(folder: Path, *, python_only: bool) -> list[Path]:
    found = []
    for directory, subdirectories, files in os.walk(folder):
        subdirectories[:] = sorted(d for d in subdirectories if d != "__pycache__" and not d.startswith("."))
        for name in sorted(files):
            if name.endswith(".pyc") or (python_only and not name.endswith(".py")):
                continue
            found.append(Path(directory) / name)
    return found


def file_digests(unit: CheckUnit) -> tuple[str, ...]:
    """SHA-256 of each file of `unit` (in `unit.files` order); OSError when one cannot be read."""
    return tuple(hashlib.sha256(Path(file).read_bytes()).hexdigest() for file in unit.files)


def unit_key(fingerprint: RunFingerprint, unit: CheckUnit, digests: Sequence[str]) -> str:
    hasher = hashlib.sha256(fingerprint.digest.encode())
    for file, digest in zip(unit.files, digests, strict=True):
        hasher.update(f"\0{file}\0{digest}".encode("utf-8", "surrogateescape"))
    return hasher.hexdigest()


class ResultCache:
    """Reports by key in `directory` (created when first written), at most about `max_bytes` of them."""

    def __init__(self, directory: Path, *, max_bytes: int = DEFAULT_MAX_BYTES) -> None:
        self.directory = directory
        self.max_bytes = max_bytes

    def _path(self, key: str) -> Path:
        return self.directory / f"{key}{_SUFFIX}"

    def load(self, key: str) -> Any | None:
        """The report stored under `key`, or None (absent, unreadable or damaged: then removed)."""
        path = self._path(key)
        try:
            with open(path, "rb") as stream:
                report = pickle.load(stream)
        except FileNotFoundError:
            return None
        except Exception:  # a damaged or foreign file: a miss, and out of the way
            _remove(path)
            return None
        try:
            os.utime(path)  # recently used: kept longest
        except OSError:
            pass
        return report

    def store(self, key: str, report: Any) -> None:
        """Keep `report` under `key`; a cache that cannot be written is skipped silently (it is an
        optimization, never a reason for the gate to fail)."""
        try:
            self.directory.mkdir(parents=True, exist_ok=True, mode=0o700)
            descriptor, temporary = tempfile.mkstemp(
                prefix=f".{key[:16]}-", suffix=".tmp", dir=self.directory
            )
            try:
                with os.fdopen(descriptor, "wb") as stream:
                    pickle.dump(report, stream, protocol=pickle.HIGHEST_PROTOCOL)
                os.replace(temporary, self._path(key))
            except BaseException:
                _remove(Path(temporary))
                raise
            self.prune()
        except (OSError, pickle.PicklingError):
            return

    def prune(self) -> None:
        """Remove the least recently used entries until the folder holds at most 80% of `max_bytes`, when
        it holds more than `max_bytes`; and temporary files left by runs that were killed."""
        entries = []
        total = 0
        now = time.time()
        try:
            names = os.listdir(self.directory)
        except OSError:
            return
        for name in names:
            path = self.directory / name
            try:
                status = path.stat()
            except OSError:
                continue
            if name.endswith(".tmp"):
                if now - status.st_mtime > _STALE_TEMPORARY_SECONDS:
                    _remove(path)
                continue
            if name.endswith(_SUFFIX):
                entries.append((status.st_mtime, status.st_size, path))
                total += status.st_size
        if total <= self.max_bytes:
            return
        for _, size, path in sorted(entries):
            if total <= self.max_bytes * 0.8:
                break
            _remove(path)
            total -= size


def _remove(path: Path) -> None:
    try:
        path.unlink()
    except OSError:
        pass
