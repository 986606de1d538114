"""Generated specs for the benchmarks: N experiments of 5 variants each, spread over load balancers.

Each experiment uses 6 rules (5 override rules and the split), so 16 experiments fill the default quota
of 100 rules of one load balancer (96 rules, 80 target groups); more experiments go to more load balancers.
With `stacks="per_load_balancer"` the environment is split into an environment stack and one stack per
load balancer (README, "One stack per load balancer"), so a one-weight change touches one load balancer's
stack.
"""

from __future__ import annotations

import math
from pathlib import Path

from constructs_ab import aws_limits

VARIANTS_PER_EXPERIMENT = 5
RULES_PER_EXPERIMENT = VARIANTS_PER_EXPERIMENT + 1  # override rules plus the split
EXPERIMENTS_PER_LOAD_BALANCER = aws_limits.DEFAULT_RULES_PER_LOAD_BALANCER // RULES_PER_EXPERIMENT

_ENVIRONMENT = """\
version: 1
environments:
  bench:
    region: eu-west-1
    vpc_id: vpc-0a1b2c3d4e5f67890
    subnet_ids: [subnet-0a1b2c3d4e5f60001, subnet-0a1b2c3d4e5f60002]
    certificate_arn: arn:aws:acm:eu-west-1:123456789012:certificate/11111111-2222-3333-4444-555555555555
    allowed_client_cidrs: [0.0.0.0/0]
    owner: ml-platform
    load_balancers:
"""


def load_balancer_count(experiments: int) -> int:
    return max(1, math.ceil(experiments / EXPERIMENTS_PER_LOAD_BALANCER))


def generated_spec(experiments: int, *, stacks: str | None = None) -> str:
    """YAML text of a spec with `experiments` experiments of 5 variants, as few load balancers as fit.
    stacks: the environment's `stacks` setting (`one`, `per_load_balancer`). Default: not set (`one`)."""
    lines = [
        _ENVIRONMENT
        if stacks is None
        else _ENVIRONMENT.replace("    load_balancers:\n", f"    stacks: {stacks}\n    load_balancers:\n")
    ]
    for lb in range(load_balancer_count(experiments)):
        lines.append(f"      lb{lb}: {{}}\n")
    lines.append("    experiments:\n")
    weights = (40, 30, 15, 10, 5)
    for index in range(experiments):
        lb = index // EXPERIMENTS_PER_LOAD_BALANCER
        lines.append(
            f"      - name: exp{index:03d}\n"
            f"        load_balancer: lb{lb}\n"
            f"        match: {{paths: ['/exp{index:03d}', '/exp{index:03d}/*']}}\n"
            f"        stickiness: 1h\n"
            f"        override: {{source_ips: [203.0.113.0/24]}}\n"
            f"        guardrails: {{alarm_email: ml-oncall@example.com}}\n"
            f"        variants:\n"
        )
        for variant, weight in enumerate(weights):
            lines.append(
                f"          - {{name: e{index:03d}-v{variant}, model: {{id: model-{variant}, version: '1.0.{index}'}},"
                f" weight: {weight}, port: 8080}}\n"
            )
    return "".join(lines)


def write_generated_spec(experiments: int, directory: Path, *, stacks: str | None = None) -> Path:
    path = directory / f"generated-{experiments}.yaml"
    path.write_text(generated_spec(experiments, stacks=stacks))
    return path
