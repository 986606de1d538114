"""What the gate checks: the stacks of the command line, each with the Checkov configuration that applies.

- our synthesized stacks (`our_stacks.is_our_stack`): the skips shipped with the product,
  `constructs_ab/gate/our_stacks.checkov.yaml`, wherever the gate runs;
- every other stack: `--config FILE` when given, else the nearest `.checkov.yaml`/`.checkov.yml` of the
  path named on the command line (that path itself, then its parents up to the git root), else none.

A configuration file that cannot be read is an input error (exit 2), never silently ignored.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from constructs_ab.gate.config import OUR_STACKS_CONFIG, GateConfig, find_project_config, load_config
from constructs_ab.gate.our_stacks import is_our_stack
from constructs_ab.tfjson.discovery import Stack, discover


@dataclass(frozen=True, kw_only=True)
class GateStack:
    """One stack to check: the stack as discovered, whether it is ours, and its configuration."""

    stack: Stack
    ours: bool
    config: GateConfig

    @property
    def name(self) -> str:
        return self.stack.name

    @property
    def label(self) -> str:
        """The stack as the summary names it: `prod (ours)`, `main.tf.json`."""
        return f"{self.stack.name} (ours)" if self.ours else self.stack.name


def plan_stacks(paths: Sequence[str], *, config_file: Path | None = None) -> tuple[GateStack, ...]:
    """The stacks of `paths` with their configurations; TerraformInputError (or its GateInputError) for
    unusable input or configuration.

    config_file: `--config`, used for every stack that is not ours (it must exist).
    """
    stacks = discover(paths)
    configs: dict[Path | None, GateConfig] = {}

    def config_at(path: Path | None, *, required: bool) -> GateConfig:
        if path not in configs:
            configs[path] = load_config(path, required=required) if path is not None else GateConfig()
        return configs[path]

    override = config_at(config_file, required=True) if config_file is not None else None
    planned = []
    for stack in stacks:
        if is_our_stack(stack):
            planned.append(
                GateStack(stack=stack, ours=True, config=config_at(OUR_STACKS_CONFIG, required=True))
            )
            continue
        config = override
        if config is None:
            found = find_project_config(Path(stack.argument))
            config = config_at(found, required=False)
        planned.append(GateStack(stack=stack, ours=False, config=config))
    return tuple(planned)
