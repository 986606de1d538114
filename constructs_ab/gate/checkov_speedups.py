"""One indexed lookup for Checkov's Terraform graph builder, so large configurations build in linear time.

`LocalGraph._get_possible_vertices` (Checkov 3.3) resolves each reference of each block to the vertices
it may point to. When the name is not in its map, which is the common case (every reference is tried
against several block types), it falls back to scanning every vertex name of that block type for
`<name>[` (resources with `count`/`for_each` whose index was stripped). Over a stack of 3,500 resources that
scan is most of the graph build: tens of millions of `str.startswith` calls.

Import this module only after `quiet.prepare_environment()` (it imports Checkov).

`install()` replaces the method with one that answers the fallback from a prefix index built once per
block map (the first name, in map order, that starts with `<name>[`: exactly what the scan returns). The
gate installs it before it runs Checkov; plain `checkov` runs are not affected. The gate's tests run the
full policy and mutation suites through the patched builder, and tests/gate/test_checkov_speedups.py
compares the two lookups directly.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from checkov.terraform.graph_builder.local_graph import TerraformLocalGraph
from checkov.terraform.graph_builder.variable_rendering.renderer import (
    LEFT_BRACKET,
    LEFT_BRACKET_WITH_QUOTATION,
    RIGHT_BRACKET,
    RIGHT_BRACKET_WITH_QUOTATION,
)

_ORIGINAL = "_ab_original_get_possible_vertices"


def first_match_by_bracket_prefix(block_map: Mapping[str, list[int]]) -> dict[str, list[int]]:
    """For every `<prefix>[` that starts a name in `block_map`, the indices of the first such name."""
    index: dict[str, list[int]] = {}
    for key, indices in block_map.items():
        position = key.find("[")
        while position != -1:
            index.setdefault(key[:position], indices)
            position = key.find("[", position + 1)
    return index


def indexed_get_possible_vertices(self: Any, module_key: Any, block_type: str, name: str) -> list[int]:
    """Checkov's lookup, with the `<name>[` fallback answered from a cached prefix index."""
    block_map = self.vertices_by_module_dependency_by_name.get(module_key, {}).get(block_type, {})
    possible = block_map.get(name, [])
    if possible:
        return possible  # type: ignore[no-any-return]
    bracketed = name.replace(LEFT_BRACKET_WITH_QUOTATION, LEFT_BRACKET).replace(
        RIGHT_BRACKET_WITH_QUOTATION, RIGHT_BRACKET
    )
    possible = block_map.get(bracketed, [])
    if possible:
        return possible  # type: ignore[no-any-return]
    cache: dict[int, tuple[int, dict[str, list[int]]]] = self.__dict__.setdefault("_ab_prefix_index", {})
    cached = cache.get(id(block_map))
    if cached is None or cached[0] != len(block_map):
        cached = (len(block_map), first_match_by_bracket_prefix(block_map))
        cache[id(block_map)] = cached
    return cached[1].get(name, [])


def install() -> None:
    """Patch `TerraformLocalGraph._get_possible_vertices` (once per process)."""
    if not hasattr(TerraformLocalGraph, _ORIGINAL):
        setattr(TerraformLocalGraph, _ORIGINAL, TerraformLocalGraph._get_possible_vertices)
        # A monkeypatch of Checkov's method; the replacement takes the same arguments, typed loosely.
        TerraformLocalGraph._get_possible_vertices = indexed_get_possible_vertices  # type: ignore[method-assign,assignment]
