"""One environment of the spec as one Terraform stack.

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
  guardrail alarm but with `alarm_topic_per_experiment`
- `auto-rollback-<experiment>`: its `AutoRollback` with `auto_rollback: true`, and then once per
  environment `auto-rollback-key`, the functions' KMS key
- `load-balancer-alarms`: `LoadBalancerAlarms` (each load balancer's alarm on its own 5xx responses)
- outputs `lb-<lb>-dns-name`, `lb-<lb>-https-listener-arn`, `lb-<lb>-http-listener-arn` and
  `lb-<lb>-model-servers-security-group-id` (not on an existing one), `variant-<variant>-target-group-arn`
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterator

from cdktf import LocalBackend, S3Backend, TerraformOutput, TerraformStack
from constructs import Construct

from constructs_ab import aws_names
from constructs_ab.alarm_topic import AlarmTopic, AlarmTopicProps
from constructs_ab.auto_rollback import AutoRollback, AutoRollbackProps, auto_rollback_key, rollback_control
from constructs_ab.existing_load_balancer import ExistingLoadBalancer, existing_load_balancer
from constructs_ab.experiment import ModelExperiment, ModelExperimentProps
from constructs_ab.guardrails import ExperimentGuardrails, ExperimentGuardrailsProps, GuardedVariant
from constructs_ab.load_balancer import ListenerDefault, ModelLoadBalancer, ModelLoadBalancerProps
from constructs_ab.load_balancer_alarms import LoadBalancerAlarms, LoadBalancerAlarmsProps
from constructs_ab.model_variant import ModelVariant, ModelVariantProps
from constructs_ab.provider import AwsProvider, AwsProviderDefaultTags, KmsKey
from constructs_ab.routing.from_spec import experiment_routing
from constructs_ab.rules_anchor import ListenerRulesAnchor, ListenerRulesAnchorProps
from constructs_ab.spec.model import DefaultActionKind, Environment, Experiment, LoadBalancer
from constructs_ab.tagging import BaseTags


class SynthError(ValueError):
    """A part of an environment could not be built: one line naming the spec object, e.g.
    `environment prod, variant a: ModelVariantProps.variant.port: 0 is out of range; ...`."""


_CONSTRUCT_ID_CLASH = re.compile(r"There is already a Construct with name '(?P<id>[^']*)'")


@contextlib.contextmanager
def building(what: str) -> Iterator[None]:
    """Turn any error raised while `what` (e.g. "environment prod, variant a") is built into a
    `SynthError` of one line that names it; a construct id clash (two parts that would be one Terraform
    resource, which a validated spec never makes) is said in those words, not in jsii's."""
    try:
        yield
    except SynthError:
        raise
    except Exception as error:
        text = (
            "; ".join(line.strip() for line in str(error).splitlines() if line.strip())
            or type(error).__name__
        )
        clash = _CONSTRUCT_ID_CLASH.search(text)
        if clash is not None:
            text = (
                f"two of its parts would be the same Terraform resource ({clash['id']}); the spec validator "
                "should have refused this spec: please report it, with the spec"
            )
        raise SynthError(f"{what}: {text}") from error


def load_balancer_id(name: str) -> str:
    return f"lb-{name}"


def variant_id(name: str) -> str:
    return f"variant-{name}"


def experiment_id(name: str) -> str:
    return f"experiment-{name}"


def guardrails_id(name: str) -> str:
    return f"guardrails-{name}"


#: The construct id of the environment's `AlarmTopic`.
ALARM_TOPIC_ID = "alarm-notifications"


def auto_rollback_id(name: str) -> str:
    return f"auto-rollback-{name}"


#: Construct id of the environment's auto-rollback key (made with the first `auto_rollback` experiment).
AUTO_ROLLBACK_KEY_ID = "auto-rollback-key"


