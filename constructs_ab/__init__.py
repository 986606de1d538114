"""A/B testing of AI models behind an AWS Application Load Balancer.

Layers (see docs/architecture.md: the data flow, who may import what, and how to extend each):

- `constructs_ab.spec`: the experiment spec, pure Python, validated before any cdktf call.
- `constructs_ab.routing`: the routing model, an experiment as the listener rules it becomes (pure Python).
- `constructs_ab.stack_layout`: which Terraform stacks an environment becomes (pure Python).
- the constructs (`load_balancer`, `model_variant`, `experiment`, `guardrails`, `load_balancer_parts`,
  `environment_stack`, `load_balancer_stack`, ...): the only modules that import cdktf, the AWS provider
  bindings only through `provider`.
- `constructs_ab.tfjson`: the one Terraform JSON reader.
- `constructs_ab.gate`: the policy gate (Checkov plus `policies/`), reads Terraform JSON, no cdktf.
- `constructs_ab.review`: traffic report, what-if and traffic diff, read Terraform JSON, no cdktf.
- `constructs_ab.rollout`: promote, rollback and set-weights, edit the spec file in place.
- `constructs_ab.live`, `constructs_ab.analysis`: what AWS routes now, and verdicts from CloudWatch (boto3).
- `constructs_ab.cli`: synth, validate, clean and what the commands share; `cli.kit`, the command-line kit.

This module imports nothing, so `python -m constructs_ab gate` never loads cdktf.
"""

#: The release; pyproject.toml reads it from here.
__version__ = "0.1.0"
