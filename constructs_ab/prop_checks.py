"""Construction-time checks of construct props, with one message per problem that names the prop.

    problems = PropProblems("ModelExperimentProps")
    problems.integer_in("targets[1].weight", 1500, 0, 999, "a weight is an integer from 0 to 999")
    problems.raise_if_any()
    # ValueError: ModelExperimentProps.targets[1].weight: 1500 is out of range; a weight is an integer ...

The limits come from `constructs_ab/aws_limits.py`. Pure Python: the routing model and the constructs
share it.
"""

from __future__ import annotations

import ipaddress
import re

from constructs_ab import aws_limits


class PropProblems:
    """The problems found in one props object, each `<props>.<field>: <what is wrong>; <what is allowed>`.

    props: the name the messages start with, e.g. "ModelExperimentProps".
    """

    def __init__(self, props: str) -> None:
        self.props = props
        self.lines: list[str] = []

    def add(self, field: str, message: str) -> None:
        self.lines.append(f"{self.props}.{field}: {message}")

    def integer_in(self, field: str, value: object, low: int, high: int, allowed: str) -> bool:
        """Check that `value` is an integer from `low` to `high`; False (and a problem) when not."""
        if isinstance(value, bool) or not isinstance(value, int):
            self.add(field, f"{value!r} is not an integer; {allowed}")
            return False
        if not low <= value <= high:
            self.add(field, f"{value} is out of range; {allowed}")
            return False
        return True

    def text(self, field: str, value: object, max_length: int, what: str) -> bool:
        """Check that `value` is non-empty text of at most `max_length` characters."""
        if not isinstance(value, str) or not value:
            self.add(field, f"{value!r} is not {what}; {what} is text of 1 to {max_length} characters")
            return False
        if len(value) > max_length:
            self.add(field, f"{value!r} is {len(value)} characters long; {what} has at most {max_length}")
            return False
        return True

    def tag_value(self, field: str, value: str, what: str) -> bool:
        """Check that `value` can be written in a tag (AWS's tag alphabet and length)."""
        if len(value) > aws_limits.MAX_TAG_VALUE_LENGTH or not re.match(aws_limits.TAG_VALUE_PATTERN, value):
            self.add(
                field,
                f"{value!r} cannot be a tag value, and {what} is written in a tag; a tag value is at most "
                f"{aws_limits.MAX_TAG_VALUE_LENGTH} letters, digits, spaces and _ . : / = + - @",
            )
            return False
        return True

    def name(self, field: str, value: str, max_length: int, what: str) -> bool:
        """Check an AWS resource name: at most `max_length` letters, digits and inner hyphens."""
        if len(value) > max_length or not re.match(aws_limits.NAME_PATTERN, value):
            self.add(
                field,
                f"{value!r} is not a valid {what}; a {what} is 1 to {max_length} letters, digits and hyphens, "
                "not starting or ending with a hyphen",
            )
            return False
        return True

    def cidr(self, field: str, value: object, what: str) -> bool:
        """Check that `value` is an IPv4 or IPv6 CIDR such as 10.0.0.0/8."""
        try:
            valid = (
                isinstance(value, str) and "/" in value and bool(ipaddress.ip_network(value, strict=False))
            )
        except ValueError:
            valid = False
        if not valid:
            self.add(field, f"{value!r} is not a CIDR; {what} is a CIDR, e.g. 10.0.0.0/8")
        return valid

    def raise_if_any(self) -> None:
        """Raise ValueError with every problem, one per line, when there is any."""
        if self.lines:
            raise ValueError("\n".join(self.lines))
