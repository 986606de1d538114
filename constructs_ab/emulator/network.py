"""The network and certificate a spec's environment needs, created in the emulator with boto3.

A VPC (10.0.0.0/16), one /24 subnet in each of `subnets` Availability Zones of the region (AWS requires
a load balancer's subnets to be in different zones), an ACM certificate, and any S3 bucket the spec names
as an existing access log bucket.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from botocore.exceptions import ClientError

from constructs_ab.emulator.server import EmulatorEndpoint

#: Domain of the emulated certificate.
CERTIFICATE_DOMAIN = "models.example.com"


@dataclass(frozen=True, kw_only=True)
class Network:
    """What was created for one environment.

    region: where.
    vpc_id, subnet_ids, certificate_arn: the ids to put in the spec.
    """

    region: str
    vpc_id: str
    subnet_ids: tuple[str, ...]
    certificate_arn: str


def create_network(
    endpoint: EmulatorEndpoint, region: str, *, subnets: int = 3, buckets: Sequence[str] = ()
) -> Network:
    """Create a VPC with `subnets` subnets (2 or more, at most one per zone), a certificate and `buckets`."""
    ec2 = endpoint.client("ec2", region)
    zones = [
        zone["ZoneName"]
        for zone in ec2.describe_availability_zones()["AvailabilityZones"]
        if zone.get("State", "available") == "available"
    ]
    if subnets < 2 or subnets > len(zones):
        raise ValueError(
            f"{subnets} subnets asked in {region}, which has {len(zones)} zones; 2 to {len(zones)}"
        )
    vpc_id = ec2.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
    subnet_ids = tuple(
        ec2.create_subnet(VpcId=vpc_id, CidrBlock=f"10.0.{index}.0/24", AvailabilityZone=zone)["Subnet"][
            "SubnetId"
        ]
        for index, zone in enumerate(sorted(zones)[:subnets])
    )
    certificate_arn = endpoint.client("acm", region).request_certificate(
        DomainName=CERTIFICATE_DOMAIN, ValidationMethod="DNS"
    )["CertificateArn"]
    s3 = endpoint.client("s3", region)
    for bucket in buckets:
        configuration = (
            {} if region == "us-east-1" else {"CreateBucketConfiguration": {"LocationConstraint": region}}
        )
        try:
            s3.create_bucket(Bucket=bucket, **configuration)
        except ClientError as error:  # named by another environment too: it exists, which is all we need
            if error.response.get("Error", {}).get("Code") not in (
                "BucketAlreadyOwnedByYou",
                "BucketAlreadyExists",
            ):
                raise
    return Network(region=region, vpc_id=vpc_id, subnet_ids=subnet_ids, certificate_arn=str(certificate_arn))
