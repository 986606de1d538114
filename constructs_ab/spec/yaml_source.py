"""Reading spec text as YAML, keeping line numbers, and turning YAML errors into problems.

The text is composed into YAML nodes by ruamel.yaml's C parser (its pure Python parser when the C
extension is not installed), then built here into `CommentedMap`/`CommentedSeq` values that carry the
line of every key and item (`.lc`), so each problem can name its line. Building the values here, instead
of ruamel's round-trip loader, keeps loading linear and fast: the round-trip loader gathers comments a
spec does not need and takes about 8 s per MB; this takes well under 1 s per MB.

YAML 1.2 rules apply: `off`, `yes` and `no` are text, only `true` and `false` are booleans. Merge keys
(`<<: *defaults`) and aliases work. Every problem found here stops the reading (the values cannot be
used), and is reported with its line, never as a traceback:

- a syntax error (one problem, where the parser stopped);
- a character a YAML file may not hold (a control character such as U+0001), each line once;
- a value with a YAML tag other than the plain types (`!Ref vpc`, `!Sub ...`, `!!binary ...`): a spec
  holds plain values and nothing would resolve the tag;

Every duplicate key in a map is reported too (naming both lines; the last value is read, so reading goes
on and finds the other problems).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.constructor import SafeConstructor
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode
from ruamel.yaml.resolver import VersionedResolver

from constructs_ab.spec.errors import Problem
from constructs_ab.spec.paths import FieldPath, item_label

_CORE = "tag:yaml.org,2002:"
#: The tags of plain values: what a spec may hold (the YAML 1.2 core schema, and dates, which the reader
#: then reports with a hint to quote them).
_SCALAR_TAGS = frozenset(f"{_CORE}{name}" for name in ("str", "int", "float", "bool", "null", "timestamp"))
_STR_TAG = f"{_CORE}str"
_MAP_TAG = f"{_CORE}map"
_SEQ_TAG = f"{_CORE}seq"
_MERGE_TAG = f"{_CORE}merge"
#: Characters a YAML stream may not hold (YAML 1.2, 5.1): C0 controls but tab, line feed and carriage
#: return; DEL; C1 controls but NEL; surrogates; U+FFFE and U+FFFF.
_NOT_ALLOWED = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\x80-\x84\x86-\x9f\ud800-\udfff\ufffe\uffff]")


class _Yaml12Resolver(VersionedResolver):
    """YAML 1.2 tag resolution whatever the document says (ruamel looks the version up for every scalar)."""

    processing_version = (1, 2)


def _parser(pure: bool) -> YAML:
    yaml = YAML(typ="safe", pure=pure)
    yaml.Resolver = _Yaml12Resolver
    return yaml


def read_yaml(text: str) -> tuple[Any, list[Problem]]:
    """The YAML document in `text` (CommentedMap/CommentedSeq with line info) and its problems.

    When there is any problem the document is None and the problems say where (see the module docstring).
    """
    forbidden = _forbidden_characters(text)
    if forbidden:
        return None, forbidden
    try:
        root = _compose(text)
    except YAMLError as error:
        return None, [_syntax_problem(error)]
    except (ValueError, TypeError, RecursionError) as error:
        return None, [Problem(path="", message=f"not a usable YAML document: {error}; fix the syntax")]
    if root is None:
        return None, []
    builder = _Builder()
    try:
        data = builder.value(root, FieldPath())
    except RecursionError as error:
        return None, [Problem(path="", message=f"not a usable YAML document: {error}; fix the syntax")]
    if builder.problems:
        return None, sorted(builder.problems, key=lambda p: p.line or 0)
    return data, _duplicate_keys(root)


def _compose(text: str) -> Node | None:
    """The node tree of `text`: the C parser's, or the pure parser's when it fails (the pure parser's
    messages and marks are the ones the tests and users see) or is not installed."""
    try:
        node: Node | None = _parser(pure=False).compose(text)
    except YAMLError:
        node = _parser(pure=True).compose(text)  # raises the pure parser's error
    return node


def _forbidden_characters(text: str) -> list[Problem]:
    """One problem per line that holds a character a YAML file may not hold."""
    problems: list[Problem] = []
    last_line = -1
    for found in _NOT_ALLOWED.finditer(text):
        line = text.count("\n", 0, found.start()) + 1
        if line == last_line:
            continue
        last_line = line
        column = found.start() - (text.rfind("\n", 0, found.start()) + 1) + 1
        problems.append(
            Problem(
                path="",
                message=f"the control character U+{ord(found.group()):04X} at column {column} is not allowed "
                "in a YAML file; delete it (or write it as an escape in a double-quoted string, such as \\t)",
                line=line,
            )
        )
    return problems


def _shown_tag(tag: str) -> str:
    return f"!!{tag[len(_CORE) :]}" if tag.startswith(_CORE) else tag


class _Builder:
    """Builds values from nodes: maps and lists with line info, plain scalars; records tag problems."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []
        loader = _parser(pure=True)
        self._scalars: SafeConstructor = loader.constructor  # YAML 1.2 rules, through its resolver
        self._built: dict[int, Any] = {}  # an alias is the same node: built once

    def value(self, node: Node, path: FieldPath) -> Any:
        known = self._built.get(id(node))
        if known is not None:
            return known
        if isinstance(node, MappingNode):
            self._check_tag(node, _MAP_TAG, path, "a map")
            built: Any = self._map(node, path)
        elif isinstance(node, SequenceNode):
            self._check_tag(node, _SEQ_TAG, path, "a list")
            built = self._list(node, path)
        else:
            built = self._scalar(node, path)
        self._built[id(node)] = built
        return built

    def _check_tag(self, node: Node, expected: str, path: FieldPath, what: str) -> None:
        tag = node.tag
        if tag != expected:
            self._tag_problem(node, tag, path, what)

    def _tag_problem(self, node: Node, tag: str | None, path: FieldPath, what: str) -> None:
        self.problems.append(
            Problem(
                path=str(path),
                message=f"{what} tagged {_shown_tag(str(tag))} is not supported; a spec holds plain "
                "values (text, numbers, true/false, lists and maps) and nothing resolves YAML tags such as "
                "!Ref or !Sub: write the value itself",
                line=node.start_mark.line + 1,
            )
        )

    def _scalar(self, node: Node, path: FieldPath) -> Any:
        tag = node.tag
        if tag == _STR_TAG:
            return node.value
        if tag not in _SCALAR_TAGS:
            self._tag_problem(node, tag, path, "a value")
            return node.value
        return self._scalars.construct_object(node, deep=True)

    def _map(self, node: MappingNode, path: FieldPath) -> CommentedMap:
        mapping = CommentedMap()
        merged: list[tuple[Node, Node]] = []
        for key_node, value_node in node.value:
            if key_node.tag == _MERGE_TAG:
                merged.extend(self._merged_pairs(value_node, path))
                continue
            self._put(mapping, key_node, value_node, path, override=True)
        for key_node, value_node in merged:  # explicit keys win; an earlier merged map wins
            self._put(mapping, key_node, value_node, path, override=False)
        return mapping

    def _merged_pairs(self, node: Node, path: FieldPath) -> Iterator[tuple[Node, Node]]:
        sources = node.value if isinstance(node, SequenceNode) else [node]
        for source in sources:
            if isinstance(source, MappingNode):
                yield from source.value
            else:
                self.problems.append(
                    Problem(
                        path=str(path),
                        message="a merge key (<<) takes a map or a list of maps; merge a map (<<: *defaults)",
                        line=source.start_mark.line + 1,
                    )
                )

    def _put(
        self, mapping: CommentedMap, key_node: Node, value_node: Node, path: FieldPath, *, override: bool
    ) -> None:
        key = self.value(key_node, path)
        if isinstance(key, list | dict):  # a key that is a list or map: kept as its text
            key = repr(key)
        if not override and key in mapping:
            return
        mapping[key] = self.value(value_node, path.key(key))
        mapping.lc.add_kv_line_col(
            key,
            [
                key_node.start_mark.line,
                key_node.start_mark.column,
                value_node.start_mark.line,
                value_node.start_mark.column,
            ],
        )

    def _list(self, node: SequenceNode, path: FieldPath) -> CommentedSeq:
        sequence = CommentedSeq()
        for index, item in enumerate(node.value):
            sequence.append(self.value(item, path.index(index, _name_of(item))))
            sequence.lc.add_kv_line_col(index, [item.start_mark.line, item.start_mark.column])
        return sequence


def _name_of(node: Node) -> str | None:
    """The `name` of a list item that is a map, for paths like `experiments[0] (chat)`."""
    if not isinstance(node, MappingNode):
        return None
    for key_node, value_node in node.value:
        if (
            isinstance(key_node, ScalarNode)
            and key_node.value == "name"
            and isinstance(value_node, ScalarNode)
        ):
            return item_label(value_node.value)
    return None


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
