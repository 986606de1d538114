"""The parts of an environment's load balancers, built into a given stack: the one stack of the `one`
layout, or a load balancer's own stack with `per_load_balancer` (`constructs_ab.stack_layout`).

`LoadBalancerParts(stack, environment, tags)` builds, for every load balancer of `environment` (give it
`spec.stack_inputs.load_balancer_part` for one), its variants, the load balancer (or the existing one, read),
its experiments and their rules anchor; `add_alarms(topic_arn)` then its guardrails, auto-rollbacks, its
own 5xx alarm and the outputs, notifying the environment's alarm topic `topic_arn` (a reference to the
`AlarmTopic` of the same stack, or its ARN). Construct ids: `construct_ids`.
"""

from __future__ import annotations

from cdktf import TerraformOutput, TerraformStack

from constructs_ab import aws_names
from constructs_ab.auto_rollback import AutoRollback, AutoRollbackProps, auto_rollback_key, rollback_control
from constructs_ab.construct_ids import (
    AUTO_ROLLBACK_KEY_ID,
    auto_rollback_id,
    experiment_id,
    guardrails_id,
    load_balancer_id,
    variant_id,
)
from constructs_ab.existing_load_balancer import ExistingLoadBalancer, existing_load_balancer
from constructs_ab.experiment import ModelExperiment, ModelExperimentProps
from constructs_ab.guardrails import ExperimentGuardrails, ExperimentGuardrailsProps, GuardedVariant
from constructs_ab.load_balancer import ListenerDefault, ModelLoadBalancer, ModelLoadBalancerProps
from constructs_ab.load_balancer_alarms import LoadBalancerAlarms, LoadBalancerAlarmsProps
from constructs_ab.model_variant import ModelVariant, ModelVariantProps
from constructs_ab.provider import KmsKey
from constructs_ab.routing.from_spec import experiment_routing
from constructs_ab.rules_anchor import ListenerRulesAnchor, ListenerRulesAnchorProps
from constructs_ab.spec.model import DefaultActionKind, Environment, Experiment, LoadBalancer
from constructs_ab.synth_error import building
from constructs_ab.tagging import BaseTags


