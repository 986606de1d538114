"""`validate` prints each experiment's resulting shares and stickiness."""

from __future__ import annotations

from pathlib import Path

import pytest

from constructs_ab.cli import validate

SPEC = """
version: 1
environments:
  prod:
    region: eu-west-1
    vpc_id: vpc-0a1b2c3d4e5f67890
    subnet_ids: [subnet-0a1b2c3d4e5f60001, subnet-0a1b2c3d4e5f60002]
    certificate_arn: arn:aws:acm:eu-west-1:123456789012:certificate/11111111-2222-3333-4444-555555555555
    allowed_client_cidrs: [10.0.0.0/8]
    owner: ml-platform
    load_balancers: {public: {}}
    experiments:
      - name: thirds
        load_balancer: public
        priority: 100
        match: {paths: [/thirds]}
        stickiness: 30m
        variants:
          - {name: a, model: "m:1", weight: 1}
          - {name: b, model: "m:2", weight: 1}
          - {name: c, model: "m:3", weight: 1}
      - name: paused
        load_balancer: public
        priority: 200
        override: false
        match: {paths: [/paused]}
        variants:
          - {name: d, model: "m:1", weight: 5}
          - {name: e, model: "m:2", weight: 0, paused: true}
"""


def test_each_experiment_s_shares_and_stickiness(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    spec = tmp_path / "spec.yaml"
    spec.write_text(SPEC)
    assert validate.main(["--spec", str(spec)]) == 0
    assert capsys.readouterr().out.splitlines() == [
        "prod: 1 load balancer(s), 2 experiment(s), 5 variant(s)",
        "  thirds on public (priorities 100-105): a 33.3%, b 33.3%, c 33.3%; sticky for 1800 s (AWSALBTG cookie)",
        "  paused on public (priority 200): d 100%, e 0% (paused); not sticky (each request is split on its own)",
    ]
