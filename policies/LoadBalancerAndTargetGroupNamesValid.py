"""CKV_ABT_12: load balancer and target group names are names AWS accepts.

A `name` has at most 32 characters, only letters, digits and hyphens, and neither starts nor ends with a
hyphen; a load balancer's name does not start with `internal-`. A `name_prefix` has at most 6 of those
characters (the provider appends the rest). Limits from `constructs_ab/aws_limits.py`. UNKNOWN when neither
is set (Terraform generates a valid name) or the name is an expression.
"""

from __future__ import annotations

import re
from typing import Any

from abt_support import LOAD_BALANCER_TYPES, TARGET_GROUP_TYPES, aws_limits, first, is_expression
from checkov.common.models.enums import CheckCategories, CheckResult
from checkov.terraform.checks.resource.base_resource_check import BaseResourceCheck

_NAME = re.compile(aws_limits.NAME_PATTERN)
_PREFIX = re.compile(r"^[A-Za-z0-9][A-Za-z0-9-]*$")


class LoadBalancerAndTargetGroupNamesValid(BaseResourceCheck):
    def __init__(self) -> None:
        super().__init__(
            name="Ensure load balancer and target group names are at most 32 letters, digits and hyphens, not "
            "starting or ending with a hyphen (and not internal- for a load balancer)",
            id="CKV_ABT_12",
            categories=[CheckCategories.CONVENTION],
            supported_resources=[*LOAD_BALANCER_TYPES, *TARGET_GROUP_TYPES],
            guideline=(
                "Use at most 32 letters, digits and hyphens for `name`, not starting or ending with a hyphen, and "
                "not starting with internal- for a load balancer; a `name_prefix` has at most 6 characters."
            ),
        )

    def scan_resource_conf(self, conf: dict[str, Any]) -> CheckResult:
        name, prefix = first(conf.get("name")), first(conf.get("name_prefix"))
        if (name is None and prefix is None) or is_expression(name) or is_expression(prefix):
            return CheckResult.UNKNOWN
        is_load_balancer = self.entity_type in LOAD_BALANCER_TYPES
        if name is not None:
            self.evaluated_keys = ["name"]
            text = str(name)
            limit = (
                aws_limits.MAX_LOAD_BALANCER_NAME_LENGTH
                if is_load_balancer
                else aws_limits.MAX_TARGET_GROUP_NAME_LENGTH
            )
            if len(text) > limit or not _NAME.match(text):
                self.details.append(
                    f"name: {text!r} is not allowed; a name is at most {limit} letters, digits and hyphens, not "
                    "starting or ending with a hyphen"
                )
                return CheckResult.FAILED
            if is_load_balancer and text.startswith(aws_limits.LOAD_BALANCER_NAME_FORBIDDEN_PREFIX):
                self.details.append(
                    f"name: {text!r} is not allowed; a load balancer name does not start with "
                    f"{aws_limits.LOAD_BALANCER_NAME_FORBIDDEN_PREFIX}"
                )
                return CheckResult.FAILED
        if prefix is not None:
            self.evaluated_keys = ["name_prefix"]
            text = str(prefix)
            if len(text) > aws_limits.MAX_NAME_PREFIX_LENGTH or not _PREFIX.match(text):
                self.details.append(
                    f"name_prefix: {text!r} is not allowed; a prefix is at most {aws_limits.MAX_NAME_PREFIX_LENGTH} "
                    "letters, digits and hyphens, not starting with a hyphen"
                )
                return CheckResult.FAILED
        return CheckResult.PASSED


check = LoadBalancerAndTargetGroupNamesValid()
