"""An S3 bucket that receives Application Load Balancer access logs, created securely.

SSE-S3 encryption (ALB log delivery supports no other server-side encryption), versioning, all
public access blocked, ACLs disabled (bucket owner enforced), a lifecycle that expires old logs, and
a bucket policy that lets only ALB log delivery write under `<prefix>/AWSLogs/<account>/` and denies
any request not made over TLS. ALB log delivery writes as the service principal in Regions opened in
or after August 2022, and as the Region's Elastic Load Balancing account in older Regions: the policy
grants the service principal always, and the Region's ELB account (data `aws_elb_service_account`)
unless the Region is known to be a newer one.

See: https://docs.aws.amazon.com/elasticloadbalancing/latest/application/enable-access-logging.html
"""

from __future__ import annotations

from dataclasses import dataclass

from constructs import Construct

from constructs_ab import provider as aws
from constructs_ab.account_context import AccountContext
from constructs_ab.tagging import BaseTags

#: Service principal of ALB access log delivery (Regions opened in or after August 2022).
ALB_LOG_DELIVERY_PRINCIPAL = "logdelivery.elasticloadbalancing.amazonaws.com"
#: Regions available before August 2022, where log delivery writes as the Region's ELB account.
#: See: https://docs.aws.amazon.com/elasticloadbalancing/latest/application/enable-access-logging.html
REGIONS_WITH_ELB_LOG_ACCOUNT = frozenset(
    {
        "us-east-1",
        "us-east-2",
        "us-west-1",
        "us-west-2",
        "af-south-1",
        "ap-east-1",
        "ap-south-1",
        "ap-northeast-1",
        "ap-northeast-2",
        "ap-northeast-3",
        "ap-southeast-1",
        "ap-southeast-2",
        "ap-southeast-3",
        "ca-central-1",
        "eu-central-1",
        "eu-west-1",
        "eu-west-2",
        "eu-west-3",
        "eu-south-1",
        "eu-north-1",
        "me-south-1",
        "sa-east-1",
        "us-gov-west-1",
        "us-gov-east-1",
        "cn-north-1",
        "cn-northwest-1",
    }
)
#: S3 limits `bucket_prefix` to 37 characters (AWS appends a unique suffix up to 63).
MAX_BUCKET_PREFIX_LENGTH = 37


@dataclass(frozen=True, kw_only=True)
class AccessLogsBucketProps:
    """Properties of an `AccessLogsBucket`.

    name: the load balancer name; the bucket name is `<name>-logs-` plus a unique suffix chosen by
        AWS (the prefix is cut to 37 characters).
    log_prefix: key prefix the load balancer writes under. Default: `name`.
    tags: environment, owner and extra tags.
    expiration_days: days a log object is kept. Default 90.
    noncurrent_expiration_days: days a replaced or deleted object version is kept. Default 30.
    abort_incomplete_upload_days: days before an unfinished multipart upload is removed. Default 7.
    force_destroy: True lets `terraform destroy` delete a bucket that still holds logs. Default False.
    region: the AWS Region of the load balancer. Default None (unknown): the Region's ELB account is
        granted as well as the service principal, which works in every Region the provider knows.
    """

    name: str
    tags: BaseTags
    log_prefix: str | None = None
    expiration_days: int = 90
    noncurrent_expiration_days: int = 30
    abort_incomplete_upload_days: int = 7
    force_destroy: bool = False
    region: str | None = None

    @property
    def grants_elb_account(self) -> bool:
        """True unless `region` is known to be opened in or after August 2022."""
        return self.region is None or self.region in REGIONS_WITH_ELB_LOG_ACCOUNT