class LoadBalancerParts:
    """The load balancers of `environment` and what hangs off them, in `stack`.

    Attributes (dicts keyed by spec name; `guardrails` and `auto_rollbacks` by experiment name, filled by
    `add_alarms`): `load_balancers`, `variants`, `experiments`, `guardrails`, `auto_rollbacks`,
    `load_balancer_alarms`, and `auto_rollback_key` (the stack's key of its auto-rollback functions, made
    with the first `auto_rollback` experiment; None without one). Each load balancer's web ACL follows
    `LoadBalancer.waf` as given: the spec loader resolves its default.
    """

    load_balancer_alarms: LoadBalancerAlarms | None = None
    auto_rollback_key: KmsKey | None = None

    def __init__(self, stack: TerraformStack, environment: Environment, tags: BaseTags) -> None:
        self.stack = stack
        self.environment = environment
        self.tags = tags
        self.where = f"environment {environment.name}"
        self.variants: dict[str, ModelVariant] = {}
        self.load_balancers: dict[str, ModelLoadBalancer | ExistingLoadBalancer] = {}
        self.experiments: dict[str, ModelExperiment] = {}
        self.guardrails: dict[str, ExperimentGuardrails] = {}
        self.auto_rollbacks: dict[str, AutoRollback] = {}
        lb_of_variant = self._add_variants()
        for lb in environment.load_balancers:
            lb_variants = [v for v in environment.variants if lb_of_variant[v.name] == lb.name]
            with building(f"{self.where}, load balancer {lb.name}"):
                self.load_balancers[lb.name] = self._load_balancer(
                    lb, tuple(sorted({v.port for v in lb_variants}))
                )
        for experiment in environment.experiments:
            with building(f"{self.where}, experiment {experiment.name}"):
                self.experiments[experiment.name] = self._experiment(experiment)
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

    def _add_variants(self) -> dict[str, str]:
        """Every variant's target group; returns each variant's load balancer."""
        environment = self.environment
        lb_of_variant: dict[str, str] = {}
        experiments_of_variant: dict[str, list[str]] = {}
        owner_of_variant: dict[str, str | None] = {}
        for experiment in environment.experiments:
            for weighted in experiment.variants:
                name = weighted.variant.name
                lb_of_variant.setdefault(name, experiment.load_balancer)
                experiments_of_variant.setdefault(name, []).append(experiment.name)
                owner_of_variant.setdefault(name, experiment.owner)
        for variant in environment.variants:
            with building(f"{self.where}, variant {variant.name}"):
                self.variants[variant.name] = ModelVariant(
                    self.stack,
                    variant_id(variant.name),
                    ModelVariantProps(
                        variant=variant,
                        vpc_id=environment.vpc_id,
                        experiments=tuple(experiments_of_variant[variant.name]),
                        tags=self.tags.with_owner(owner_of_variant[variant.name]),
                    ),
                )
        return lb_of_variant

    def _load_balancer(
        self, lb: LoadBalancer, ports: tuple[int, ...]
    ) -> ModelLoadBalancer | ExistingLoadBalancer:
        if lb.existing_listener is not None:  # read, not created: see existing_load_balancer
            return existing_load_balancer(self.stack, load_balancer_id(lb.name), lb)
        environment = self.environment
        props = ModelLoadBalancerProps(
            name=aws_names.load_balancer_name(environment.name, lb.name),
            vpc_id=environment.vpc_id,
            subnet_ids=environment.subnet_ids,
            certificate_arn=lb.certificate(environment.certificate_arn),
            allowed_client_cidrs=lb.client_cidrs(environment.allowed_client_cidrs),
            tags=self.tags,
            model_server_ports=ports,
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
        )
        return ModelLoadBalancer(self.stack, load_balancer_id(lb.name), props)

    def _experiment(self, experiment: Experiment) -> ModelExperiment:
        return ModelExperiment(
            self.stack,
            experiment_id(experiment.name),
            ModelExperimentProps.from_routing(
                experiment_routing(experiment),
                listener_arn=self.load_balancers[experiment.load_balancer].https_listener_arn,
                target_group_arns={
                    w.variant.name: self.variants[w.variant.name].arn for w in experiment.variants
                },
                tags=self.tags.with_owner(experiment.owner),
                listener_key=load_balancer_id(experiment.load_balancer),
            ),
        )

    def add_alarms(self, environment_topic: str) -> None:
        """Guardrails, auto-rollbacks, the load balancers' 5xx alarms (notifying `environment_topic`, the
        environment's alarm topic ARN) and the outputs."""
        environment = self.environment
        topic_arn = None if environment.alarm_topic_per_experiment else environment_topic
        for experiment in environment.experiments:
            with building(f"{self.where}, guardrails of experiment {experiment.name}"):
                self.guardrails[experiment.name] = self._guardrails(experiment, topic_arn)
        for experiment in environment.experiments:
            if experiment.auto_rollback:
                with building(f"{self.where}, auto-rollback of experiment {experiment.name}"):
                    self.auto_rollbacks[experiment.name] = self._auto_rollback(experiment)
        lbs = {
            aws_names.load_balancer_name(environment.name, n): lb.arn_suffix
            for n, lb in self.load_balancers.items()
            if isinstance(lb, ModelLoadBalancer)  # an existing load balancer's own alarms are not ours
        }
        with building(f"{self.where}, load balancer alarms"):
            props = LoadBalancerAlarmsProps(load_balancers=lbs, topic_arn=environment_topic, tags=self.tags)
            self.load_balancer_alarms = LoadBalancerAlarms(self.stack, "load-balancer-alarms", props)
        with building(f"{self.where}, outputs"):
            self._outputs()

    def _guardrails(self, experiment: Experiment, topic_arn: str | None) -> ExperimentGuardrails:
        variants = tuple(
            GuardedVariant(
                name=w.variant.name,
                model=w.variant.model,
                target_group_arn_suffix=self.variants[w.variant.name].arn_suffix,
            )
            for w in experiment.variants
        )
        props = ExperimentGuardrailsProps(
            name=self._prefix(experiment),
            experiment=experiment.name,
            load_balancer_arn_suffix=self.load_balancers[experiment.load_balancer].arn_suffix,
            variants=variants,
            region=self.environment.region,
            tags=self.tags.with_owner(experiment.owner),
            guardrails=experiment.guardrails,
            alarm_topic_arn=topic_arn,
        )
        return ExperimentGuardrails(self.stack, guardrails_id(experiment.name), props)

    def _auto_rollback(self, experiment: Experiment) -> AutoRollback:
        if self.auto_rollback_key is None:
            self.auto_rollback_key = auto_rollback_key(
                self.stack, AUTO_ROLLBACK_KEY_ID, environment=self.environment.name, tags=self.tags.as_dict()
            )
        weights = [(w.variant.name, w.weight) for w in experiment.variants]
        models = {w.variant.name: w.variant.model for w in experiment.variants}
        control = rollback_control(weights, experiment.ramp.candidate if experiment.ramp else None)
        props = AutoRollbackProps(
            name=self._prefix(experiment),
            experiment=experiment.name,
            split_rule_arn=self.experiments[experiment.name].split_rule.arn,
            control=(control, models[control], self.variants[control].arn),
            candidates={name: self.variants[name].arn for name, _ in weights if name != control},
            topic_arn=self.guardrails[experiment.name].topic_arn,
            key_arn=self.auto_rollback_key.arn,
            tags=self.tags.with_owner(experiment.owner),
        )
        return AutoRollback(self.stack, auto_rollback_id(experiment.name), props)

    def _prefix(self, experiment: Experiment) -> str:
        """The start of the AWS names of an experiment's resources (`<environment>-<experiment>`)."""
        return aws_names.experiment_name_prefix(self.environment.name, experiment.name)

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
                self.stack,
                f"{prefix}-dns-name",
                value=lb.dns_name,
                description=f"DNS name of load balancer {name}",
            )
            TerraformOutput(
                self.stack,
                f"{prefix}-https-listener-arn",
                value=lb.https_listener_arn,
                description=f"ARN of the HTTPS listener of load balancer {name}",
            )
            if isinstance(lb, ExistingLoadBalancer):
                continue  # its other listeners and security groups are not ours
            TerraformOutput(
                self.stack,
                f"{prefix}-http-listener-arn",
                value=lb.http_listener.arn,
                description=f"ARN of the HTTP (redirect) listener of load balancer {name}",
            )
            TerraformOutput(
                self.stack,
                f"{prefix}-model-servers-security-group-id",
                value=lb.security_groups.model_servers.id,
                description=f"Security group to attach to the model servers behind load balancer {name}",
            )
        for name, variant in self.variants.items():
            TerraformOutput(
                self.stack,
                f"{variant_id(name)}-target-group-arn",
                value=variant.arn,
                description=f"ARN of the target group of variant {name}",
            )
