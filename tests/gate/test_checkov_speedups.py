"""The gate's indexed vertex lookup answers exactly what Checkov's own scan answers."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from constructs_ab.gate import quiet

quiet.prepare_environment()  # before Checkov is imported

from checkov.terraform.graph_builder.local_graph import TerraformLocalGraph  # noqa: E402

from constructs_ab.gate import checkov_speedups  # noqa: E402

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


def test_install_patches_once_and_keeps_the_original() -> None:
    checkov_speedups.install()
    checkov_speedups.install()
    assert TerraformLocalGraph._get_possible_vertices is checkov_speedups.indexed_get_possible_vertices
    assert (
        TerraformLocalGraph._ab_original_get_possible_vertices
        is not checkov_speedups.indexed_get_possible_vertices
    )
