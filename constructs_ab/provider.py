"""The AWS provider bindings the constructs use, loaded without the package's 2,200-module `__init__`.

`import cdktf_cdktf_provider_aws.lb` normally runs the package `__init__`, which imports every one of
its ~2,200 submodules (about 7 s and 600 MB). The submodules need nothing from that `__init__` except
the jsii assembly, which each submodule loads itself through `from .._jsii import *`. So this module
registers a bare package module for `cdktf_cdktf_provider_aws` in `sys.modules` (real `__spec__`,
`__path__` and `__file__`, found with `importlib.util.find_spec`, `__init__` not executed) and then
imports only the submodules listed below.

If the real package was imported before this module (a user's `main.py` did
`import cdktf_cdktf_provider_aws`), it is used as is: the shim never replaces a loaded package.
The bare package resolves any other submodule on attribute access (`cdktf_cdktf_provider_aws.vpc`),
so user code that reaches for a submodule through the package still works.

The jsii runtime's Node.js process has the same problem with the provider's JavaScript modules;
`constructs_ab.node_lazy_index` (installed here, and by the synth command before cdktf is imported)
makes Node load those lazily too.

Every provider class the constructs use is re-exported from here: the constructs import from this
module only, never from `cdktf_cdktf_provider_aws` directly.
"""

# ruff: noqa: E402
from __future__ import annotations

import importlib
import importlib.util
import sys
import types
from typing import Any

from constructs_ab import node_lazy_index

PACKAGE = "cdktf_cdktf_provider_aws"


def _lazy_submodule(name: str) -> types.ModuleType:
    """Module `__getattr__` of the bare package: import `cdktf_cdktf_provider_aws.<name>` on first use."""
    if name.startswith("__"):
        raise AttributeError(f"module {PACKAGE!r} has no attribute {name!r}")
    try:
        return importlib.import_module(f"{PACKAGE}.{name}")
    except ModuleNotFoundError as error:
        raise AttributeError(f"module {PACKAGE!r} has no attribute {name!r}") from error


def register_bare_package() -> types.ModuleType:
    """Put a bare `cdktf_cdktf_provider_aws` package module in `sys.modules`, unless one is loaded.

    Returns the package module in `sys.modules` (the bare one, or the real one if it was loaded
    first). Raises ImportError when the package is not installed.
    """
    loaded = sys.modules.get(PACKAGE)
    if loaded is not None:
        return loaded
    spec = importlib.util.find_spec(PACKAGE)
    if spec is None or spec.submodule_search_locations is None:
        raise ImportError(f"{PACKAGE} is not installed (pipenv sync installs it)")
    # module_from_spec sets __spec__, __path__, __file__, __loader__ and __package__ without
    # executing the package __init__.
    module = importlib.util.module_from_spec(spec)
    module.__getattr__ = _lazy_submodule  # type: ignore[method-assign]  # PEP 562
    sys.modules[PACKAGE] = module
    return module


def is_bare_package() -> bool:
    """True when the provider package in `sys.modules` is the bare shim, not the real package."""
    module = sys.modules.get(PACKAGE)
    return module is not None and not hasattr(module, "__all__")


node_lazy_index.install()  # the Node.js side: before the provider assembly starts the jsii runtime
register_bare_package()


