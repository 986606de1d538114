"""The gate's units of work: the stacks that one Checkov run checks together.

Checkov links a reference only to a block in the same folder (`_find_vertex_index_relative_to_path`), so
stacks in different folders never see each other, and each can be checked by a Checkov run of its own: in
a worker process of its own, or not at all when the result cache holds its result. Stacks that share a
folder (two files of one folder named on the command line) are one configuration to Terraform and to
Checkov, so they stay in one unit.

Units keep the order of the stacks (the order of the command line), so the merged report does too.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from constructs_ab.gate.plan import GateStack


@dataclass(frozen=True, kw_only=True)
class CheckUnit:
    """Stacks checked by one Checkov run.

    stacks: in command line order.
    files: the absolute paths of their files, sorted (what Checkov is given).
    """

    stacks: tuple[GateStack, ...]
    files: tuple[str, ...]

    @property
    def label(self) -> str:
        return ", ".join(stack.label for stack in self.stacks)

    def size(self) -> int:
        """Bytes of input: the larger units start first when they run in parallel."""
        total = 0
        for file in self.files:
            try:
                total += os.path.getsize(file)
            except OSError:
                pass
        return total


def absolute_file(path: Path) -> str:
    """A file as the gate names it to Checkov (absolute, symbolic links resolved)."""
    return str(path.resolve())


def group_units(stacks: tuple[GateStack, ...]) -> tuple[CheckUnit, ...]:
    """The units of `stacks`: one per stack, except that stacks sharing a folder share a unit."""
    unit_of_folder: dict[str, int] = {}
    members: list[list[GateStack]] = []
    for stack in stacks:
        folders = {os.path.dirname(absolute_file(file.path)) for file in stack.stack.files}
        joined = sorted({unit_of_folder[folder] for folder in folders if folder in unit_of_folder})
        if not joined:
            index = len(members)
            members.append([stack])
        else:
            index = joined[0]
            members[index].append(stack)
            for other in joined[1:]:  # a stack bridging two earlier units merges them
                members[index].extend(members[other])
                members[other] = []
                for folder, unit in unit_of_folder.items():
                    if unit == other:
                        unit_of_folder[folder] = index
        for folder in folders:
            unit_of_folder[folder] = index
    order = {id(stack): position for position, stack in enumerate(stacks)}
    units = []
    for group in members:
        if group:
            ordered = tuple(sorted(group, key=lambda stack: order[id(stack)]))
            files = sorted({absolute_file(file.path) for stack in ordered for file in stack.stack.files})
            units.append(CheckUnit(stacks=ordered, files=tuple(files)))
    return tuple(units)
