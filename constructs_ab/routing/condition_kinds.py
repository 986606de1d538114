"""The kinds of listener rule conditions, one table entry each: everything that differs from one kind to
another, so the code that writes, reads, checks, matches and compares conditions (`conditions`,
`overlap`, `live.api_conditions`, the constructs, the policies) holds no branch on a kind.

For each kind (`KINDS[field]`): its Terraform block and AWS API names, how `describe` labels it, the shape
of its values, how they are read (`value_semantics`: wildcard patterns, exact texts or CIDR blocks), the
part of a request it reads, its AWS limits and whether a rule may hold more than one.

Adding a kind: a `ConditionField` member (its place in the enum is its place in the canonical order)
and its `KINDS` entry here; its spec field in `constructs_ab/spec/match.py`; its length limit in
`constructs_ab/aws_limits.py`; the part of the request it reads in `routing/request.py` if no kind reads
it yet. A kind of a new shape (values that are not a list of texts, a header's or query pairs) needs its
shape's branches too (`conditions`, `overlap`, `live.api_conditions`).

See: https://docs.aws.amazon.com/elasticloadbalancing/latest/application/rule-condition-types.html
"""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass

from constructs_ab import aws_limits
from constructs_ab.routing.request import DEFAULT_METHOD
from constructs_ab.routing.value_semantics import Exact, Networks, ValueSemantics, Wildcards

#: What an HTTP method condition value may contain.
METHOD = re.compile(r"^[A-Z_-]+$")


class ConditionField(enum.StrEnum):
    """The kinds of rule conditions, named as in the AWS API (`Field` of a `RuleCondition`), in the
    canonical order: the order a rule lists its conditions in."""

    PATH_PATTERN = "path-pattern"
    HOST_HEADER = "host-header"
    HTTP_HEADER = "http-header"
    QUERY_STRING = "query-string"
    SOURCE_IP = "source-ip"
    HTTP_REQUEST_METHOD = "http-request-method"


class Shape(enum.Enum):
    """How a kind's values are written."""

    VALUES = "values"  # a list of texts: `{"values": [...]}`
    HEADER = "header"  # a header name and a list of texts
    QUERY = "query"  # key=value pairs, the key optional


@dataclass(frozen=True, kw_only=True)
class ValueFormat:
    """A format a kind's values must have besides their length: `pattern`, else "<value> is not `name`;
    `allowed`"."""

    pattern: re.Pattern[str]
    name: str
    allowed: str


@dataclass(frozen=True, kw_only=True)
class Kind:
    """One kind of condition; its Terraform and AWS API names follow from its `field` (`block`,
    `api_config`).

    field: the kind, as the AWS API names it.
    label: how `describe` names it, e.g. `path /abtest`.
    shape: how its values are written. Default a list of texts.
    values: how its values are read and compared.
    request_part: the attribute of `Request` it reads.
    max_length: characters per value; None for CIDR blocks, which have their own check.
    value_format: a format its values must have besides their length. Default none.
    one_per_rule: whether a rule holds at most one condition of this kind (AWS). Default true: only
        http-header and query-string may repeat.
    """

    field: ConditionField
    label: str
    shape: Shape = Shape.VALUES
    values: ValueSemantics
    request_part: str
    max_length: int | None
    value_format: ValueFormat | None = None
    one_per_rule: bool = True

    @property
    def block(self) -> str:
        """The Terraform block name (aws_lb_listener_rule.condition.<block>), e.g. `path_pattern`."""
        return self.field.value.replace("-", "_")

    @property
    def api_config(self) -> str:
        """The AWS API's `<Kind>Config` key of a `RuleCondition`, e.g. `PathPatternConfig`."""
        return "".join(part.capitalize() for part in self.field.value.split("-")) + "Config"

    @property
    def wildcards(self) -> bool:
        """Whether its values may use * and ? (counted against the per-rule quota)."""
        return isinstance(self.values, Wildcards)


_KINDS = (
    Kind(
        field=ConditionField.PATH_PATTERN,
        label="path",
        values=Wildcards(case_sensitive=True, implicit=("/*",), avoid=("*/", "*//*")),
        request_part="path",
        max_length=aws_limits.MAX_PATH_PATTERN_LENGTH,
    ),
    Kind(
        field=ConditionField.HOST_HEADER,
        label="host",
        values=Wildcards(case_sensitive=False, avoid=(".*", "*.", "*..*")),
        request_part="host",
        max_length=aws_limits.MAX_HOST_HEADER_LENGTH,
    ),
    Kind(
        field=ConditionField.HTTP_HEADER,
        label="header",
        shape=Shape.HEADER,
        values=Wildcards(case_sensitive=False),
        request_part="headers",
        max_length=aws_limits.MAX_HTTP_HEADER_VALUE_LENGTH,
        one_per_rule=False,
    ),
    Kind(
        field=ConditionField.QUERY_STRING,
        label="query",
        shape=Shape.QUERY,
        values=Wildcards(case_sensitive=False),
        request_part="query",
        max_length=aws_limits.MAX_QUERY_STRING_LENGTH,
        one_per_rule=False,
    ),
    Kind(
        field=ConditionField.SOURCE_IP,
        label="source-ip",
        values=Networks(),
        request_part="source_ip",
        max_length=None,
    ),
    Kind(
        field=ConditionField.HTTP_REQUEST_METHOD,
        label="method",
        values=Exact(preferred=DEFAULT_METHOD),
        request_part="method",
        max_length=aws_limits.MAX_HTTP_METHOD_LENGTH,
        value_format=ValueFormat(
            pattern=METHOD, name="a method", allowed="a method is A-Z, - and _, e.g. POST"
        ),
    ),
)
#: Each kind's entry, in the canonical order.
KINDS: dict[ConditionField, Kind] = {kind.field: kind for kind in _KINDS}
#: Each kind's place in the canonical order.
ORDER = {field: index for index, field in enumerate(ConditionField)}
#: The kind of each Terraform block name.
BY_BLOCK = {kind.block: field for field, kind in KINDS.items()}
