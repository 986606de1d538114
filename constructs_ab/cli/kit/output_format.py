"""The output formats of the commands, and the `--format` option that offers a command its own subset.

Every format has one name everywhere: `text` for a terminal, `markdown` for a pull request comment,
`json` for programs; the gate's summary is `cli` (Checkov's name for it), and the gate also writes
`sarif` (code scanning) and `junit`. A command allows the formats it can write:

    add_format_option(parser, allowed=REVIEW_FORMATS)          # report, diff: text, markdown, json
    args.format                                                 # an OutputFormat
    render_text_markdown_json(args.format, model, report_text, report_markdown, report_json)
"""

from __future__ import annotations

import argparse
import enum
import json
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

T = TypeVar("T")


class OutputFormat(enum.StrEnum):
    """An output format; a `str`, so `OutputFormat.TEXT == "text"`."""

    TEXT = "text"
    MARKDOWN = "markdown"
    JSON = "json"
    CLI = "cli"
    SARIF = "sarif"
    JUNIT = "junit"


#: The report and the traffic diff.
REVIEW_FORMATS = (OutputFormat.TEXT, OutputFormat.MARKDOWN, OutputFormat.JSON)
#: promote, rollback and set-weights.
ROLLOUT_FORMATS = (OutputFormat.TEXT, OutputFormat.MARKDOWN)
#: The policy gate.
GATE_FORMATS = (OutputFormat.CLI, OutputFormat.JSON, OutputFormat.SARIF, OutputFormat.JUNIT)


class _ToOutputFormat(argparse.Action):
    """Stores the chosen value (argparse already checked it against `choices`) as an OutputFormat."""

    def __call__(
        self,
        parser: argparse.ArgumentParser,
        namespace: argparse.Namespace,
        values: str | Sequence[Any] | None,
        option_string: str | None = None,
    ) -> None:
        setattr(namespace, self.dest, OutputFormat(str(values)))


def add_format_option(
    parser: argparse.ArgumentParser,
    *,
    allowed: Sequence[OutputFormat],
    default: OutputFormat | None = None,
    help: str | None = None,  # noqa: A002  (argparse's name)
) -> None:
    """Add `--format {allowed}`; `args.format` is an OutputFormat, `default` (the first allowed one unless
    given) when the option is absent. An unlisted value is a usage error naming the choices."""
    chosen = allowed[0] if default is None else default
    if chosen not in allowed:
        raise ValueError(f"default format {chosen!r} is not among the allowed {list(allowed)}")
    parser.add_argument(
        "--format",
        choices=[output_format.value for output_format in allowed],
        default=chosen,
        action=_ToOutputFormat,
        help=help or f"output format (default: {chosen.value})",
    )


def render_text_markdown_json(
    format: str,  # noqa: A002  (the option's name)
    value: T,
    text: Callable[[T], str],
    markdown: Callable[[T], str],
    json_value: Callable[[T], object],
    *,
    final_newline: bool = True,
) -> str:
    """`value` rendered as `format` asks: `text(value)`, `markdown(value)`, or `json_value(value)` as JSON
    (indented, keys sorted, a final newline unless `final_newline` is False). ValueError naming the
    allowed formats for any other."""
    if format == OutputFormat.TEXT:
        return text(value)
    if format == OutputFormat.MARKDOWN:
        return markdown(value)
    if format == OutputFormat.JSON:
        return json.dumps(json_value(value), indent=2, sort_keys=True) + ("\n" if final_newline else "")
    raise ValueError(f"unknown format {format!r}; allowed: {', '.join(REVIEW_FORMATS)}")


def markdown_cell(text: str | None) -> str:
    """`text` safe in a markdown table cell: each `|` escaped (`\\|`); None is the empty cell."""
    return (text or "").replace("|", "\\|")
