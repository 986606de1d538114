"""Where an environment's Terraform state lives (an S3 backend): its model, rules, reading and checks."""

from __future__ import annotations

from dataclasses import dataclass

from constructs_ab.spec import formats
from constructs_ab.spec.context import Checks
from constructs_ab.spec.paths import FieldPath
from constructs_ab.spec.reader import Fields, Node, Problems
from constructs_ab.spec.rules import Boolean, Rule, Text, check_fields, fallbacks_of, keys_of, required_keys


@dataclass(frozen=True, kw_only=True)
class RemoteState:
    """S3 backend for the Terraform state, with locking.

    bucket, key, region: where the state lives. Default region: the environment's region.
    use_lockfile: S3-native locking (Terraform 1.10+). Default True.
    dynamodb_table: DynamoDB lock table, for older Terraform. Default none.
    encrypt: Default True.
    """

    bucket: str
    key: str
    region: str
    use_lockfile: bool = True
    dynamodb_table: str | None = None
    encrypt: bool = True


S3_BUCKET_ALLOWED = "an S3 bucket name is 3 to 63 lowercase letters, digits, dots and hyphens"
#: The AWS region of a state backend, and of an environment.
REGION = Text(allowed="region is an AWS region such as eu-west-1", test=formats.region)
BUCKET = Text(
    allowed=f"bucket is the S3 bucket of the Terraform state; {S3_BUCKET_ALLOWED}", test=formats.s3_bucket
)
RULES: dict[str, Rule] = {
    "bucket": BUCKET,
    "key": Text(
        allowed="key is the state object's key of at most 1024 characters, e.g. ab-models/prod.tfstate",
        test=lambda v: "is too long" if len(v) > 1024 else None,
    ),
    "region": REGION,
    "use_lockfile": Boolean.named("use_lockfile"),
    "dynamodb_table": Text(
        allowed="dynamodb_table is a DynamoDB table name: 3 to 255 letters, digits, _ . -",
        test=formats.dynamodb_table,
    ),
    "encrypt": Boolean.named("encrypt"),
}
KEYS = keys_of(RemoteState)
REQUIRED = required_keys(
    RemoteState,
    {"bucket": BUCKET.allowed, "key": "key is the state object's key, e.g. ab-models/prod.tfstate"},
    skip=("region",),  # the environment's
)


def read_state(node: Node | None, region: str, problems: Problems) -> RemoteState | None:
    """The state backend; its region defaults to the environment's `region`."""
    if node is None:
        return None
    fields = Fields(node, problems, what="a state backend", keys=KEYS, required=REQUIRED)
    return RemoteState(**fields.read_all(RULES, {**fallbacks_of(RemoteState, RULES), "region": region}))


def check_state(checks: Checks, state: RemoteState | None, path: FieldPath) -> None:
    if state is not None:
        check_fields(checks, state, path, RULES)
