"""How the live reports (status, drift, preflight) open: who read which environment where, and which of
its load balancers were found; in text, markdown and JSON.

    status prod: account 123456789012 (arn:aws:iam::123456789012:user/ci), eu-west-1
    load balancers: prod-public (not found: prod-internal)
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from constructs_ab.cli.kit.output_format import markdown_cell
from constructs_ab.live.aws_session import CallerIdentity


def where_line(command: str, environment: str, identity: CallerIdentity) -> str:
    """`<command> <environment>: <who and where>`, the first line of a text report."""
    return f"{command} {environment}: {identity.describe()}"


def load_balancers_line(
    found: Sequence[str], missing: Sequence[str], *, missing_label: str = "not found"
) -> str:
    """`load balancers: a, b (not found: c)`; `none` when none was found, no parenthesis when none is
    missing. `missing_label`: what a missing one is (preflight: `not deployed yet`)."""
    text = f"load balancers: {', '.join(found) or 'none'}"
    return text + (f" ({missing_label}: {', '.join(missing)})" if missing else "")


def found_load_balancers_line(
    names: Sequence[str], missing: Sequence[str], *, missing_label: str = "not found"
) -> str:
    """`load_balancers_line` of the `names` asked for, those in `missing` listed as missing."""
    found = [name for name in names if name not in missing]
    return load_balancers_line(found, missing, missing_label=missing_label)


def heading_markdown(title: str, environment: str, identity: CallerIdentity, balancers: str) -> list[str]:
    """`# <title>: <environment>`, who and where, and the `balancers` line, as markdown paragraphs."""
    return [
        f"# {title}: {environment}",
        "",
        f"{markdown_cell(identity.describe())}.",
        "",
        markdown_cell(balancers).capitalize() + ".",
    ]


def identity_json(environment: str, identity: CallerIdentity) -> dict[str, Any]:
    """The `environment`, `account`, `caller_arn` and `region` keys a JSON report starts with."""
    return {
        "environment": environment,
        "account": identity.account,
        "caller_arn": identity.arn,
        "region": identity.region,
    }
