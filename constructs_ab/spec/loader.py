"""Loading a spec file: YAML to validated, frozen `Spec` objects, or a `SpecError` with every problem.

The file format is shown by `examples/ab-experiments.yaml`: `version: 1` and `environments`, a map from
environment name to its settings, load balancers and experiments.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from constructs_ab.spec import formats
from constructs_ab.spec.build_environment import read_environment
from constructs_ab.spec.errors import SpecError
from constructs_ab.spec.model import Spec
from constructs_ab.spec.paths import FieldPath
from constructs_ab.spec.reader import Fields, Node, Problems, child_of_map, show
from constructs_ab.spec.yaml_source import read_yaml

#: The spec format version this loader reads.
SPEC_VERSION = 1


def load_spec(path: str | Path) -> Spec:
    """The validated spec in the file at `path`.

    Raises OSError when the file cannot be read (or is not UTF-8 text, as UnicodeDecodeError, a ValueError
    turned into a SpecError here), and SpecError with every problem when the spec is invalid.
    """
    raw = Path(path).read_bytes()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        from constructs_ab.spec.errors import Problem

        raise SpecError(
            [
                Problem(
                    path="",
                    message=f"the file is not UTF-8 text ({error.reason} at byte "
                    f"{error.start}); save it as UTF-8",
                )
            ],
            source=str(path),
        ) from None
    return parse_spec(text, source=str(path))


def parse_spec(text: str, source: str = "<spec>") -> Spec:
    """The validated spec in `text`; `source` names it in problem lines (a file name). Raises SpecError."""
    data, problems_found = read_yaml(text)
    problems = Problems(list(problems_found))
    if data is None and problems.items:
        raise SpecError(problems.items, source=source)
    spec = spec_from_data(data, problems)
    if problems.items or spec is None:
        raise SpecError(problems.items, source=source)
    return spec


def spec_from_data(data: Any, problems: Problems) -> Spec | None:
    """The spec in an already parsed YAML tree; every problem is added to `problems`."""
    root = Node(data, FieldPath(), 1)
    if data is None:
        problems.add(root, "the spec is empty; a spec is a map with version: 1 and environments")
        return None
    fields = Fields(
        root,
        problems,
        what="a spec",
        keys=("version", "environments"),
        required={
            "version": f"write version: {SPEC_VERSION} at the top of the spec",
            "environments": "environments maps an environment name (e.g. staging, prod) to its settings",
        },
    )
    if not fields.valid:
        return None
    version = fields.get("version")
    if version is not None and (version.value != SPEC_VERSION or isinstance(version.value, bool)):
        problems.add(
            version,
            f"{show(version.value)} is not a supported version; this tool reads version: {SPEC_VERSION}",
        )
    environments = []
    envs_node = fields.get("environments")
    if envs_node is not None:
        if not isinstance(envs_node.value, Mapping) or not envs_node.value:
            what = "no environment is given" if not envs_node.value else f"{show(envs_node.value)} is given"
            problems.add(
                envs_node,
                f"{what}; environments maps an environment name (e.g. staging, prod) to its settings",
            )
        else:
            for name in envs_node.value:
                node = child_of_map(envs_node, name) if isinstance(name, str) else envs_node
                if not isinstance(name, str) or formats.spec_name(name):
                    problems.add(
                        node,
                        f"the environment name {show(name)} is not a valid name; {formats.SPEC_NAME_ALLOWED}",
                    )
                    continue
                environment = read_environment(node, name, problems)
                if environment is not None:
                    environments.append(environment)
    return Spec(environments=tuple(environments))
