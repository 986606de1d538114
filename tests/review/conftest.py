"""Shared fixtures of the review tests: paths to the checked-in Terraform JSON and a CLI runner."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

FIXTURES = Path(__file__).parent / "fixtures"
BASE = FIXTURES / "base"  # cdktf.out layout: prod (sentiment 80/20, summarize 60/40/0) and staging
HEAD = FIXTURES / "head"  # prod: sentiment 50/50, summarize 50/30/20 with stickiness 600 s
HANDWRITTEN = FIXTURES / "handwritten"  # aws_alb_* resources, both JSON shapes, unresolved references
PROD = BASE / "stacks" / "prod" / "cdk.tf.json"


@dataclass(frozen=True)
class Run:
    code: int
    out: str
    err: str


@pytest.fixture
def run_cli(capsys: pytest.CaptureFixture[str]) -> Callable[..., Run]:
    """Run `python -m constructs_ab <args>` in-process and capture its output."""
    from constructs_ab.__main__ import main

    def run(*args: str) -> Run:
        code = main([str(a) for a in args])
        captured = capsys.readouterr()
        return Run(code=code, out=captured.out, err=captured.err)

    return run


def load_prod() -> dict[str, Any]:
    return json.loads(PROD.read_text())


@pytest.fixture
def write_stack(tmp_path: Path) -> Callable[[str, dict[str, Any]], Path]:
    """Write a (mutated) prod document as `<tmp>/<name>/stacks/prod/cdk.tf.json`; returns the dir."""

    def write(name: str, document: dict[str, Any]) -> Path:
        target = tmp_path / name / "stacks" / "prod" / "cdk.tf.json"
        target.parent.mkdir(parents=True)
        target.write_text(json.dumps(document))
        return tmp_path / name

    return write


@pytest.fixture
def prod_document() -> dict[str, Any]:
    """A fresh, mutable copy of the base prod stack."""
    return copy.deepcopy(load_prod())
