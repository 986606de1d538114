"""ACM certificates of a spec: where each one is (partition, Region, account), and the checks that it can
serve a load balancer of its environment.

A load balancer's certificate must be in the load balancer's Region and account, and a Region belongs to
one partition (`aws`, `aws-cn` for cn-*, `aws-us-gov` for us-gov-*), the first part of every ARN: an
`arn:aws-cn:...` certificate cannot serve a load balancer in eu-west-1.
"""

from __future__ import annotations

from dataclasses import dataclass

from constructs_ab.spec import formats
from constructs_ab.spec.rules import Text

#: A certificate ARN field (the environment's and a load balancer's `certificate_arn`).
CERTIFICATE = Text(
    allowed="certificate_arn is an ACM certificate ARN, arn:aws:acm:<region>:<account>:certificate/<uuid>",
    test=formats.certificate_arn,
)


@dataclass(frozen=True, kw_only=True)
class CertificateArn:
    """The parts of an ACM certificate ARN that say where it lives."""

    partition: str
    region: str
    account: str

    @classmethod
    def parse(cls, arn: object) -> CertificateArn | None:
        """The parts of `arn`; None when it is not an ACM certificate ARN."""
        found = formats.ACM_CERTIFICATE_ARN.match(arn) if isinstance(arn, str) else None
        if found is None:
            return None
        return cls(partition=found["partition"], region=found["region"], account=found["account"])


def placement_problem(arn: object, region: str, account: str | None = None) -> str | None:
    """Why the certificate `arn` cannot serve a load balancer in `region` (and `account`, when known):
    another Region, a partition that is not the Region's, or another account. None when it can (or when
    `arn` is not an ACM certificate ARN: its format is checked elsewhere)."""
    found = CertificateArn.parse(arn)
    if found is None or formats.region(region) is not None:
        return None
    if found.region != region:
        return (
            f"the certificate is in region {found.region}, not in {region}; a load balancer needs an ACM "
            "certificate of its own region"
        )
    expected = formats.partition_of(region)
    if found.partition != expected:
        return (
            f"the certificate's ARN is in partition {found.partition}, but region {region} is in partition "
            f"{expected}; an ARN in {region} starts with arn:{expected}:"
        )
    if account is not None and found.account != account:
        return (
            f"the certificate is in account {found.account}, not in {account} (the account of the "
            "environment's certificate_arn); a load balancer needs an ACM certificate of its own account"
        )
    return None
