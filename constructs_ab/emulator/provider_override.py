"""The override files that point a working copy of a stack at the emulator.

- `emulator`: the AWS provider's endpoints for every service the stacks use, the emulator's credentials,
  and the checks that need real AWS turned off;
- `local_backend`: state in the working copy (`terraform.tfstate`), replacing the stack's S3 or local
  backend, so no state lands in the user's bucket or project folder.

Override files are merged by Terraform over `cdk.tf.json` and exist only in the working copy.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from constructs_ab.emulator.server import ACCESS_KEY_ID, SECRET_ACCESS_KEY

#: Provider `endpoints` keys (AWS provider 5.x) of every service the stacks call, all sent to the emulator.
EMULATED_SERVICES = (
    "acm",
    "cloudwatch",
    "cloudwatchlogs",
    "dynamodb",
    "ec2",
    "elbv2",
    "iam",
    "kms",
    "s3",
    "sns",
    "sts",
    "wafv2",
)
#: Resource and data source type prefixes and the service each calls ("" for none: computed locally).
_SERVICE_OF_TYPE = (
    ("aws_lb", "elbv2"),
    ("aws_alb", "elbv2"),
    ("aws_cloudwatch_log_", "cloudwatchlogs"),
    ("aws_cloudwatch_", "cloudwatch"),
    ("aws_kms_", "kms"),
    ("aws_s3_", "s3"),
    ("aws_sns_", "sns"),
    ("aws_wafv2_", "wafv2"),
    ("aws_security_group", "ec2"),
    ("aws_vpc", "ec2"),
    ("aws_subnet", "ec2"),
    ("aws_acm_", "acm"),
    ("aws_iam_policy_document", ""),
    ("aws_iam_", "iam"),
    ("aws_dynamodb_", "dynamodb"),
    ("aws_caller_identity", "sts"),
    ("aws_region", ""),
    ("aws_partition", ""),
    ("aws_elb_service_account", ""),
    ("terraform_data", ""),  # Terraform's own resource (the listeners' rule anchors): no provider, no AWS
)

OVERRIDE_STEMS = ("emulator", "local_backend")


def overrides(endpoint_url: str) -> dict[str, dict[str, Any]]:
    """The override files (stem -> JSON) for a working copy applied to the emulator at `endpoint_url`."""
    return {"emulator": provider_settings(endpoint_url), "local_backend": local_backend()}


def provider_settings(endpoint_url: str) -> dict[str, Any]:
    return {
        "provider": {
            "aws": {
                "access_key": ACCESS_KEY_ID,
                "secret_key": SECRET_ACCESS_KEY,
                "skip_credentials_validation": True,
                "skip_metadata_api_check": True,
                "skip_region_validation": True,
                "s3_use_path_style": True,
                "endpoints": [{service: endpoint_url for service in EMULATED_SERVICES}],
            }
        }
    }


def local_backend() -> dict[str, Any]:
    return {"terraform": {"backend": {"local": {"path": "terraform.tfstate"}}}}


def unemulated_types(stack: Mapping[str, Any]) -> list[str]:
    """Resource and data source types of a synthesized stack that call a service not sent to the emulator
    (they would reach real AWS endpoints with fake credentials and fail); empty when all are covered."""
    types = {*stack.get("resource", {}), *stack.get("data", {})}
    missing = []
    for type_ in sorted(types):
        service = next((s for prefix, s in _SERVICE_OF_TYPE if type_.startswith(prefix)), None)
        if service is None or (service and service not in EMULATED_SERVICES):
            missing.append(type_)
    return missing
