"""Write a synthesis into a directory all at once, keeping what Terraform put in the previous output.

`staged_output(target)` first checks that `target` may be replaced (`output_target.check_target`:
a new or empty directory, or a previous synth output; anything else raises `OutputRefused` before
anything is written). The new output is then written into a staging directory beside it,
`.<name>.synth-staging-*` (same file system), and put in place only when complete:

1. Everything of the previous output that synth did not write moves into the new output (a rename,
   no copy, so provider binaries cost nothing): per stack present in both, `.terraform/`,
   `.terraform.lock.hcl`, state and plan files; a stack directory whose environment left the spec but
   that holds anything synth did not write (state, `.terraform/`) is kept whole, listed in
   `manifest.json` (so the cdktf CLI, which deletes stack directories missing from it, keeps it too)
   and reported in `Staging.kept`; other top-level entries of a marked output move along too.
2. Two renames swap the directories: the previous output becomes `.<name>.synth-retired-*`, holding
   only what synth wrote, and is deleted.

Until step 1 the previous output is untouched; steps 1 and 2 run with Ctrl-C held back
(`interrupts_deferred`), and a failure in them moves everything back. A run killed part-way leaves
staging or retired directories; the next run deletes them if they hold only synth's files, and
otherwise leaves them in place and says so. Runs into the same directory wait for each other through
`.<name>.synth-lock` beside it (a lock file, never deleted: deleting it would break the lock).
"""

from __future__ import annotations

import contextlib
import glob
import json
import os
import shutil
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from constructs_ab.cli.interrupts import interrupts_deferred

try:
    import fcntl
except ImportError:  # Windows: no flock; runs into one directory are then not kept apart
    fcntl = None  # type: ignore[assignment]
from constructs_ab.cli.output_target import (
    MANIFEST_FILE,
    MARKER_FILE,
    STACKS_DIRECTORY,
    SYNTH_STACK_ENTRIES,
    SYNTH_TOP_LEVEL_ENTRIES,
    OutputRefused,
    check_target,
    foreign_stack_entries,
    holds_only_synth_output,
    marker_text,
)

STAGING_INFIX = ".synth-staging-"
RETIRED_INFIX = ".synth-retired-"
LOCK_SUFFIX = ".synth-lock"


@dataclass(frozen=True, kw_only=True)
class KeptStack:
    """A stack directory of the previous output whose environment is gone from the spec, kept because it
    holds `entries` synth did not write; `has_state`: among them Terraform state or `.terraform/`."""

    name: str
    entries: tuple[str, ...]
    has_state: bool


@dataclass(kw_only=True)
class Staging:
    """The directory to write the new output into, and what became of it.

    `target`: the directory being replaced (symbolic links resolved); `replaced`: the new output is in
    place; `kept`: stacks kept from the previous output (see `KeptStack`); `stack_records`: what the
    marker records of each stack written (see `synth_reuse`), set by the caller before the block ends."""

    path: Path
    target: Path
    replaced: bool = False
    kept: list[KeptStack] = field(default_factory=list)
    stack_records: dict[str, dict[str, str]] = field(default_factory=dict)


@dataclass(frozen=True)
class _Move:
    source: Path
    destination: Path


@contextlib.contextmanager
def staged_output(target: Path, *, note: Callable[[str], None] = print) -> Iterator[Staging]:
    """Yield a `Staging` whose empty `path` receives the new output; on success it replaces `target`.

    Raises `OutputRefused` (nothing written) if `target` is not replaceable. If the block raises, the
    staging directory is removed and `target` is left untouched. `note` receives one line per leftover
    of a killed run that could not be removed."""
    directory = check_target(target)
    directory.parent.mkdir(parents=True, exist_ok=True)
    with _exclusive_lock(directory.parent / f".{directory.name}{LOCK_SUFFIX}"):
        directory = check_target(target)  # again: another run may have changed it while we waited
        _remove_leftovers(directory, note)
        staging = Staging(
            path=Path(tempfile.mkdtemp(prefix=f".{directory.name}{STAGING_INFIX}", dir=directory.parent)),
            target=directory,
        )
        try:
            yield staging
            (staging.path / MARKER_FILE).write_text(marker_text(staging.stack_records), encoding="utf-8")
            retired = _put_in_place(staging, target, note)
        except BaseException:
            if not staging.replaced and staging.path.is_dir() and holds_only_synth_output(staging.path):
                shutil.rmtree(staging.path, ignore_errors=True)
            raise
        if retired is not None:
            _delete_leftover(retired, directory, note)