from cdktf_cdktf_provider_aws.cloudwatch_dashboard import CloudwatchDashboard
from cdktf_cdktf_provider_aws.cloudwatch_log_group import CloudwatchLogGroup
from cdktf_cdktf_provider_aws.cloudwatch_metric_alarm import (
    CloudwatchMetricAlarm,
    CloudwatchMetricAlarmMetricQuery,
    CloudwatchMetricAlarmMetricQueryMetric,
)
from cdktf_cdktf_provider_aws.data_aws_caller_identity import DataAwsCallerIdentity
from cdktf_cdktf_provider_aws.data_aws_elb_service_account import DataAwsElbServiceAccount
from cdktf_cdktf_provider_aws.data_aws_iam_policy_document import (
    DataAwsIamPolicyDocument,
    DataAwsIamPolicyDocumentStatement,
    DataAwsIamPolicyDocumentStatementCondition,
    DataAwsIamPolicyDocumentStatementPrincipals,
)
from cdktf_cdktf_provider_aws.data_aws_lb import DataAwsLb
from cdktf_cdktf_provider_aws.data_aws_lb_listener import DataAwsLbListener
from cdktf_cdktf_provider_aws.data_aws_partition import DataAwsPartition
from cdktf_cdktf_provider_aws.data_aws_region import DataAwsRegion
from cdktf_cdktf_provider_aws.iam_role import IamRole
from cdktf_cdktf_provider_aws.iam_role_policy import IamRolePolicy
from cdktf_cdktf_provider_aws.kms_key import KmsKey
from cdktf_cdktf_provider_aws.lambda_function import (
    LambdaFunction,
    LambdaFunctionDeadLetterConfig,
    LambdaFunctionEnvironment,
    LambdaFunctionTracingConfig,
)
from cdktf_cdktf_provider_aws.lambda_permission import LambdaPermission
from cdktf_cdktf_provider_aws.lb import Lb, LbAccessLogs
from cdktf_cdktf_provider_aws.lb_listener import (
    LbListener,
    LbListenerDefaultAction,
    LbListenerDefaultActionFixedResponse,
    LbListenerDefaultActionRedirect,
)
from cdktf_cdktf_provider_aws.lb_listener_certificate import LbListenerCertificate
from cdktf_cdktf_provider_aws.lb_listener_rule import (
    LbListenerRule,
    LbListenerRuleAction,
    LbListenerRuleActionForward,
    LbListenerRuleActionForwardStickiness,
    LbListenerRuleActionForwardTargetGroup,
    LbListenerRuleCondition,
)
from cdktf_cdktf_provider_aws.lb_target_group import LbTargetGroup, LbTargetGroupHealthCheck
from cdktf_cdktf_provider_aws.lb_target_group_attachment import LbTargetGroupAttachment
from cdktf_cdktf_provider_aws.provider import AwsProvider, AwsProviderDefaultTags
from cdktf_cdktf_provider_aws.s3_bucket import S3Bucket
from cdktf_cdktf_provider_aws.s3_bucket_lifecycle_configuration import (
    S3BucketLifecycleConfiguration,
    S3BucketLifecycleConfigurationRule,
    S3BucketLifecycleConfigurationRuleAbortIncompleteMultipartUpload,
    S3BucketLifecycleConfigurationRuleExpiration,
    S3BucketLifecycleConfigurationRuleFilter,
    S3BucketLifecycleConfigurationRuleNoncurrentVersionExpiration,
)
from cdktf_cdktf_provider_aws.s3_bucket_ownership_controls import (
    S3BucketOwnershipControls,
    S3BucketOwnershipControlsRule,
)
from cdktf_cdktf_provider_aws.s3_bucket_policy import S3BucketPolicy
from cdktf_cdktf_provider_aws.s3_bucket_public_access_block import S3BucketPublicAccessBlock
from cdktf_cdktf_provider_aws.s3_bucket_server_side_encryption_configuration import (
    S3BucketServerSideEncryptionConfigurationA,
    S3BucketServerSideEncryptionConfigurationRuleA,
    S3BucketServerSideEncryptionConfigurationRuleApplyServerSideEncryptionByDefaultA,
)
from cdktf_cdktf_provider_aws.s3_bucket_versioning import (
    S3BucketVersioningA,
    S3BucketVersioningVersioningConfiguration,
)
from cdktf_cdktf_provider_aws.security_group import SecurityGroup
from cdktf_cdktf_provider_aws.sns_topic import SnsTopic
from cdktf_cdktf_provider_aws.sns_topic_subscription import SnsTopicSubscription
from cdktf_cdktf_provider_aws.sqs_queue import SqsQueue
from cdktf_cdktf_provider_aws.vpc_security_group_egress_rule import VpcSecurityGroupEgressRule
from cdktf_cdktf_provider_aws.vpc_security_group_ingress_rule import VpcSecurityGroupIngressRule
from cdktf_cdktf_provider_aws.wafv2_web_acl import (
    Wafv2WebAcl,
    Wafv2WebAclDefaultAction,
    Wafv2WebAclDefaultActionAllow,
    Wafv2WebAclRule,
    Wafv2WebAclRuleAction,
    Wafv2WebAclRuleActionBlock,
    Wafv2WebAclRuleOverrideAction,
    Wafv2WebAclRuleOverrideActionNone,
    Wafv2WebAclRuleVisibilityConfig,
    Wafv2WebAclVisibilityConfig,
)
from cdktf_cdktf_provider_aws.wafv2_web_acl_association import Wafv2WebAclAssociation
from cdktf_cdktf_provider_aws.wafv2_web_acl_logging_configuration import (
    Wafv2WebAclLoggingConfiguration,
    Wafv2WebAclLoggingConfigurationRedactedFields,
    Wafv2WebAclLoggingConfigurationRedactedFieldsSingleHeader,
)


