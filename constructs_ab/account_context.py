"""The account, partition and Region a stack deploys to, read once per stack.

Key policies and ARNs need the account id, the partition (`aws`, `aws-cn`, `aws-us-gov`) and the Region.
`AccountContext.of(scope)` returns the one `AccountContext` of the scope's stack, creating it on first use
with the data sources `aws_caller_identity`, `aws_partition` and `aws_region`, so a stack of 100
experiments reads them once, not once per experiment.
"""

from __future__ import annotations

import functools

from cdktf import TerraformStack
from constructs import Construct

from constructs_ab.provider import DataAwsCallerIdentity, DataAwsPartition, DataAwsRegion

#: Construct id of the context in its stack.
CONTEXT_ID = "account-context"


class AccountContext(Construct):
    """Data sources for the stack's account, partition and Region (Terraform references)."""

    def __init__(self, scope: Construct, id: str) -> None:
        super().__init__(scope, id)
        self.caller_identity = DataAwsCallerIdentity(self, "caller-identity")
        self.partition_data = DataAwsPartition(self, "partition")
        self.region_data = DataAwsRegion(self, "region")

    @classmethod
    def of(cls, scope: Construct) -> AccountContext:
        """The stack's context, created the first time any construct of the stack asks for it."""
        stack = TerraformStack.of(scope)
        existing = stack.node.try_find_child(CONTEXT_ID)
        if isinstance(existing, AccountContext):
            return existing
        return cls(stack, CONTEXT_ID)

    @functools.cached_property
    def account_id(self) -> str:
        return self.caller_identity.account_id

    @functools.cached_property
    def partition(self) -> str:
        return self.partition_data.partition

    @functools.cached_property
    def region(self) -> str:
        return self.region_data.name

    @property
    def account_root_arn(self) -> str:
        """`arn:<partition>:iam::<account>:root`, the principal that stands for the whole account."""
        return f"arn:{self.partition}:iam::{self.account_id}:root"

    def log_group_arn(self, name: str) -> str:
        """`arn:<partition>:logs:<region>:<account>:log-group:<name>` (`name` may hold `*` as a pattern)."""
        return f"arn:{self.partition}:logs:{self.region}:{self.account_id}:log-group:{name}"
