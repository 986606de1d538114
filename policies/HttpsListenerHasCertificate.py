"""CKV_ABT_15: every HTTPS (or TLS) listener names a certificate; AWS rejects one without.

UNKNOWN for other protocols and when the protocol is an expression; a certificate that is an expression
(known at apply time) counts as set.
"""

from __future__ import annotations

from typing import Any

from abt_support import LISTENER_TYPES, first, is_expression
from checkov.common.models.enums import CheckCategories, CheckResult
from checkov.terraform.checks.resource.base_resource_check import BaseResourceCheck


class HttpsListenerHasCertificate(BaseResourceCheck):
    def __init__(self) -> None:
        super().__init__(
            name="Ensure every HTTPS listener has a certificate",
            id="CKV_ABT_15",
            categories=[CheckCategories.ENCRYPTION],
            supported_resources=list(LISTENER_TYPES),
            guideline=(
                "Set certificate_arn on the HTTPS listener to an ACM certificate of the listener's region (in the "
                "spec: the environment's certificate_arn)."
            ),
        )

    def scan_resource_conf(self, conf: dict[str, Any]) -> CheckResult:
        protocol = first(conf.get("protocol"))
        if (
            not isinstance(protocol, str)
            or is_expression(protocol)
            or protocol.upper() not in ("HTTPS", "TLS")
        ):
            return CheckResult.UNKNOWN
        self.evaluated_keys = ["certificate_arn"]
        certificate = first(conf.get("certificate_arn"))
        if certificate is None or not str(certificate).strip():
            self.details.append(f"a {protocol.upper()} listener without certificate_arn")
            return CheckResult.FAILED
        return CheckResult.PASSED


check = HttpsListenerHasCertificate()