def listener_rule_condition_struct(block: str) -> Any:
    """The provider's class for one kind of `condition` block of aws_lb_listener_rule, by block name:
    `path_pattern` -> `LbListenerRuleConditionPathPattern`. Its keyword arguments are the keys of the
    block, as `constructs_ab.routing.conditions.Condition.to_terraform()` writes them, so a condition
    kind added to the routing model needs no change here."""
    module = importlib.import_module(f"{PACKAGE}.lb_listener_rule")
    return getattr(module, "LbListenerRuleCondition" + "".join(p.capitalize() for p in block.split("_")))


__all__ = [
    "PACKAGE",
    "AwsProvider",
    "AwsProviderDefaultTags",
    "CloudwatchDashboard",
    "CloudwatchLogGroup",
    "CloudwatchMetricAlarm",
    "CloudwatchMetricAlarmMetricQuery",
    "CloudwatchMetricAlarmMetricQueryMetric",
    "DataAwsCallerIdentity",
    "DataAwsElbServiceAccount",
    "DataAwsIamPolicyDocument",
    "DataAwsIamPolicyDocumentStatement",
    "DataAwsIamPolicyDocumentStatementCondition",
    "DataAwsIamPolicyDocumentStatementPrincipals",
    "DataAwsLb",
    "DataAwsLbListener",
    "DataAwsPartition",
    "DataAwsRegion",
    "IamRole",
    "IamRolePolicy",
    "KmsKey",
    "LambdaFunction",
    "LambdaFunctionDeadLetterConfig",
    "LambdaFunctionEnvironment",
    "LambdaFunctionTracingConfig",
    "LambdaPermission",
    "Lb",
    "LbAccessLogs",
    "LbListener",
    "LbListenerCertificate",
    "LbListenerDefaultAction",
    "LbListenerDefaultActionFixedResponse",
    "LbListenerDefaultActionRedirect",
    "LbListenerRule",
    "LbListenerRuleAction",
    "LbListenerRuleActionForward",
    "LbListenerRuleActionForwardStickiness",
    "LbListenerRuleActionForwardTargetGroup",
    "LbListenerRuleCondition",
    "LbTargetGroup",
    "LbTargetGroupAttachment",
    "LbTargetGroupHealthCheck",
    "S3Bucket",
    "S3BucketLifecycleConfiguration",
    "S3BucketLifecycleConfigurationRule",
    "S3BucketLifecycleConfigurationRuleAbortIncompleteMultipartUpload",
    "S3BucketLifecycleConfigurationRuleExpiration",
    "S3BucketLifecycleConfigurationRuleFilter",
    "S3BucketLifecycleConfigurationRuleNoncurrentVersionExpiration",
    "S3BucketOwnershipControls",
    "S3BucketOwnershipControlsRule",
    "S3BucketPolicy",
    "S3BucketPublicAccessBlock",
    "S3BucketServerSideEncryptionConfigurationA",
    "S3BucketServerSideEncryptionConfigurationRuleA",
    "S3BucketServerSideEncryptionConfigurationRuleApplyServerSideEncryptionByDefaultA",
    "S3BucketVersioningA",
    "S3BucketVersioningVersioningConfiguration",
    "SecurityGroup",
    "SnsTopic",
    "SnsTopicSubscription",
    "SqsQueue",
    "VpcSecurityGroupEgressRule",
    "VpcSecurityGroupIngressRule",
    "Wafv2WebAcl",
    "Wafv2WebAclAssociation",
    "Wafv2WebAclDefaultAction",
    "Wafv2WebAclDefaultActionAllow",
    "Wafv2WebAclLoggingConfiguration",
    "Wafv2WebAclLoggingConfigurationRedactedFields",
    "Wafv2WebAclLoggingConfigurationRedactedFieldsSingleHeader",
    "Wafv2WebAclRule",
    "Wafv2WebAclRuleAction",
    "Wafv2WebAclRuleActionBlock",
    "Wafv2WebAclRuleOverrideAction",
    "Wafv2WebAclRuleOverrideActionNone",
    "Wafv2WebAclRuleVisibilityConfig",
    "Wafv2WebAclVisibilityConfig",
    "is_bare_package",
    "listener_rule_condition_struct",
    "register_bare_package",
]
