"""The end-to-end scenario (scenario.py) runs once per session, the first time a test asks for it; every
test of this folder reads its recorded outcomes. Its timings are printed at the end of the run."""

from __future__ import annotations

import pytest

from constructs_ab.terraform.toolchain import Toolchain
from tests.e2e.scenario import Scenario, run_scenario

_ran: list[Scenario] = []


@pytest.fixture(scope="session")
def scenario(emulator_toolchain: Toolchain, tmp_path_factory: pytest.TempPathFactory) -> Scenario:
    result = run_scenario(emulator_toolchain, tmp_path_factory.mktemp("e2e"))
    _ran.append(result)
    return result


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if not _ran:
        return
    scenario = _ran[0]
    write = terminalreporter.write_line
    terminalreporter.section("end-to-end on the emulator: one terraform run per step")
    write(f"{'step':<34} {'stack':<8} {'outcome':<8} {'seconds':>8}  {'second apply / notes'}")
    for name, outcome in scenario.steps.items():
        if outcome.apply is None:
            write(
                f"{name:<34} {outcome.environment:<8} {'error':<8} {'':>8}  {(outcome.error or '').splitlines()[0]}"
            )
            continue
        verdict = "pass" if outcome.passed else "FAIL"
        notes = []
        if outcome.isolated:
            notes.append(f"own emulator, start state applied in {outcome.setup_seconds:.0f} s")
        if not outcome.passed:
            notes.append(
                outcome.apply.errors[0] if outcome.apply.errors else outcome.failure().splitlines()[0]
            )
        if outcome.plan_seconds:
            notes.append(f"plan {outcome.plan_seconds:.0f} s + apply of that plan")
        if outcome.order is not None:
            gaps = len(outcome.order.gaps)
            notes.append(f"order: {outcome.order.pairs} pairs checked, {gaps} gap{'s' * (gaps != 1)}")
        if outcome.second_apply is not None:
            second = (
                "completes it" if outcome.second_apply.ok and not outcome.second_problems else "fails too"
            )
            notes.append(f"second apply {second} ({outcome.second_apply.seconds:.0f} s)")
        write(
            f"{name:<34} {outcome.environment:<8} {verdict:<8} "
            f"{outcome.apply.seconds + outcome.plan_seconds:>8.1f}  {'; '.join(notes)}"
        )
    if scenario.cli is not None:
        write(
            f"{'emulate --spec minimal.yaml':<34} {'dev':<8} {'exit ' + str(scenario.cli.returncode):<8} {scenario.cli_seconds:>8.1f}"
        )
    write(f"whole scenario: {scenario.seconds:.0f} s (parts in parallel)")