class EnvironmentStack(TerraformStack):
    """The Terraform stack of one environment, named after it.

    Children: `provider` (AwsProvider with default tags), `backend` (S3Backend for a `state` block, else a
    LocalBackend keeping `terraform.<environment>.tfstate` beside the stack's `cdk.tf.json`, wherever the
    output was synthesized), `load_balancers` (an `ExistingLoadBalancer`, read, for an `existing_listener`),
    `variants`, `experiments`, `guardrails` and `auto_rollbacks` (dicts keyed by spec name; `guardrails` and
    `auto_rollbacks` by experiment name), `alarm_topic` (`AlarmTopic`), `load_balancer_alarms` (those the
    stack creates) and `auto_rollback_key` (None without an `auto_rollback` experiment). Each load
    balancer's web ACL follows `LoadBalancer.waf` as given: the spec loader resolves its default.
    """

    load_balancers: dict[str, ModelLoadBalancer | ExistingLoadBalancer]
    variants: dict[str, ModelVariant]
    experiments: dict[str, ModelExperiment]
    guardrails: dict[str, ExperimentGuardrails]
    alarm_topic: AlarmTopic
    auto_rollbacks: dict[str, AutoRollback]
    auto_rollback_key: KmsKey | None = None

    def __init__(self, scope: Construct, environment: Environment) -> None:
        where = f"environment {environment.name}"
        with building(where):
            super().__init__(scope, environment.name)
            self.environment = environment
            tags = BaseTags(environment=environment.name, owner=environment.owner, extra=environment.tags)
            self.provider = AwsProvider(
                self,
                "aws",
                region=environment.region,
                default_tags=[AwsProviderDefaultTags(tags=tags.as_dict())],
            )
            self.backend = _backend(self, environment)
            # No `terraform.required_version` here, although the S3 backend's `use_lockfile` needs Terraform
            # 1.10: Checkov 3.3.30's Terraform JSON parser cannot read a string attribute in the `terraform`
            # block (bridgecrewio/checkov#7454), so plain `checkov -d cdktf.out` would skip every stack and
            # exit 0, and the gate would stop with a traceback. Terraform older than 1.10 rejects
            # `use_lockfile` by itself; `constructs_ab.terraform.binary` refuses it before running anything.

        lb_of_variant: dict[str, str] = {}
        experiments_of_variant: dict[str, list[str]] = {}
        owner_of_variant: dict[str, str | None] = {}
        for experiment in environment.experiments:
            for weighted in experiment.variants:
                name = weighted.variant.name
                lb_of_variant.setdefault(name, experiment.load_balancer)
                experiments_of_variant.setdefault(name, []).append(experiment.name)
                owner_of_variant.setdefault(name, experiment.owner)

        self.variants = {}
        for variant in environment.variants:
            with building(f"{where}, variant {variant.name}"):
                self.variants[variant.name] = ModelVariant(
                    self,
                    variant_id(variant.name),
                    ModelVariantProps(
                        variant=variant,
                        vpc_id=environment.vpc_id,
                        experiments=tuple(experiments_of_variant[variant.name]),
                        tags=tags.with_owner(owner_of_variant[variant.name]),
                    ),
                )

        self.load_balancers = {}
        for lb in environment.load_balancers:
            lb_variants = [v for v in environment.variants if lb_of_variant[v.name] == lb.name]
            with building(f"{where}, load balancer {lb.name}"):
                if lb.existing_listener is not None:  # read, not created: see existing_load_balancer
                    self.load_balancers[lb.name] = existing_load_balancer(self, load_balancer_id(lb.name), lb)
                    continue
                self.load_balancers[lb.name] = ModelLoadBalancer(
                    self,
                    load_balancer_id(lb.name),
                    ModelLoadBalancerProps(
                        name=aws_names.load_balancer_name(environment.name, lb.name),
                        vpc_id=environment.vpc_id,
                        subnet_ids=environment.subnet_ids,
                        certificate_arn=lb.certificate(environment.certificate_arn),
                        allowed_client_cidrs=lb.client_cidrs(environment.allowed_client_cidrs),
                        tags=tags,
                        model_server_ports=tuple(sorted({v.port for v in lb_variants})),
                        internal=lb.internal,
                        idle_timeout=lb.idle_timeout,
                        deletion_protection=lb.deletion_protection,
                        ssl_policy=lb.ssl_policy,
                        default_action=self._listener_default(lb),
                        access_logs=lb.access_logs,
                        waf=lb.waf,
                        region=environment.region,
                        model_server_egress=lb.model_server_egress,
                        extra_certificate_arns=lb.extra_certificates,
                        ip_address_type=lb.ip_address_type,
                    ),
                )

        self.experiments = {}
        for experiment in environment.experiments:
            with building(f"{where}, experiment {experiment.name}"):
                self.experiments[experiment.name] = ModelExperiment(
                    self,
                    experiment_id(experiment.name),
                    ModelExperimentProps.from_routing(
                        experiment_routing(experiment),
                        listener_arn=self.load_balancers[experiment.load_balancer].https_listener_arn,
                        target_group_arns={
                            w.variant.name: self.variants[w.variant.name].arn for w in experiment.variants
                        },
                        tags=tags.with_owner(experiment.owner),
                        listener_key=load_balancer_id(experiment.load_balancer),
                    ),
                )
        for lb in environment.load_balancers:
            ListenerRulesAnchor(
                self.load_balancers[lb.name],
                "rules-anchor",
                ListenerRulesAnchorProps(
                    listener_key=load_balancer_id(lb.name),
                    rules=[
                        (rule.priority, self.experiments[experiment.name].rules[rule.key])
                        for experiment in environment.experiments
                        if experiment.load_balancer == lb.name
                        for rule in self.experiments[experiment.name].props.routing.rules()
                    ],
                ),
            )

        emails = {e.guardrails.alarm_email: None for e in environment.experiments if e.guardrails.alarm_email}
        with building(f"{where}, alarm topic"):
            self.alarm_topic = AlarmTopic(
                self,
                ALARM_TOPIC_ID,
                AlarmTopicProps(
                    name=aws_names.environment_alarm_topic_name(environment.name),
                    environment=environment.name,
                    emails=tuple(email for email in emails if email is not None),
                    tags=tags,
                ),
            )
        environment_topic: str = self.alarm_topic.arn
        topic_arn = None if environment.alarm_topic_per_experiment else environment_topic

        self.guardrails = {}
        for experiment in environment.experiments:
            with building(f"{where}, guardrails of experiment {experiment.name}"):
                self.guardrails[experiment.name] = ExperimentGuardrails(
                    self,
                    guardrails_id(experiment.name),
                    ExperimentGuardrailsProps(
                        name=aws_names.experiment_name_prefix(environment.name, experiment.name),
                        experiment=experiment.name,
                        load_balancer_arn_suffix=self.load_balancers[experiment.load_balancer].arn_suffix,
                        variants=tuple(
                            GuardedVariant(
                                name=w.variant.name,
                                model=w.variant.model,
                                target_group_arn_suffix=self.variants[w.variant.name].arn_suffix,
                            )
                            for w in experiment.variants
                        ),
                        region=environment.region,
                        tags=tags.with_owner(experiment.owner),
                        guardrails=experiment.guardrails,
                        alarm_topic_arn=topic_arn,
                    ),
                )

        self.auto_rollbacks = {}
        for experiment in environment.experiments:
            if experiment.auto_rollback:
                with building(f"{where}, auto-rollback of experiment {experiment.name}"):
                    self.auto_rollbacks[experiment.name] = self._auto_rollback(environment, experiment, tags)

        lbs = {
            aws_names.load_balancer_name(environment.name, n): lb.arn_suffix
            for n, lb in self.load_balancers.items()
            if isinstance(lb, ModelLoadBalancer)  # an existing load balancer's own alarms are not ours
        }
        with building(f"{where}, load balancer alarms"):
            props = LoadBalancerAlarmsProps(load_balancers=lbs, topic_arn=environment_topic, tags=tags)
            self.load_balancer_alarms = LoadBalancerAlarms(self, "load-balancer-alarms", props)

        with building(f"{where}, outputs"):
            self._outputs()

    def _auto_rollback(
        self, environment: Environment, experiment: Experiment, tags: BaseTags
    ) -> AutoRollback:
        if self.auto_rollback_key is None:
            self.auto_rollback_key = auto_rollback_key(
                self, AUTO_ROLLBACK_KEY_ID, environment=environment.name, tags=tags.as_dict()
            )
        weights = [(w.variant.name, w.weight) for w in experiment.variants]
        models = {w.variant.name: w.variant.model for w in experiment.variants}
        control = rollback_control(weights, experiment.ramp.candidate if experiment.ramp else None)
        return AutoRollback(
            self,
            auto_rollback_id(experiment.name),
            AutoRollbackProps(
                name=aws_names.experiment_name_prefix(environment.name, experiment.name),
                experiment=experiment.name,
                split_rule_arn=self.experiments[experiment.name].split_rule.arn,
                control=(control, models[control], self.variants[control].arn),
                candidates={name: self.variants[name].arn for name, _ in weights if name != control},
                topic_arn=self.guardrails[experiment.name].topic_arn,
                key_arn=self.auto_rollback_key.arn,
                tags=tags.with_owner(experiment.owner),
            ),
        )

    def _listener_default(self, lb: LoadBalancer) -> ListenerDefault:
        action = lb.default_action
        if action.kind is DefaultActionKind.FORWARD and action.variant is not None:
            variant = self.variants.get(action.variant)
            if variant is None:
                raise ValueError(
                    f"default_action forwards to variant {action.variant!r}, which no experiment of environment "
                    f"{self.environment.name} uses"
                )
            return ListenerDefault.forward(variant.arn)
        return ListenerDefault.fixed_404()

    def _outputs(self) -> None:
        for name, lb in self.load_balancers.items():
            prefix = load_balancer_id(name)
            TerraformOutput(
                self, f"{prefix}-dns-name", value=lb.dns_name, description=f"DNS name of load balancer {name}"
            )
            TerraformOutput(
                self,
                f"{prefix}-https-listener-arn",
                value=lb.https_listener_arn,
                description=f"ARN of the HTTPS listener of load balancer {name}",
            )
            if isinstance(lb, ExistingLoadBalancer):
                continue  # its other listeners and security groups are not ours
            TerraformOutput(
                self,
                f"{prefix}-http-listener-arn",
                value=lb.http_listener.arn,
                description=f"ARN of the HTTP (redirect) listener of load balancer {name}",
            )
            TerraformOutput(
                self,
                f"{prefix}-model-servers-security-group-id",
                value=lb.security_groups.model_servers.id,
                description=f"Security group to attach to the model servers behind load balancer {name}",
            )
        for name, variant in self.variants.items():
            TerraformOutput(
                self,
                f"{variant_id(name)}-target-group-arn",
                value=variant.arn,
                description=f"ARN of the target group of variant {name}",
            )


def local_state_file(environment: str) -> str:
    """The local state file of an environment without a `state` block, relative to its stack's directory."""
    return f"terraform.{environment}.tfstate"


def _backend(stack: TerraformStack, environment: Environment) -> S3Backend | LocalBackend:
    state = environment.state
    if state is None:
        # cdktf's default local backend holds the synthesizing machine's absolute path; a relative one
        # is resolved by Terraform against the stack's directory, so the state goes with the output.
        return LocalBackend(stack, path=local_state_file(environment.name))
    backend = S3Backend(
        stack,
        bucket=state.bucket,
        key=state.key,
        region=state.region or environment.region,
        encrypt=state.encrypt,
        dynamodb_table=state.dynamodb_table,
    )
    if state.use_lockfile:
        # S3-native locking (Terraform 1.10+); cdktf 0.21's S3Backend has no typed field for it.
        backend.add_override("use_lockfile", True)
    return backend


__all__ = [
    "ALARM_TOPIC_ID",
    "AUTO_ROLLBACK_KEY_ID",
    "EnvironmentStack",
    "auto_rollback_id",
    "SynthError",
    "building",
    "experiment_id",
    "guardrails_id",
    "load_balancer_id",
    "local_state_file",
    "variant_id",
]
