"""A/B testing of AI models behind an AWS Application Load Balancer.

Layers (see README.md, "Architecture"):

- `constructs_ab.spec`: the experiment spec, pure Python, validated before any cdktf call.
- the constructs (`load_balancer`, `model_variant`, `experiment`, `guardrails`, `environment_stack`):
  the only modules that import cdktf and the AWS provider bindings.
- `constructs_ab.gate`: the policy gate (Checkov plus `policies/`), reads Terraform JSON, no cdktf.
- `constructs_ab.review`: traffic report, what-if and traffic diff, read Terraform JSON, no cdktf.
- `constructs_ab.rollout`: promote, rollback and set-weights, edit the spec file in place.

This module imports nothing, so `python -m constructs_ab gate` never loads cdktf.
"""

#: The release; pyproject.toml reads it from here.
__version__ = "0.1.0"
