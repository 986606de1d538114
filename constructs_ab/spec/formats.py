"""Formats of names and AWS identifiers in a spec, each a check returning what is wrong (or None).

A check returns a phrase that follows the value in a message (`"Vpc-1" is not a VPC id`), and the caller
adds what is allowed. Limits come from `constructs_ab.aws_limits`.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Callable

from constructs_ab import aws_limits, tagging

#: Names in the spec (environments, load balancers, experiments, variants).
SPEC_NAME = re.compile(r"^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$")
SPEC_NAME_ALLOWED = "a name is lowercase letters, digits and hyphens, not starting or ending with a hyphen"

AWS_NAME = re.compile(aws_limits.NAME_PATTERN)
REGION = re.compile(r"^[a-z]{2}(?:-[a-z]+)+-\d{1,2}$")


def _resource_id(prefix: str) -> re.Pattern[str]:
    """An EC2 resource id: `<prefix>-` then 8 or 17 lowercase hexadecimal digits, e.g. `vpc-0a1b2c3d`."""
    return re.compile(rf"^{prefix}-(?:[0-9a-f]{{8}}|[0-9a-f]{{17}})$")


VPC_ID = _resource_id("vpc")
SUBNET_ID = _resource_id("subnet")
INSTANCE_ID = _resource_id("i")
PREFIX_LIST_ID = _resource_id("pl")
SECURITY_GROUP_ID = _resource_id("sg")
ACM_CERTIFICATE_ARN = re.compile(
    r"^arn:(?P<partition>aws(?:-cn|-us-gov)?):acm:(?P<region>[a-z]{2}(?:-[a-z]+)+-\d{1,2}):"
    r"(?P<account>\d{12}):certificate/"
    r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$"
)
S3_BUCKET = re.compile(r"^[a-z0-9](?:[a-z0-9.-]{1,61})[a-z0-9]$")
DYNAMODB_TABLE = re.compile(r"^[A-Za-z0-9_.-]{3,255}$")
TAG_TEXT = re.compile(aws_limits.TAG_VALUE_PATTERN)
#: Model ids and versions end up in tags (`model` = `<id>:<version>`, space-separated in split rules).
MODEL_PART = re.compile(r"^[A-Za-z0-9._/+=@-]+$")
#: RFC 9110 token characters: what an HTTP header name may contain.
HEADER_NAME = re.compile(r"^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$")
HTTP_METHOD = re.compile(r"^[A-Z_-]+$")
PATH_PATTERN_CHARS = re.compile(r"^[A-Za-z0-9_\-.$/~\"'@:+&*?]+$")
HOST_PATTERN = re.compile(r"^[A-Za-z0-9\-.*?]+$")
MATCHER = re.compile(r"^(?:\d{3}(?:,\d{3})*|\d{3}-\d{3})$")
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[A-Za-z]{2,}$")
DURATION = re.compile(r"^(?P<amount>\d+)\s*(?P<unit>[smhd])$")
DURATION_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
#: Tag keys the constructs set themselves; a spec's `tags` may not override them.
RESERVED_TAG_KEYS = tagging.CONTRACT_TAG_KEYS


def spec_name(value: str) -> str | None:
    return None if SPEC_NAME.match(value) else "is not a valid name"


def region(value: str) -> str | None:
    return None if REGION.match(value) else "is not an AWS region"


def vpc_id(value: str) -> str | None:
    return None if VPC_ID.match(value) else "is not a VPC id"


def subnet_id(value: str) -> str | None:
    return None if SUBNET_ID.match(value) else "is not a subnet id"


#: The partition of the Regions whose names start with a prefix; every other Region is in `aws`.
PARTITION_OF_REGION_PREFIX = {"cn-": "aws-cn", "us-gov-": "aws-us-gov"}


def partition_of(region: str) -> str:
    """The AWS partition a Region is in: `aws-cn` for cn-*, `aws-us-gov` for us-gov-*, else `aws`."""
    return next((p for prefix, p in PARTITION_OF_REGION_PREFIX.items() if region.startswith(prefix)), "aws")


def certificate_arn(value: str) -> str | None:
    return None if ACM_CERTIFICATE_ARN.match(value) else "is not an ACM certificate ARN"


def s3_bucket(value: str) -> str | None:
    if not S3_BUCKET.match(value) or ".." in value:
        return "is not an S3 bucket name"
    return None


def dynamodb_table(value: str) -> str | None:
    return None if DYNAMODB_TABLE.match(value) else "is not a DynamoDB table name"


def tag_text(limit: int) -> Callable[[str], str | None]:
    def check(value: str) -> str | None:
        if len(value) > limit:
            return f"is {len(value)} characters long"
        return None if TAG_TEXT.match(value) else "has a character not allowed in a tag"

    return check


def model_part(value: str) -> str | None:
    if len(value) > aws_limits.MAX_TAG_VALUE_LENGTH // 2:
        return f"is {len(value)} characters long"
    return None if MODEL_PART.match(value) else "has a character that is not allowed"


def header_name(value: str) -> str | None:
    if len(value) > aws_limits.MAX_HTTP_HEADER_NAME_LENGTH:
        return f"is {len(value)} characters long"
    return None if HEADER_NAME.match(value) else "is not a valid HTTP header name"


#: An override header other than the default is written in the split rule's `ab-override-header` tag, so
#: it may use only the header name characters a tag value can hold.
OVERRIDE_HEADER = re.compile(r"^[A-Za-z0-9_.+-]+$")


def override_header(value: str) -> str | None:
    """A header name that can also be a tag value (see `OVERRIDE_HEADER`)."""
    wrong = header_name(value)
    if wrong is not None:
        return wrong
    return None if OVERRIDE_HEADER.match(value) else "has a character a tag value cannot hold"


def printable(limit: int, what: str) -> Callable[[str], str | None]:
    def check(value: str) -> str | None:
        if len(value) > limit:
            return f"is {len(value)} characters long"
        if not value.isprintable() or not value.isascii():
            return f"is not a valid {what}"
        return None

    return check


def path_pattern(value: str) -> str | None:
    if len(value) > aws_limits.MAX_PATH_PATTERN_LENGTH:
        return f"is {len(value)} characters long"
    if not value.startswith("/"):
        return "does not start with /"
    return None if PATH_PATTERN_CHARS.match(value) else "has a character not allowed in a path pattern"


def host_pattern(value: str) -> str | None:
    if len(value) > aws_limits.MAX_HOST_HEADER_LENGTH:
        return f"is {len(value)} characters long"
    if not HOST_PATTERN.match(value):
        return "has a character not allowed in a host name"
    if "." not in value or not re.search(r"\.[A-Za-z*?]+$", value):
        return "is not a host name"
    return None


def http_method(value: str) -> str | None:
    if len(value) > aws_limits.MAX_HTTP_METHOD_LENGTH:
        return f"is {len(value)} characters long"
    return None if HTTP_METHOD.match(value) else "is not an HTTP method"


def email(value: str) -> str | None:
    return None if EMAIL.match(value) else "is not an email address"


def matcher(value: str) -> str | None:
    if not MATCHER.match(value):
        return "is not a list or range of HTTP codes"
    codes = [int(code) for code in re.split(r"[,-]", value)]
    if any(not aws_limits.MIN_MATCHER_CODE <= code <= aws_limits.MAX_MATCHER_CODE for code in codes):
        return "has a code out of range"
    if "-" in value and codes[0] >= codes[1]:
        return "is an empty range"
    return None


def cidr(value: str, *, ipv4_only: bool = False) -> str | None:
    """What is wrong with a CIDR block; a host address without prefix or with host bits set is wrong."""
    if "/" not in value:
        return "has no prefix length"
    try:
        network = ipaddress.ip_network(value, strict=False)
    except ValueError:
        return "is not a CIDR block"
    if ipv4_only and network.version != 4:
        return "is not an IPv4 CIDR block"
    try:
        ipaddress.ip_network(value, strict=True)
    except ValueError:
        return f"has host bits set (the network is {network})"
    return None


def ipv4_target(value: str) -> str | None:
    """An IP target must be a private IPv4 address: AWS rejects publicly routable ones."""
    try:
        address = ipaddress.IPv4Address(value)
    except ValueError:
        return "is not an IPv4 address"
    shared = ipaddress.IPv4Network("100.64.0.0/10")
    if not (address.is_private or address in shared) or address.is_loopback or address.is_unspecified:
        return "is not a private IPv4 address"
    return None


def instance_id(value: str) -> str | None:
    return None if INSTANCE_ID.match(value) else "is not an EC2 instance id"


def parse_duration(value: str) -> int | None:
    """Seconds in a duration like `45s`, `30m`, `1h`, `1d`, `7d`; None when it is not one."""
    found = DURATION.match(value.strip())
    if not found:
        return None
    return int(found["amount"]) * DURATION_UNITS[found["unit"]]


def wildcards(value: str) -> int:
    """Number of `*` and `?` wildcards in a condition value (a backslash escapes one)."""
    return len(re.findall(r"(?<!\\)[*?]", value))
