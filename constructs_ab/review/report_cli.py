"""`python -m constructs_ab report [PATH ...]`: the routing table of synthesized Terraform JSON, and
with `--request`, where a given request would go.

    python -m constructs_ab report                          # cdktf.out, as text
    python -m constructs_ab report cdktf.out --format markdown
    python -m constructs_ab report --request 'GET /abtest/x' --header 'X-Model-Variant: sentiment-b'

Exit 0 on success, 2 for bad input (missing file, invalid JSON, no listeners, malformed request) with
one line on stderr.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from constructs_ab.cli.kit.entry import fail, run_command
from constructs_ab.cli.kit.exit_codes import ExitCode
from constructs_ab.cli.kit.output_format import REVIEW_FORMATS
from constructs_ab.cli.kit.parser import DEFAULT_TERRAFORM_PATH, prog_of, terraform_reader_parser
from constructs_ab.review.evaluate import Request, evaluate
from constructs_ab.review.reader import ReviewInputError, load_traffic
from constructs_ab.review.report import render_report
from constructs_ab.review.whatif_report import render_whatif

DESCRIPTION = (
    "Print the routing of Application Load Balancer rules in Terraform JSON, or where a request would go "
    "(--request)."
)


def build_parser(prog: str) -> argparse.ArgumentParser:
    parser = terraform_reader_parser(
        prog, DESCRIPTION, what="Terraform JSON files or directories", formats=REVIEW_FORMATS
    )
    whatif = parser.add_argument_group("what-if (evaluate a request against the rules)")
    whatif.add_argument("--request", metavar="'METHOD /path?query'", help="e.g. 'GET /abtest/x'")
    whatif.add_argument(
        "--header",
        action="append",
        default=[],
        metavar="'Name: value'",
        help="a request header; repeat for more",
    )
    whatif.add_argument("--host", help="the Host header (default: none, host conditions do not match)")
    whatif.add_argument(
        "--query", action="append", default=[], metavar="KEY=VALUE", help="a query parameter; repeat for more"
    )
    whatif.add_argument("--source-ip", metavar="IP", help="the client address (default: none)")
    return parser


def main(argv: Sequence[str] | None = None, *, command: str = "report", prog: str | None = None) -> int:
    return run_command(command, lambda: _run(argv, command, prog_of(command, prog)))


def _run(argv: Sequence[str] | None, command: str, prog: str) -> int:
    args = build_parser(prog).parse_args(None if argv is None else list(argv))
    wants_request = args.request is not None
    if not wants_request and (args.header or args.host or args.query or args.source_ip):
        return fail(command, ["--header, --host, --query and --source-ip need --request"])
    try:
        request = (
            Request.parse(
                args.request, headers=args.header, host=args.host, query=args.query, source_ip=args.source_ip
            )
            if wants_request
            else None
        )
        model = load_traffic(args.paths or [DEFAULT_TERRAFORM_PATH])
    except (ReviewInputError, ValueError) as error:
        return fail(command, [str(error)])
    if request is None:
        output = render_report(model, args.format)
    else:
        output = render_whatif(request, evaluate(model, request), args.format)
    sys.stdout.write(output)
    return ExitCode.OK
