"""Each of the gate's Checkov speedups answers exactly what Checkov's own function answers.

The whole gate is compared with unpatched Checkov in test_equal_findings.py; here each replacement is
compared with the function it replaces, on the same inputs in the same order (evaluation can change the
evaluator's symbol table, so order matters), including inputs our stacks never contain.
"""

from __future__ import annotations

import ast
import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from constructs_ab.gate import quiet

quiet.prepare_environment()  # before Checkov is imported

import checkov.terraform.graph_builder.variable_rendering.evaluate_terraform as evaluate_terraform_module  # noqa: E402
import checkov.terraform.graph_builder.variable_rendering.safe_eval_functions as safe_eval_module  # noqa: E402
from checkov.terraform.graph_builder.local_graph import TerraformLocalGraph  # noqa: E402

from constructs_ab.gate import checkov_speedups, collector  # noqa: E402

FIXTURES = Path(__file__).parent / "fixtures"

# ---- 1. indexed vertex lookup --------------------------------------------------------------------------

BLOCK_MAP = {
    "aws_lb.public": [0],
    "aws_s3_bucket.logs[0]": [1],
    "aws_s3_bucket.logs[1]": [2],
    'aws_instance.web["a"]': [3],
    'aws_instance.web["a"][0]': [4],
    "module.x.aws_lb.y[2]": [5],
}
NAMES = [
    "aws_lb.public",  # direct hit
    "aws_s3_bucket.logs",  # fallback: first indexed name
    'aws_instance.web["a"]',  # quoted index
    "aws_instance.web",  # fallback with a quoted index
    'aws_instance.web["a"]',
    'aws_instance.web["a"][0]',
    "aws_lb",  # a prefix that is not followed by "["
    "module.x.aws_lb.y",
    "missing.name",
]


def original(graph: SimpleNamespace, name: str) -> list[int]:
    method = getattr(
        TerraformLocalGraph, "_ab_original_get_possible_vertices", TerraformLocalGraph._get_possible_vertices
    )
    return method(graph, None, "resource", name)  # type: ignore[no-any-return]


@pytest.mark.parametrize("name", NAMES)
def test_indexed_lookup_equals_checkovs_scan(name: str) -> None:
    graph = SimpleNamespace(vertices_by_module_dependency_by_name={None: {"resource": dict(BLOCK_MAP)}})
    expected = original(graph, name)
    assert checkov_speedups.indexed_get_possible_vertices(graph, None, "resource", name) == expected


def test_the_index_follows_a_block_map_that_grew() -> None:
    block_map = {"aws_s3_bucket.a[0]": [1]}
    graph = SimpleNamespace(vertices_by_module_dependency_by_name={None: {"resource": block_map}})
    assert checkov_speedups.indexed_get_possible_vertices(graph, None, "resource", "aws_s3_bucket.b") == []
    block_map["aws_s3_bucket.b[0]"] = [2]
    assert checkov_speedups.indexed_get_possible_vertices(graph, None, "resource", "aws_s3_bucket.b") == [2]


# ---- 2 and 3. memoized rendering, pooled interpreters ----------------------------------------------------

#: Strings Checkov renders, ours and not: references, JSON documents, numbers and booleans as text,
#: function calls, Terraform's `try`, conditionals, names of the evaluator's functions, assignments that
#: change its symbol table (then a string that reads the new symbol), statements asteval refuses or that
#: set its interrupt (`break`), syntax errors, time, output, and two interpolations in one string.
TRICKY = [
    "${aws_lb.lb-public_alb_ABC.arn_suffix}",
    "${aws_lb.lb-public_alb_ABC.arn_suffix}",
    '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "kms:*"}]}',
    "ml-platform",
    "1.0.42",
    "8080",
    "true",
    "false",
    "null",
    "[1, 2, 3]",
    "abs",
    "lower",
    "upper('abc')",
    'lower("ABC")',
    "max(1, 2)",
    "try(nosuchname, 'fallback')",
    "try(try(nosuchname), 3)",
    "${var.enabled ? 1 : 0}",
    "${1 == 1}",
    "a_symbol",
    "a_symbol = 5",
    "a_symbol",
    "a_symbol == 5",
    "(b_symbol := 7)",
    "b_symbol",
    "lower.attribute = 1",
    "lower.attribute",
    "break",
    "a_symbol",
    "continue",
    "def f(): pass",
    "1 +",
    "",
    "...",
    "1-2",
    "10-2",
    "timestamp()",
    "print('x')",
    "${jsonencode({a = 1})}",
    "%{ if true }yes%{ endif }",
    "${aws_lb.x.arn_suffix}",
    "${a}${b}",  # rendered differently with and without keep_interpolations
    "${aws_lb.x.arn}-${aws_lb.y.arn}",
    "1e3",
    "nan",
]


