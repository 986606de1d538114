"""Apply a rollout plan to the spec file's text, changing only the values the plan changes.

The file is parsed with ruamel.yaml's round-trip loader, which records where every key and value is
(line and column); the plan's changes become small text edits at those places: a weight's digits are
replaced, a `paused: true` line is inserted under a variant's `weight` or removed, the ramp's `stage` is
replaced or inserted under `candidate`. Everything else (comments, key order, quoting, flow or block
style, indentation, blank lines, line endings) stays byte for byte as it was.

Why not ruamel's dumper: it re-emits the whole document with one indentation setting for the whole file,
normalizes spacing inside flow collections and before comments, so a file written by hand does not
survive a load/dump cycle unchanged. The round-trip tree is still the reference: after editing, the new
text is parsed again and must equal the round-trip tree with the same changes applied, or nothing is
written.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import YAMLError

from constructs_ab.rollout.errors import RolloutError
from constructs_ab.rollout.plan import RolloutPlan

_PLAIN_TOKEN = re.compile(r"[^\s,\]\}#]+")


class PatchError(Exception):
    """The edited text does not mean what the plan says: a bug, never the user's input; nothing is written."""


@dataclass(frozen=True, kw_only=True)
class TextEdit:
    """Replace text[start:end] with `text` (start == end inserts)."""

    start: int
    end: int
    text: str


class _Document:
    """The spec text with offsets of its lines, for turning ruamel (line, column) marks into edits."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.line_starts = [0] + [m.end() for m in re.finditer(r"\n", text)]
        self.newline = "\r\n" if "\r\n" in text else "\n"
        self.edits: list[TextEdit] = []

    def offset(self, line: int, column: int) -> int:
        return self.line_starts[line] + column

    def line_end(self, line: int) -> int:
        """Offset just after the line's newline (or the end of the text on the last line)."""
        return self.line_starts[line + 1] if line + 1 < len(self.line_starts) else len(self.text)

    def token_end(self, start: int) -> int:
        """End of the scalar starting at `start`: a quoted string or a plain token (no spaces)."""
        quote = self.text[start : start + 1]
        if quote == "'":
            match = re.compile(r"'(?:[^']|'')*'").match(self.text, start)
        elif quote == '"':
            match = re.compile(r'"(?:[^"\\]|\\.)*"').match(self.text, start)
        else:
            match = _PLAIN_TOKEN.match(self.text, start)
        if match is None:
            raise PatchError(f"no scalar at offset {start}")
        return match.end()

    def apply(self) -> str:
        text = self.text
        for edit in sorted(self.edits, key=lambda e: e.start, reverse=True):
            text = text[: edit.start] + edit.text + text[edit.end :]
        return text


def _own_key(mapping: CommentedMap, key: str) -> bool:
    """True when `key` is written in this mapping itself (not merged in with `<<: *anchor`)."""
    own = getattr(mapping, "_ok", None)
    return key in mapping and (own is None or key in own)


def _set_scalar(doc: _Document, mapping: CommentedMap, key: str, value: str) -> None:
    line, column = mapping.lc.value(key)
    start = doc.offset(line, column)
    doc.edits.append(TextEdit(start=start, end=doc.token_end(start), text=value))


def _insert_after(doc: _Document, mapping: CommentedMap, after: str, key: str, value: str) -> None:
    """Add `key: value` right after the scalar key `after`: on its own line in a block mapping, as
    `, key: value` in a flow mapping."""
    key_line, key_column = mapping.lc.key(after)
    value_line, value_column = mapping.lc.value(after)
    if mapping.fa.flow_style():
        end = doc.token_end(doc.offset(value_line, value_column))
        doc.edits.append(TextEdit(start=end, end=end, text=f", {key}: {value}"))
        return
    if value_line != key_line:
        raise PatchError(f"{after!r} does not have a one-line value")
    at = doc.line_end(key_line)
    prefix = "" if doc.text[:at].endswith("\n") else doc.newline
    doc.edits.append(
        TextEdit(start=at, end=at, text=f"{prefix}{' ' * key_column}{key}: {value}{doc.newline}")
    )