def _put_in_place(staging: Staging, user_path: Path, note: Callable[[str], None]) -> Path | None:
    """Carry the previous output's other files over and swap; the retired directory, if any."""
    new, old = staging.path, staging.target
    with interrupts_deferred():
        moves, kept = _plan_carry_over(old, new, user_path)
        done: list[_Move] = []
        try:
            for move in moves:
                move.destination.parent.mkdir(parents=True, exist_ok=True)
                os.rename(move.source, move.destination)
                done.append(move)
            if kept:
                _list_in_manifest(new, old, [stack.name for stack in kept])
            new.chmod(0o755)
            retired = None
            if old.exists():
                retired = Path(tempfile.mkdtemp(prefix=f".{old.name}{RETIRED_INFIX}", dir=old.parent))
                retired.rmdir()
                os.rename(old, retired)
                try:
                    os.rename(new, old)
                except BaseException:
                    os.rename(retired, old)
                    raise
            else:
                os.rename(new, old)
        except BaseException:
            for move in reversed(done):
                try:
                    os.rename(move.destination, move.source)
                except OSError as error:
                    note(f"could not move {move.destination} back to {move.source}: {error.strerror}")
            raise
        staging.replaced = True
        staging.kept = kept
        return retired


def _plan_carry_over(old: Path, new: Path, user_path: Path) -> tuple[list[_Move], list[KeptStack]]:
    """What moves from the previous output `old` into the new one `new`; checks only, moves nothing."""
    if not old.is_dir():
        return [], []
    moves = [_Move(old / name, new / name) for name in sorted(os.listdir(old))]
    moves = [move for move in moves if move.source.name not in SYNTH_TOP_LEVEL_ENTRIES]
    kept: list[KeptStack] = []
    old_stacks, new_stacks = old / STACKS_DIRECTORY, new / STACKS_DIRECTORY
    if old_stacks.is_dir():
        for stack in sorted(old_stacks.iterdir()):
            new_stack = new_stacks / stack.name
            is_stack_directory = stack.is_dir() and not stack.is_symlink()
            if is_stack_directory and new_stack.is_dir():
                moves += [
                    _Move(entry, new_stack / entry.name)
                    for entry in sorted(stack.iterdir())
                    if entry.name not in SYNTH_STACK_ENTRIES
                ]
            elif not is_stack_directory:
                moves.append(_Move(stack, new_stack))  # not synth's: it stays
            elif entries := foreign_stack_entries(stack):
                moves.append(_Move(stack, new_stack))
                has_state = any(name == ".terraform" or ".tfstate" in name for name in entries)
                kept.append(KeptStack(name=stack.name, entries=tuple(entries), has_state=has_state))
    for move in moves:
        if move.destination.exists() or move.destination.is_symlink():
            where = move.source.relative_to(old)
            raise OutputRefused(user_path, f"{where} is not synth's, and the new output writes that path")
    return moves, kept


def _list_in_manifest(new: Path, old: Path, names: list[str]) -> None:
    """Add the kept stacks to the new output's cdktf manifest, with their previous entries if any."""
    manifest = json.loads((new / MANIFEST_FILE).read_text(encoding="utf-8"))
    try:
        previous = json.loads((old / MANIFEST_FILE).read_text(encoding="utf-8")).get("stacks", {})
    except (OSError, ValueError, AttributeError):
        previous = {}
    for name in names:
        stack_path = f"{STACKS_DIRECTORY}/{name}"
        entry = previous.get(name) if isinstance(previous, dict) else None
        manifest["stacks"][name] = entry or {
            "annotations": [],
            "constructPath": name,
            "dependencies": [],
            "name": name,
            "stackMetadataPath": f"{stack_path}/metadata.json",
            "synthesizedStackPath": f"{stack_path}/cdk.tf.json",
            "workingDirectory": stack_path,
        }
    (new / MANIFEST_FILE).write_text(json.dumps(manifest, indent=2, sort_keys=True) + "\n", encoding="utf-8")


def _remove_leftovers(directory: Path, note: Callable[[str], None]) -> None:
    """Delete staging and retired directories a killed run left beside `directory`, if only synth's."""
    for infix in (STAGING_INFIX, RETIRED_INFIX):
        pattern = os.path.join(glob.escape(str(directory.parent)), f".{glob.escape(directory.name)}{infix}*")
        for leftover in sorted(Path(name) for name in glob.glob(pattern)):
            if not leftover.is_symlink() and leftover.is_dir():
                _delete_leftover(leftover, directory, note)


def _delete_leftover(leftover: Path, directory: Path, note: Callable[[str], None]) -> None:
    if holds_only_synth_output(leftover):
        shutil.rmtree(leftover, ignore_errors=True)
    else:
        note(
            f"left {leftover} in place: a synth into {directory} stopped part-way and it holds files "
            f"synth did not write; move them back into {directory}, then delete it"
        )


@contextlib.contextmanager
def _exclusive_lock(lock_file: Path) -> Iterator[None]:
    """Hold an exclusive `flock` on `lock_file` (created if missing), waiting as long as it takes."""
    if fcntl is None:
        yield
        return
    descriptor = os.open(lock_file, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX)
        yield
    finally:
        os.close(descriptor)
