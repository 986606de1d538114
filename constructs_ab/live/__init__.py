"""The live layer: what is deployed now, read from the AWS API with boto3 (read-only; never cdktf).

aws_errors      every botocore failure as one line (credentials, endpoint, denied calls)
aws_session     credentials and Region from the standard chain, STS identity, client settings
target_health   DescribeTargetHealth counted per state
resources       load balancers, listeners, rules, target groups as frozen values
api_conditions  API rule conditions -> the routing model's conditions
api_actions     API actions -> the traffic model's actions (forward weights, stickiness)
elbv2_reader    the Describe* calls: paginated, tags 20 ARNs a call
picture         the live routing picture: a traffic model plus each experiment's variants and health
status_report   `status` in text, markdown and JSON
cli_options     --profile, --region, --env, --load-balancer and connecting
status_cli      `python -m constructs_ab status`
drift           live rules against the spec's routing model, one Difference per field
drift_report    `drift` in text, markdown and JSON
drift_cli       `python -m constructs_ab drift`
preflight       before a deploy: healthy targets, drift from the base, quotas, sticky splits (Findings)
preflight_report `preflight` in text, markdown and JSON
preflight_cli   `python -m constructs_ab preflight`
"""