class AccessLogsBucket(Construct):
    """A private, encrypted, versioned S3 bucket that ALB log delivery may write to.

    Children: `bucket`, `encryption`, `versioning`, `public_access_block`, `ownership_controls`,
    `lifecycle`, `policy_document` (data aws_iam_policy_document), `policy`.
    """

    bucket: aws.S3Bucket

    def __init__(self, scope: Construct, id: str, props: AccessLogsBucketProps) -> None:
        super().__init__(scope, id)
        self.log_prefix = props.log_prefix if props.log_prefix is not None else props.name
        self.bucket = aws.S3Bucket(
            self,
            "bucket",
            bucket_prefix=f"{props.name}-logs-"[:MAX_BUCKET_PREFIX_LENGTH],
            force_destroy=props.force_destroy,
            tags=props.tags.as_dict(),
        )
        self.encryption = aws.S3BucketServerSideEncryptionConfigurationA(
            self,
            "encryption",
            bucket=self.bucket.id,
            rule=[
                aws.S3BucketServerSideEncryptionConfigurationRuleA(
                    apply_server_side_encryption_by_default=(
                        aws.S3BucketServerSideEncryptionConfigurationRuleApplyServerSideEncryptionByDefaultA(
                            sse_algorithm="AES256"
                        )
                    ),
                )
            ],
        )
        self.versioning = aws.S3BucketVersioningA(
            self,
            "versioning",
            bucket=self.bucket.id,
            versioning_configuration=aws.S3BucketVersioningVersioningConfiguration(status="Enabled"),
        )
        self.public_access_block = aws.S3BucketPublicAccessBlock(
            self,
            "public-access-block",
            bucket=self.bucket.id,
            block_public_acls=True,
            block_public_policy=True,
            ignore_public_acls=True,
            restrict_public_buckets=True,
        )
        self.ownership_controls = aws.S3BucketOwnershipControls(
            self,
            "ownership-controls",
            bucket=self.bucket.id,
            rule=aws.S3BucketOwnershipControlsRule(object_ownership="BucketOwnerEnforced"),
        )
        self.lifecycle = aws.S3BucketLifecycleConfiguration(
            self,
            "lifecycle",
            bucket=self.bucket.id,
            rule=[
                aws.S3BucketLifecycleConfigurationRule(
                    id="expire-access-logs",
                    status="Enabled",
                    filter=[aws.S3BucketLifecycleConfigurationRuleFilter(prefix="")],
                    expiration=[aws.S3BucketLifecycleConfigurationRuleExpiration(days=props.expiration_days)],
                    noncurrent_version_expiration=[
                        aws.S3BucketLifecycleConfigurationRuleNoncurrentVersionExpiration(
                            noncurrent_days=props.noncurrent_expiration_days
                        )
                    ],
                    abort_incomplete_multipart_upload=[
                        aws.S3BucketLifecycleConfigurationRuleAbortIncompleteMultipartUpload(
                            days_after_initiation=props.abort_incomplete_upload_days
                        )
                    ],
                )
            ],
        )
        account = AccountContext.of(self)
        writers = [
            aws.DataAwsIamPolicyDocumentStatementPrincipals(
                type="Service", identifiers=[ALB_LOG_DELIVERY_PRINCIPAL]
            )
        ]
        if props.grants_elb_account:
            elb_account = aws.DataAwsElbServiceAccount(self, "elb-account")
            writers.append(
                aws.DataAwsIamPolicyDocumentStatementPrincipals(type="AWS", identifiers=[elb_account.arn])
            )
        logs_key = f"{self.log_prefix}/AWSLogs" if self.log_prefix else "AWSLogs"
        self.policy_document = aws.DataAwsIamPolicyDocument(
            self,
            "policy-document",
            statement=[
                aws.DataAwsIamPolicyDocumentStatement(
                    sid="AlbLogDeliveryWrites",
                    effect="Allow",
                    principals=writers,
                    actions=["s3:PutObject"],
                    resources=[f"{self.bucket.arn}/{logs_key}/{account.account_id}/*"],
                ),
                aws.DataAwsIamPolicyDocumentStatement(
                    sid="DenyInsecureTransport",
                    effect="Deny",
                    principals=[aws.DataAwsIamPolicyDocumentStatementPrincipals(type="*", identifiers=["*"])],
                    actions=["s3:*"],
                    resources=[self.bucket.arn, f"{self.bucket.arn}/*"],
                    condition=[
                        aws.DataAwsIamPolicyDocumentStatementCondition(
                            test="Bool", variable="aws:SecureTransport", values=["false"]
                        )
                    ],
                ),
            ],
        )
        self.policy = aws.S3BucketPolicy(
            self,
            "policy",
            bucket=self.bucket.id,
            policy=self.policy_document.json,
            depends_on=[self.public_access_block],
        )

    @property
    def bucket_name(self) -> str:
        """Name of the bucket (a Terraform reference)."""
        return self.bucket.id
