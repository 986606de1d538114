"""Stacks run in dependency order (`stack_waves`): the environment stack before its load balancer stacks,
which run together; the reverse for destroy; nothing runs after a failed dependency."""

from __future__ import annotations

from constructs_ab.emulator.stack_waves import run_in_waves

NAMES = ["prod", "prod--public", "prod--internal", "staging"]
DEPENDS_ON = {"prod--public": ("prod",), "prod--internal": ("prod",)}


def test_dependencies_run_first_and_the_independent_together() -> None:
    ran: list[str] = []

    def run(name: str) -> bool:
        ran.append(name)
        return True

    results = run_in_waves(NAMES, DEPENDS_ON, run, bool)
    assert list(results)[:2] == ["prod", "staging"]  # the first wave, in the given order
    assert set(list(results)[2:]) == {"prod--public", "prod--internal"}
    assert ran.index("prod") < ran.index("prod--public") and ran.index("prod") < ran.index("prod--internal")


def test_reverse_runs_the_dependents_first() -> None:
    results = run_in_waves(NAMES, DEPENDS_ON, lambda name: True, bool, reverse=True)
    assert list(results) == ["prod--public", "prod--internal", "staging", "prod"]


def test_a_failed_dependency_stops_its_dependents_only() -> None:
    results = run_in_waves(NAMES, DEPENDS_ON, lambda name: name != "prod", bool)
    assert results == {"prod": False, "staging": True}


def test_a_failed_dependent_keeps_the_environment_stack_on_destroy() -> None:
    results = run_in_waves(NAMES, DEPENDS_ON, lambda name: name != "prod--internal", bool, reverse=True)
    assert results == {"prod--public": True, "prod--internal": False, "staging": True}


def test_dependencies_outside_the_names_are_ignored() -> None:
    results = run_in_waves(["prod--public"], DEPENDS_ON, lambda name: True, bool)
    assert results == {"prod--public": True}
