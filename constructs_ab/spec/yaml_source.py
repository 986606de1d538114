"""Reading spec text as YAML, keeping line numbers, and turning YAML errors into problems.

The round-trip loader of ruamel.yaml keeps the line of every key and item (`CommentedMap.lc`), so each
problem can name its line. YAML 1.2 rules apply: `off`, `yes` and `no` are text, only `true` and
`false` are booleans. A syntax error and every duplicate key in a map are reported as problems, never
as a traceback.
"""

from __future__ import annotations

from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.constructor import RoundTripConstructor
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.nodes import MappingNode, Node, SequenceNode

from constructs_ab.spec.errors import Problem


class _DuplicateKeyCheckingConstructor(RoundTripConstructor):
    """The round-trip constructor that first lists every duplicate key of the composed document."""

    duplicate_key_problems: list[Problem]

    def construct_document(self, node: Any) -> Any:
        self.duplicate_key_problems = _duplicate_keys(node)
        return super().construct_document(node)


def _yaml() -> YAML:
    yaml = YAML(typ="rt", pure=True)
    yaml.Constructor = _DuplicateKeyCheckingConstructor
    yaml.allow_duplicate_keys = True  # found and reported by `_duplicate_keys`, with every line
    return yaml


def _duplicate_keys(root: Node | None) -> list[Problem]:
    """One problem per repeated key, at the repetition, naming the line of the first one."""
    problems: list[Problem] = []
    seen_nodes: set[int] = set()
    stack: list[tuple[Node, str]] = [(root, "")] if root is not None else []
    while stack:
        node, path = stack.pop()
        if id(node) in seen_nodes:  # an alias: already checked
            continue
        seen_nodes.add(id(node))
        if isinstance(node, MappingNode):
            first_line: dict[str, int] = {}
            for key_node, value_node in node.value:
                key = str(key_node.value) if not isinstance(key_node.value, list) else repr(key_node.value)
                line = key_node.start_mark.line + 1
                child = f"{path}.{key}" if path else key
                if key == "<<":
                    stack.append((value_node, path))
                    continue
                if key in first_line:
                    problems.append(
                        Problem(
                            path=child,
                            message=f"the key {key!r} is repeated (first at line {first_line[key]}); "
                            "a key may appear once per map: keep one and delete the other",
                            line=line,
                        )
                    )
                else:
                    first_line[key] = line
                stack.append((value_node, child))
        elif isinstance(node, SequenceNode):
            for index, item in enumerate(node.value):
                stack.append((item, f"{path}[{index}]"))
    problems.sort(key=lambda p: p.line or 0)
    return problems


def _syntax_problem(error: YAMLError) -> Problem:
    if isinstance(error, MarkedYAMLError):
        mark = error.problem_mark or error.context_mark
        what = "; ".join(part for part in (error.context, error.problem) if part)
        return Problem(
            path="",
            message=f"not valid YAML: {what or error}; fix the syntax at this line",
            line=mark.line + 1 if mark is not None else None,
        )
    return Problem(path="", message=f"not valid YAML: {error}; fix the syntax", line=None)


def read_yaml(text: str) -> tuple[Any, list[Problem]]:
    """The YAML document in `text` (CommentedMap/CommentedSeq with line info) and its syntax problems.

    On a syntax error the document is None and the single problem says where.
    """
    yaml = _yaml()
    try:
        data = yaml.load(text)
        duplicates = getattr(yaml.constructor, "duplicate_key_problems", [])
    except YAMLError as error:
        return None, [_syntax_problem(error)]
    except (ValueError, TypeError, RecursionError) as error:  # e.g. an unhashable complex key
        return None, [Problem(path="", message=f"not a usable YAML document: {error}; fix the syntax")]
    return data, duplicates