def _strings_of(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield str(key)
            yield from _strings_of(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings_of(item)


def _corpus() -> list[str]:
    example = json.loads((FIXTURES / "example" / "stacks" / "prod" / "cdk.tf.json").read_text())
    strings = [s for s in _strings_of(example) if len(s) < 2000]
    return TRICKY + strings[:1500] + TRICKY  # the tricky ones again, after the memo filled up


@contextmanager
def _fresh_symbols() -> Iterator[None]:
    """Run with the evaluator's symbol table as it is now, and put it back afterwards."""
    saved = dict(safe_eval_module.SAFE_EVAL_DICT)
    try:
        yield
    finally:
        safe_eval_module.SAFE_EVAL_DICT.clear()
        safe_eval_module.SAFE_EVAL_DICT.update(saved)


def _outcome(function: Callable[..., Any], *args: Any) -> tuple[str, Any]:
    try:
        value = function(*args)
    except Exception as error:
        return ("error", type(error).__name__)
    if callable(value):
        return ("callable", getattr(value, "__name__", ""))
    if isinstance(value, ast.AST):  # `break` evaluates to asteval's interrupt node
        return ("ast", type(value).__name__)
    if isinstance(value, float) and value != value:
        return ("nan", None)
    return (type(value).__name__, value)


def _render_all(strings: list[str], keeps: tuple[bool, ...], *, patched: bool) -> list[tuple[str, Any]]:
    """Each string rendered with each `keep_interpolations` of `keeps` in turn."""
    (checkov_speedups.install if patched else checkov_speedups.uninstall)()
    try:
        with _fresh_symbols():
            checkov_speedups.new_run()
            render = evaluate_terraform_module.evaluate_terraform
            outcomes = []
            for text in strings:
                for keep in keeps:
                    outcome = _outcome(render, text, keep)
                    if "timestamp" in text:
                        outcome = (outcome[0], None)  # the clock moved on between the two runs
                    outcomes.append(outcome)
            return outcomes
    finally:
        checkov_speedups.install()


@pytest.mark.parametrize("keeps", [(True,), (False,), (True, False), (False, True)])
def test_rendering_with_the_memo_and_the_pool_equals_checkovs(keeps: tuple[bool, ...]) -> None:
    strings = _corpus()
    assert _render_all(strings, keeps, patched=True) == _render_all(strings, keeps, patched=False)


def test_the_memo_remembers_repeated_strings_and_forgets_after_an_assignment() -> None:
    checkov_speedups.install()
    memo = checkov_speedups._state.memo
    assert memo is not None
    with _fresh_symbols():
        checkov_speedups.new_run()
        hits = memo.hits
        memo("${aws_lb.x.arn}", False)
        memo("${aws_lb.x.arn}", False)
        assert memo.hits == hits + 1
        assert memo("c_symbol", True) == "c_symbol"
        memo("c_symbol = 3", True)  # binds c_symbol in the evaluator's symbol table
        assert memo("c_symbol", True) == 3  # not the remembered "c_symbol"


def test_each_evaluation_gets_an_interpreter_in_a_new_interpreters_state() -> None:
    checkov_speedups.install()
    with _fresh_symbols():
        evaluate = safe_eval_module.evaluate
        assert isinstance(evaluate("break"), ast.Break)  # leaves the interrupt set on its interpreter
        assert evaluate("1 + 1") == 2  # a reused interpreter must not still be interrupted
        assert evaluate("try('nosuchname', '1 + 1')") == 2  # nested evaluations: their own interpreters


ALPHABET = st.sampled_from(list("ab1 .,:=()[]{}$\"'-_+*?!%<>~") + ["true", "null", "lower", "try", "${", "}"])


@given(st.lists(st.lists(ALPHABET, max_size=12).map("".join), min_size=1, max_size=30))
def test_rendering_random_text_with_the_speedups_equals_checkovs(strings: list[str]) -> None:
    sequence = strings + strings[::-1]
    keeps = (False, True)
    assert _render_all(sequence, keeps, patched=True) == _render_all(sequence, keeps, patched=False)


def test_install_patches_once_and_uninstall_restores_checkovs_functions() -> None:
    checkov_speedups.install()
    checkov_speedups.install()
    assert TerraformLocalGraph._get_possible_vertices is checkov_speedups.indexed_get_possible_vertices
    assert (
        TerraformLocalGraph._ab_original_get_possible_vertices
        is not checkov_speedups.indexed_get_possible_vertices
    )
    checkov_speedups.uninstall()
    try:
        assert (
            TerraformLocalGraph._get_possible_vertices
            is TerraformLocalGraph._ab_original_get_possible_vertices
        )
        assert safe_eval_module.evaluate is checkov_speedups._state.original_evaluate
        assert (
            evaluate_terraform_module.evaluate_terraform
            is checkov_speedups._state.original_evaluate_terraform
        )
    finally:
        checkov_speedups.install()


def test_the_collector_is_off_during_a_run_and_as_it_was_afterwards() -> None:
    import gc

    assert gc.isenabled()
    with collector.paused():
        assert not gc.isenabled()
    assert gc.isenabled()
    gc.disable()
    try:
        with collector.paused():
            assert not gc.isenabled()
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_imports_pause_the_collector_then_freeze_what_they_made() -> None:
    import gc

    assert gc.isenabled()
    frozen_before = gc.get_freeze_count()
    try:
        with collector.imports_paused():
            assert not gc.isenabled()
            made = [[index] for index in range(1000)]  # tracked containers, like a module's objects
        assert gc.isenabled()
        assert gc.get_freeze_count() >= frozen_before + len(made)
    finally:
        gc.unfreeze()
