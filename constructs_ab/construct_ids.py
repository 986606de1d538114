"""The construct ids of an environment's parts in their stack.

Construct ids are a contract: they are derived from the spec's names and end up in the Terraform
resource addresses, so renaming one replaces a live resource. Tests pin them:

- `lb-<load balancer>`: a `ModelLoadBalancer` or `ExistingLoadBalancer`, with its `rules-anchor` (`ListenerRulesAnchor`)
- listener rules are named in Terraform by load balancer and priority, `lb-<load balancer>_rule-<priority>`
  (`routing.layout.rule_resource_name`), so their addresses do not depend on experiment or variant names
- `variant-<variant>`: a `ModelVariant` (a variant shared by experiments appears once)
- `experiment-<experiment>`: a `ModelExperiment`
- `guardrails-<experiment>`: its `ExperimentGuardrails` (dashboard, alarms; its own SNS topic and KMS key
  only when the spec sets `alarm_topic_per_experiment`)
- `alarm-notifications`: the environment's `AlarmTopic` (KMS key, SNS topic, one e-mail subscription
  per distinct `guardrails.alarm_email`), which every load balancer's 5xx alarm notifies, and every
  guardrail alarm but with `alarm_topic_per_experiment`; in the environment's stack (with
  `per_load_balancer` the load balancer stacks name it by its ARN)
- `auto-rollback-<experiment>`: its `AutoRollback` with `auto_rollback: true`, and then once per stack
  that holds one `auto-rollback-key`, the functions' KMS key (the environment's stack with `stacks: one`,
  each load balancer stack with `per_load_balancer`)
- `load-balancer-alarms`: `LoadBalancerAlarms` (each load balancer's alarm on its own 5xx responses)
- outputs `lb-<lb>-dns-name`, `lb-<lb>-https-listener-arn`, `lb-<lb>-http-listener-arn` and
  `lb-<lb>-model-servers-security-group-id` (not on an existing one), `variant-<variant>-target-group-arn`
"""

from __future__ import annotations

#: `lb-<load balancer>`: a `ModelLoadBalancer` or `ExistingLoadBalancer`.
load_balancer_id = "lb-{}".format
#: `variant-<variant>`: a `ModelVariant`.
variant_id = "variant-{}".format
#: `experiment-<experiment>`: a `ModelExperiment`.
experiment_id = "experiment-{}".format
#: `guardrails-<experiment>`: an experiment's `ExperimentGuardrails`.
guardrails_id = "guardrails-{}".format
#: `auto-rollback-<experiment>`: an experiment's `AutoRollback`.
auto_rollback_id = "auto-rollback-{}".format
#: The construct id of the environment's `AlarmTopic`.
ALARM_TOPIC_ID = "alarm-notifications"
#: The construct id of a stack's auto-rollback key (made with its first `auto_rollback` experiment).
AUTO_ROLLBACK_KEY_ID = "auto-rollback-key"


__all__ = [
    "ALARM_TOPIC_ID",
    "AUTO_ROLLBACK_KEY_ID",
    "auto_rollback_id",
    "experiment_id",
    "guardrails_id",
    "load_balancer_id",
    "variant_id",
]