def _remove_key(doc: _Document, mapping: CommentedMap, key: str, fallback: str) -> bool:
    """Remove `key: value` (its whole line in a block mapping, `, key: value` in a flow mapping).

    When the key shares its line with a sequence dash (`- paused: true`), its value becomes `fallback`
    instead, and False is returned.
    """
    key_line, key_column = mapping.lc.key(key)
    value_line, value_column = mapping.lc.value(key)
    key_start = doc.offset(key_line, key_column)
    value_end = doc.token_end(doc.offset(value_line, value_column))
    if mapping.fa.flow_style():
        before = doc.text[:key_start].rstrip()
        if before.endswith(","):
            doc.edits.append(TextEdit(start=len(before) - 1, end=value_end, text=""))
        else:  # first key of the flow mapping: take the comma after it
            after = re.compile(r"\s*,\s*").match(doc.text, value_end)
            doc.edits.append(TextEdit(start=key_start, end=after.end() if after else value_end, text=""))
        return True
    line_start = doc.offset(key_line, 0)
    if doc.text[line_start:key_start].strip() or value_line != key_line:
        _set_scalar(doc, mapping, key, fallback)
        return False
    doc.edits.append(TextEdit(start=line_start, end=doc.line_end(key_line), text=""))
    return True


def _find_named(items: Any, name: str, what: str) -> CommentedMap:
    if isinstance(items, CommentedSeq):
        for item in items:
            if isinstance(item, CommentedMap) and item.get("name") == name:
                return item
    raise PatchError(f"{what} {name!r} not found in the file")


def _refuse_shared(mapping: CommentedMap, what: str) -> None:
    if mapping.anchor.value is not None:
        raise RolloutError(
            [
                f"{what} is written as a YAML anchor (&{mapping.anchor.value}) that other places may reuse; "
                f"change its weights by hand"
            ]
        )


def _refuse_merged(mapping: CommentedMap, key: str, what: str) -> None:
    if key in mapping and not _own_key(mapping, key):
        raise RolloutError(
            [
                f"{what}: {key!r} comes from a YAML merge key (<<: *anchor) that other places may reuse; "
                "change it by hand"
            ]
        )


def _plain(node: Any) -> Any:
    if isinstance(node, dict):
        return {str(k): _plain(v) for k, v in node.items()}
    if isinstance(node, list):
        return [_plain(v) for v in node]
    return node


def patch_spec_text(text: str, plan: RolloutPlan) -> str:
    """The spec text with the plan applied; raises PatchError if the edit cannot be made faithfully and
    RolloutError when the experiment is written in a way this tool must not edit (YAML anchors)."""
    yaml = YAML(typ="rt")
    try:
        tree = yaml.load(text)
        environment = tree["environments"][plan.environment]
    except (YAMLError, KeyError, TypeError) as error:
        raise PatchError(f"environment {plan.environment!r} not found in the file: {error}") from error
    experiment = _find_named(environment.get("experiments"), plan.experiment, "experiment")
    where = f"experiment {plan.experiment!r} ({plan.environment})"
    _refuse_shared(experiment, where)
    doc = _Document(text)

    for change in plan.variants:
        if not change.changed:
            continue
        variant = _find_named(experiment.get("variants"), change.name, "variant")
        _refuse_shared(variant, f"variant {change.name!r} of {where}")
        for key in ("weight", "paused"):
            _refuse_merged(variant, key, f"variant {change.name!r} of {where}")
        if change.weight_after != change.weight_before:
            if not _own_key(variant, "weight"):
                raise PatchError(f"variant {change.name!r} has no weight in the file")
            _set_scalar(doc, variant, "weight", str(change.weight_after))
            variant["weight"] = change.weight_after
        paused_in_file = bool(variant.get("paused", False))
        if change.paused_after and not paused_in_file:
            if _own_key(variant, "paused"):
                _set_scalar(doc, variant, "paused", "true")
            else:
                _insert_after(doc, variant, "weight", "paused", "true")
            variant["paused"] = True
        elif not change.paused_after and paused_in_file:
            if _remove_key(doc, variant, "paused", fallback="false"):
                del variant["paused"]
            else:
                variant["paused"] = False

    if plan.stage_after != plan.stage_before and plan.stage_after is not None:
        ramp = experiment.get("ramp")
        if not isinstance(ramp, CommentedMap):
            raise PatchError(f"{where} has no ramp mapping in the file")
        _refuse_merged(ramp, "stage", f"the ramp of {where}")
        if _own_key(ramp, "stage"):
            _set_scalar(doc, ramp, "stage", str(plan.stage_after))
        else:
            _insert_after(doc, ramp, "candidate", "stage", str(plan.stage_after))
        ramp["stage"] = plan.stage_after

    new_text = doc.apply()
    try:
        reparsed = YAML(typ="rt").load(new_text)
    except YAMLError as error:
        raise PatchError(f"the edited text does not parse: {error}") from error
    if _plain(reparsed) != _plain(tree):
        raise PatchError("the edited text does not match the intended change")
    return new_text
