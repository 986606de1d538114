"""Which Terraform files a command line names, and how they group into stacks (one configuration each).

Files (the same rules for the gate and the review):
- a file named on the command line must be Terraform: `*.tf` or `*.hcl` (HCL), or JSON that is a Terraform
  configuration (`*.tf.json` or any `*.json`);
- a directory is searched recursively. Hidden directories (`.terraform`, `.git`, `.venv`, ...) and the
  folders in `SKIPPED_DIRECTORY_NAMES` are skipped. In a directory, `*.tf` is HCL, `*.tf.json` must be valid
  JSON, and any other `*.json` is read only when it is a Terraform configuration (cdktf's `manifest.json`
  is not). A directory without Terraform files is an input error.

Stacks:
- a cdktf stack file (top-level `stackName` metadata, or a file named `cdk.tf.json`) is one stack, named by
  its `stackName`, else by its folder (`cdktf.out/stacks/prod/cdk.tf.json` -> `prod`);
- the other files of one directory are one stack (Terraform reads a directory as one configuration), named
  by the directory; a file named on the command line is one stack, named by the file (`main.tf.json`);
- names repeated in one run (two `cdktf.out` folders with a `prod` stack each) are qualified by the stack's
  path as given: `prod (a/cdktf.out/stacks/prod)`, `prod (b/cdktf.out/stacks/prod)`.

Paths stay as given on the command line (a relative argument gives relative paths); the same file reached
through two arguments is read once.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path
from typing import Any

from constructs_ab.tfjson.cdktf import STACK_FILE_NAME, stack_name
from constructs_ab.tfjson.errors import TerraformInputError
from constructs_ab.tfjson.files import NOT_TERRAFORM, is_terraform_document, read_json

#: Folders never searched (besides every hidden folder: `.terraform`, `.git`, `.venv`, ...).
SKIPPED_DIRECTORY_NAMES = frozenset({"node_modules", "__pycache__"})
HCL_SUFFIXES = (".tf", ".hcl")  # `.hcl` only when named on the command line


class FileKind(str, Enum):
    JSON = "json"
    HCL = "hcl"


@dataclass(frozen=True, kw_only=True)
class TerraformFile:
    """One input file: its path as given, its kind and, for JSON, the parsed document."""

    path: Path
    kind: FileKind
    document: dict[str, Any] | None = field(default=None, compare=False, repr=False)


@dataclass(frozen=True, kw_only=True)
class Stack:
    """One Terraform configuration of the input.

    name: unique in one discovery (qualified by `location` when the base name repeats).
    base_name: the name before qualification (`prod`).
    location: the stack's folder (or the file, for a file named on the command line), as given.
    argument: the command line path the stack was found under, as given.
    files: the stack's files, sorted.
    cdktf: whether it is a cdktf stack file (one file, with cdktf's metadata or named `cdk.tf.json`).
    """

    name: str
    base_name: str
    location: Path
    argument: str
    files: tuple[TerraformFile, ...]
    cdktf: bool = False

    @property
    def json_files(self) -> tuple[TerraformFile, ...]:
        return tuple(file for file in self.files if file.kind is FileKind.JSON)

    @property
    def documents(self) -> tuple[dict[str, Any], ...]:
        return tuple(file.document for file in self.files if file.document is not None)


def discover(paths: Sequence[str | Path]) -> tuple[Stack, ...]:
    """The stacks of the command line paths, in argument order (then by path); TerraformInputError for the
    first path that is missing, not Terraform, or a directory without Terraform files."""
    seen: set[Path] = set()
    stacks: list[Stack] = []
    for raw in paths:
        argument = str(raw)
        path = Path(raw)
        if not path.exists():
            raise TerraformInputError(f"{argument}: no such file or directory")
        if path.is_dir():
            files = _search_directory(path)
            if not files:
                raise TerraformInputError(
                    f"{argument}: no Terraform files (*.tf, *.tf.json) in this directory"
                )
        else:
            files = [_named_file(path, argument)]
        files = [file for file in files if _first_time(file.path, seen)]
        stacks.extend(_group(files, argument, directory_argument=path.is_dir()))
    return _qualified(stacks)


def _first_time(path: Path, seen: set[Path]) -> bool:
    resolved = path.resolve()
    if resolved in seen:
        return False
    seen.add(resolved)
    return True


def _named_file(path: Path, argument: str) -> TerraformFile:
    if path.name.endswith(HCL_SUFFIXES):
        return TerraformFile(path=path, kind=FileKind.HCL)
    if path.name.endswith(".json"):
        document = read_json(path)
        if not is_terraform_document(document):
            raise TerraformInputError(f"{argument}: {NOT_TERRAFORM}")
        assert isinstance(document, dict)
        return TerraformFile(path=path, kind=FileKind.JSON, document=document)
    raise TerraformInputError(f"{argument}: not a Terraform file (expected *.tf, *.tf.json or a directory)")


def _search_directory(directory: Path) -> list[TerraformFile]:
    found: list[TerraformFile] = []
    for root, directories, names in os.walk(directory):
        directories[:] = sorted(
            name for name in directories if not name.startswith(".") and name not in SKIPPED_DIRECTORY_NAMES
        )
        for name in sorted(names):
            path = Path(root) / name
            if name.endswith(".tf"):
                found.append(TerraformFile(path=path, kind=FileKind.HCL))
            elif name.endswith(".tf.json"):
                # invalid JSON is an input error even inside a directory; JSON that is not Terraform is
                # reported by the reader that needs its content
                document = read_json(path)
                found.append(
                    TerraformFile(
                        path=path,
                        kind=FileKind.JSON,
                        document=document if isinstance(document, dict) else None,
                    )
                )
            elif name.endswith(".json"):
                document = _terraform_or_none(path)
                if document is not None:
                    found.append(TerraformFile(path=path, kind=FileKind.JSON, document=document))
    return found


def _terraform_or_none(path: Path) -> dict[str, Any] | None:
    try:
        document = read_json(path)
    except TerraformInputError:
        return None  # a .json in a directory that is not even JSON is not Terraform input
    return document if isinstance(document, dict) and is_terraform_document(document) else None


def _is_cdktf_stack(file: TerraformFile) -> bool:
    return file.kind is FileKind.JSON and (
        file.path.name == STACK_FILE_NAME
        or (file.document is not None and stack_name(file.document) is not None)
    )


def _group(files: list[TerraformFile], argument: str, *, directory_argument: bool) -> list[Stack]:
    stacks: list[Stack] = []
    by_directory: dict[Path, list[TerraformFile]] = {}
    for file in files:
        if _is_cdktf_stack(file):
            name = (stack_name(file.document) if file.document else None) or file.path.resolve().parent.name
            stacks.append(
                Stack(
                    name=name,
                    base_name=name,
                    location=file.path.parent,
                    argument=argument,
                    files=(file,),
                    cdktf=True,
                )
            )
        elif not directory_argument:
            stacks.append(
                Stack(
                    name=file.path.name,
                    base_name=file.path.name,
                    location=file.path,
                    argument=argument,
                    files=(file,),
                )
            )
        else:
            by_directory.setdefault(file.path.parent, []).append(file)
    for directory, grouped in by_directory.items():
        name = directory.resolve().name
        stacks.append(
            Stack(name=name, base_name=name, location=directory, argument=argument, files=tuple(grouped))
        )
    return sorted(stacks, key=lambda stack: (str(stack.location), stack.name))


def _qualified(stacks: list[Stack]) -> tuple[Stack, ...]:
    counts: dict[str, int] = {}
    for stack in stacks:
        counts[stack.base_name] = counts.get(stack.base_name, 0) + 1
    return tuple(
        Stack(
            name=f"{stack.base_name} ({stack.location})",
            base_name=stack.base_name,
            location=stack.location,
            argument=stack.argument,
            files=stack.files,
            cdktf=stack.cdktf,
        )
        if counts[stack.base_name] > 1
        else stack
        for stack in stacks
    )
