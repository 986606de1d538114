"""An S3 bucket that receives Application Load Balancer access logs, created securely.

SSE-S3 encryption (ALB log delivery supports no other server-side encryption), versioning, all
public access blocked, ACLs disabled (bucket owner enforced), a lifecycle that expires old logs, and
a bucket policy that lets only ALB log delivery write under `<prefix>/AWSLogs/<account>/` and denies
any request not made over TLS.

See: https://docs.aws.amazon.com/elasticloadbalancing/latest/application/enable-access-logging.html
"""

from __future__ import annotations

from dataclasses import dataclass

from constructs import Construct

from constructs_ab.provider import (
    DataAwsCallerIdentity,
    DataAwsIamPolicyDocument,
    DataAwsIamPolicyDocumentStatement,
    DataAwsIamPolicyDocumentStatementCondition,
    DataAwsIamPolicyDocumentStatementPrincipals,
    S3Bucket,
    S3BucketLifecycleConfiguration,
    S3BucketLifecycleConfigurationRule,
    S3BucketLifecycleConfigurationRuleAbortIncompleteMultipartUpload,
    S3BucketLifecycleConfigurationRuleExpiration,
    S3BucketLifecycleConfigurationRuleFilter,
    S3BucketLifecycleConfigurationRuleNoncurrentVersionExpiration,
    S3BucketOwnershipControls,
    S3BucketOwnershipControlsRule,
    S3BucketPolicy,
    S3BucketPublicAccessBlock,
    S3BucketServerSideEncryptionConfigurationA,
    S3BucketServerSideEncryptionConfigurationRuleA,
    S3BucketServerSideEncryptionConfigurationRuleApplyServerSideEncryptionByDefaultA,
    S3BucketVersioningA,
    S3BucketVersioningVersioningConfiguration,
)
from constructs_ab.tagging import BaseTags

#: Service principal of ALB access log delivery (all Regions).
ALB_LOG_DELIVERY_PRINCIPAL = "logdelivery.elasticloadbalancing.amazonaws.com"
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
    """

    name: str
    tags: BaseTags
    log_prefix: str | None = None
    expiration_days: int = 90
    noncurrent_expiration_days: int = 30
    abort_incomplete_upload_days: int = 7
    force_destroy: bool = False


class AccessLogsBucket(Construct):
    """A private, encrypted, versioned S3 bucket that ALB log delivery may write to.

    Children: `bucket`, `encryption`, `versioning`, `public_access_block`, `ownership_controls`,
    `lifecycle`, `policy_document` (data aws_iam_policy_document), `policy`.
    """

    bucket: S3Bucket

    def __init__(self, scope: Construct, id: str, props: AccessLogsBucketProps) -> None:
        super().__init__(scope, id)
        self.log_prefix = props.log_prefix if props.log_prefix is not None else props.name
        self.bucket = S3Bucket(
            self,
            "bucket",
            bucket_prefix=f"{props.name}-logs-"[:MAX_BUCKET_PREFIX_LENGTH],
            force_destroy=props.force_destroy,
            tags=props.tags.as_dict(),
        )
        self.encryption = S3BucketServerSideEncryptionConfigurationA(
            self,
            "encryption",
            bucket=self.bucket.id,
            rule=[
                S3BucketServerSideEncryptionConfigurationRuleA(
                    apply_server_side_encryption_by_default=(
                        S3BucketServerSideEncryptionConfigurationRuleApplyServerSideEncryptionByDefaultA(
                            sse_algorithm="AES256"
                        )
                    ),
                )
            ],
        )
        self.versioning = S3BucketVersioningA(
            self,
            "versioning",
            bucket=self.bucket.id,
            versioning_configuration=S3BucketVersioningVersioningConfiguration(status="Enabled"),
        )
        self.public_access_block = S3BucketPublicAccessBlock(
            self,
            "public-access-block",
            bucket=self.bucket.id,
            block_public_acls=True,
            block_public_policy=True,
            ignore_public_acls=True,
            restrict_public_buckets=True,
        )
        self.ownership_controls = S3BucketOwnershipControls(
            self,
            "ownership-controls",
            bucket=self.bucket.id,
            rule=S3BucketOwnershipControlsRule(object_ownership="BucketOwnerEnforced"),
        )
        self.lifecycle = S3BucketLifecycleConfiguration(
            self,
            "lifecycle",
            bucket=self.bucket.id,
            rule=[
                S3BucketLifecycleConfigurationRule(
                    id="expire-access-logs",
                    status="Enabled",
                    filter=[S3BucketLifecycleConfigurationRuleFilter(prefix="")],
                    expiration=[S3BucketLifecycleConfigurationRuleExpiration(days=props.expiration_days)],
                    noncurrent_version_expiration=[
                        S3BucketLifecycleConfigurationRuleNoncurrentVersionExpiration(
                            noncurrent_days=props.noncurrent_expiration_days
                        )
                    ],
                    abort_incomplete_multipart_upload=[
                        S3BucketLifecycleConfigurationRuleAbortIncompleteMultipartUpload(
                            days_after_initiation=props.abort_incomplete_upload_days
                        )
                    ],
                )
            ],
        )
        account = DataAwsCallerIdentity(self, "account")
        logs_key = f"{self.log_prefix}/AWSLogs" if self.log_prefix else "AWSLogs"
        self.policy_document = DataAwsIamPolicyDocument(
            self,
            "policy-document",
            statement=[
                DataAwsIamPolicyDocumentStatement(
                    sid="AlbLogDeliveryWrites",
                    effect="Allow",
                    principals=[
                        DataAwsIamPolicyDocumentStatementPrincipals(
                            type="Service", identifiers=[ALB_LOG_DELIVERY_PRINCIPAL]
                        )
                    ],
                    actions=["s3:PutObject"],
                    resources=[f"{self.bucket.arn}/{logs_key}/{account.account_id}/*"],
                ),
                DataAwsIamPolicyDocumentStatement(
                    sid="DenyInsecureTransport",
                    effect="Deny",
                    principals=[DataAwsIamPolicyDocumentStatementPrincipals(type="*", identifiers=["*"])],
                    actions=["s3:*"],
                    resources=[self.bucket.arn, f"{self.bucket.arn}/*"],
                    condition=[
                        DataAwsIamPolicyDocumentStatementCondition(
                            test="Bool", variable="aws:SecureTransport", values=["false"]
                        )
                    ],
                ),
            ],
        )
        self.policy = S3BucketPolicy(
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
