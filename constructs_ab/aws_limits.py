"""AWS Application Load Balancer limits, in one place, each with the documentation page it comes from.

Pure Python: the spec layer, the constructs and the gate's policies all read these numbers, so a limit
is changed here once. Units are stated in each name or comment (seconds, characters, counts).
"""

from __future__ import annotations

# --- Weighted forward actions -------------------------------------------------------------------
# See: https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-listeners.html#forward-actions
MIN_TARGET_GROUPS_PER_FORWARD = 1
MAX_TARGET_GROUPS_PER_FORWARD = 5  # "target groups per action" quota, not adjustable
MIN_WEIGHT = 0
MAX_WEIGHT = 999  # a weight is an integer 0..999; at least one weight in a forward must be positive

# Group stickiness (forward.stickiness.duration), seconds.
# See: https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-listeners.html#forward-actions
MIN_STICKINESS_SECONDS = 1
MAX_STICKINESS_SECONDS = 604_800  # 7 days

# --- Listener rules -----------------------------------------------------------------------------
# See: https://docs.aws.amazon.com/elasticloadbalancing/latest/application/listener-update-rules.html
MIN_RULE_PRIORITY = 1
MAX_RULE_PRIORITY = 50_000  # unique per listener; lowest number is evaluated first, default action last

# See: https://docs.aws.amazon.com/elasticloadbalancing/latest/application/rule-condition-types.html
MAX_PATH_PATTERN_LENGTH = 128  # characters; wildcards are * and ?
MAX_HOST_HEADER_LENGTH = 128  # characters
MAX_HTTP_HEADER_NAME_LENGTH = 40  # characters
MAX_HTTP_HEADER_VALUE_LENGTH = 128  # characters
MAX_QUERY_STRING_LENGTH = 128  # characters, for each key and each value
MAX_HTTP_METHOD_LENGTH = 40  # characters: A-Z, hyphen and underscore

# --- Quotas ("Quotas for your Application Load Balancers") --------------------------------------
# See: https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-limits.html
DEFAULT_RULES_PER_LOAD_BALANCER = 100  # not counting default rules; adjustable per account
MAX_TARGET_GROUPS_PER_LOAD_BALANCER = 100  # not adjustable
MAX_CONDITION_VALUES_PER_RULE = 5
MAX_CONDITION_WILDCARDS_PER_RULE = 5
MAX_EXTRA_CERTIFICATES_PER_LOAD_BALANCER = 25  # certificates besides the default one (SNI); adjustable

# The names DescribeAccountLimits gives these quotas (the account's granted values; `preflight` reads them).
# See: https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_Limit.html
RULES_PER_LOAD_BALANCER_LIMIT_NAME = "rules-per-application-load-balancer"
TARGET_GROUPS_PER_LOAD_BALANCER_LIMIT_NAME = "target-groups-per-application-load-balancer"
TARGET_GROUPS_PER_ACTION_LIMIT_NAME = "target-groups-per-action-on-application-load-balancer"

# --- Names --------------------------------------------------------------------------------------
# See: https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_CreateTargetGroup.html
# and  https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_CreateLoadBalancer.html
MAX_TARGET_GROUP_NAME_LENGTH = 32  # alphanumerics and hyphens, no leading or trailing hyphen
MAX_LOAD_BALANCER_NAME_LENGTH = 32  # same alphabet; must not start with "internal-"
NAME_PATTERN = r"^[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?$"
# `name_prefix` of aws_lb and aws_lb_target_group: at most 6 characters (the provider appends the rest).
# See: https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/lb_target_group#name_prefix
MAX_NAME_PREFIX_LENGTH = 6

# --- Load balancer attributes -------------------------------------------------------------------
# See: https://docs.aws.amazon.com/elasticloadbalancing/latest/application/application-load-balancers.html#connection-idle-timeout
MIN_IDLE_TIMEOUT_SECONDS = 1
MAX_IDLE_TIMEOUT_SECONDS = 4000

