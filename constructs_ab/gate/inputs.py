"""Which files the gate checks: Terraform JSON (`*.tf.json`, or any `.json` that is Terraform) and HCL (`*.tf`).

A directory is searched recursively (hidden directories, `node_modules` and `.terraform` are skipped);
in a directory, `.json` files that are not Terraform (cdktf's `manifest.json`) are ignored. A file named
on the command line must be Terraform.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from constructs_ab.gate.errors import GateInputError
from constructs_ab.gate.terraform_json import is_terraform_document, read_json

_SKIPPED_DIRECTORIES = frozenset({"node_modules", ".terraform", "__pycache__"})


@dataclass(frozen=True, kw_only=True)
class GateInputs:
    """The files to check, absolute and sorted: Terraform JSON and HCL."""

    json_files: tuple[Path, ...]
    hcl_files: tuple[Path, ...]

    @property
    def all_files(self) -> tuple[Path, ...]:
        return tuple(sorted(self.json_files + self.hcl_files))


def collect_inputs(paths: list[str]) -> GateInputs:
    """Resolve the command line paths to Terraform files; GateInputError for the first unusable path."""
    json_files: set[Path] = set()
    hcl_files: set[Path] = set()
    for raw in paths:
        path = Path(raw)
        if not path.exists():
            raise GateInputError(f"{raw}: no such file or directory")
        if path.is_dir():
            found_json, found_hcl = _search_directory(path)
            if not found_json and not found_hcl:
                raise GateInputError(f"{raw}: no Terraform files (*.tf, *.tf.json) in this directory")
            json_files.update(found_json)
            hcl_files.update(found_hcl)
        elif path.name.endswith(".tf") or path.name.endswith(".hcl"):
            hcl_files.add(path.resolve())
        elif path.name.endswith(".json"):
            if not is_terraform_document(read_json(path)):
                raise GateInputError(
                    f"{raw}: not a Terraform JSON configuration (expected an object with one of: "
                    "resource, data, provider, terraform, module, variable, output, locals)"
                )
            json_files.add(path.resolve())
        else:
            raise GateInputError(f"{raw}: not a Terraform file (expected *.tf, *.tf.json or a directory)")
    return GateInputs(json_files=tuple(sorted(json_files)), hcl_files=tuple(sorted(hcl_files)))


def _search_directory(directory: Path) -> tuple[set[Path], set[Path]]:
    json_files: set[Path] = set()
    hcl_files: set[Path] = set()
    for root, directories, files in os.walk(directory):
        directories[:] = sorted(
            d for d in directories if not d.startswith(".") and d not in _SKIPPED_DIRECTORIES
        )
        for name in files:
            path = (Path(root) / name).resolve()
            if name.endswith(".tf"):
                hcl_files.add(path)
            elif name.endswith(".tf.json"):
                read_json(path)  # invalid JSON is an input error even inside a directory
                json_files.add(path)
            elif name.endswith(".json") and _is_terraform_file(path):
                json_files.add(path)
    return json_files, hcl_files


def _is_terraform_file(path: Path) -> bool:
    try:
        return is_terraform_document(read_json(path))
    except GateInputError:
        return False  # a non-Terraform .json in a directory is not the gate's input