# --- Target group attributes and health checks --------------------------------------------------
# See: https://docs.aws.amazon.com/elasticloadbalancing/latest/application/target-group-health-checks.html
MIN_HEALTH_CHECK_INTERVAL_SECONDS = 5
MAX_HEALTH_CHECK_INTERVAL_SECONDS = 300
MIN_HEALTH_CHECK_TIMEOUT_SECONDS = 2
MAX_HEALTH_CHECK_TIMEOUT_SECONDS = 120  # and less than the interval
MIN_HEALTH_CHECK_THRESHOLD = 2
MAX_HEALTH_CHECK_THRESHOLD = 10
MAX_HEALTH_CHECK_PATH_LENGTH = 1024  # characters, starts with "/"
MIN_MATCHER_CODE = 200  # HTTP codes for an HTTP/HTTPS health check matcher: 200..499
MAX_MATCHER_CODE = 499

# See: https://docs.aws.amazon.com/elasticloadbalancing/latest/application/edit-target-group-attributes.html
MIN_SLOW_START_SECONDS = 30  # or 0 to disable
MAX_SLOW_START_SECONDS = 900
MIN_DEREGISTRATION_DELAY_SECONDS = 0
MAX_DEREGISTRATION_DELAY_SECONDS = 3600

MIN_PORT = 1
MAX_PORT = 65_535

# --- Tags ---------------------------------------------------------------------------------------
# See: https://docs.aws.amazon.com/tag-editor/latest/userguide/tagging.html
MAX_TAG_KEY_LENGTH = 128
MAX_TAG_VALUE_LENGTH = 256
TAG_VALUE_PATTERN = r"^[\w\s.:/=+\-@]*$"

# See: https://docs.aws.amazon.com/elasticloadbalancing/latest/application/application-load-balancers.html#subnets-load-balancer
MIN_SUBNETS_PER_LOAD_BALANCER = 2  # in at least two Availability Zones

# See: https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_CreateLoadBalancer.html
LOAD_BALANCER_NAME_FORBIDDEN_PREFIX = "internal-"

# See: https://docs.aws.amazon.com/tag-editor/latest/userguide/tagging.html
MAX_TAGS_PER_RESOURCE = 50
RESERVED_TAG_KEY_PREFIX = "aws:"  # keys starting with it are reserved for AWS use

# --- WAFv2 --------------------------------------------------------------------------------------
# See: https://docs.aws.amazon.com/waf/latest/APIReference/API_RateBasedStatement.html
MIN_WAF_RATE_LIMIT = 10  # requests per evaluation window (5 minutes by default) from one IP
MAX_WAF_RATE_LIMIT = 2_000_000_000

# --- CloudWatch alarms --------------------------------------------------------------------------
# See: https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/AlarmThatSendsEmail.html
# ALB metrics are published every 60 s, so an alarm period is a multiple of 60 s.
ALB_METRIC_PERIOD_SECONDS = 60
MAX_ALARM_EVALUATION_SECONDS = 86_400  # period * evaluation periods: at most one day

# --- Read APIs (the live status and the analysis) -----------------------------------------------
# See: https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_DescribeTags.html
MAX_ARNS_PER_DESCRIBE_TAGS = 20  # ResourceArns: "You can specify up to 20 resources in a single call"
# See: https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_GetMetricData.html
MAX_QUERIES_PER_GET_METRIC_DATA = 500  # MetricDataQueries per call
# See: https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/cloudwatch_concepts.html#Metric
# ("Data points with a period of 60 seconds (1 minute) are available for 15 days")
MAX_ONE_MINUTE_METRIC_AGE_SECONDS = 15 * 86_400
# See: https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_Dimension.html
# and  https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_Metric.html
MAX_CLOUDWATCH_NAMESPACE_LENGTH = 255
MAX_CLOUDWATCH_METRIC_NAME_LENGTH = 255
MAX_CLOUDWATCH_DIMENSION_NAME_LENGTH = 255
MAX_CLOUDWATCH_DIMENSION_VALUE_LENGTH = 1024
MAX_CLOUDWATCH_DIMENSIONS_PER_METRIC = 30
