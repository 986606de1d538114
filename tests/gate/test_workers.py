"""The gate's worker processes: results in task order, exceptions passed on, a dead worker reported, and the
units of work they run (a stack, or the stacks that share a folder)."""

from __future__ import annotations

import os
import shutil
import signal
from pathlib import Path

import pytest

from constructs_ab.gate.plan import plan_stacks
from constructs_ab.gate.units import group_units
from constructs_ab.gate.workers import WorkerFailed, run_tasks

from .conftest import FIXTURES


def square_with_pid(number: int) -> tuple[int, int]:
    return number * number, os.getpid()


def test_results_come_back_in_task_order_from_several_processes():
    results = run_tasks(square_with_pid, list(range(6)), jobs=3, start_order=[5, 4, 3, 2, 1, 0])
    assert [value for value, _ in results] == [0, 1, 4, 9, 16, 25]
    assert os.getpid() not in {pid for _, pid in results}
    assert len({pid for _, pid in results}) == 6  # a process of its own for each task


def test_one_job_runs_the_tasks_here_in_order():
    results = run_tasks(square_with_pid, [1, 2], jobs=1)
    assert results == [(1, os.getpid()), (4, os.getpid())]


def fail_on_odd(number: int) -> int:
    if number % 2:
        raise ValueError(f"odd: {number}")
    return number


def test_the_first_exception_in_task_order_is_raised_here():
    with pytest.raises(ValueError, match="odd: 1"):
        run_tasks(fail_on_odd, [0, 1, 2, 3], jobs=2, start_order=[3, 2, 1, 0])


def die(number: int) -> int:
    if number == 1:
        os.kill(os.getpid(), signal.SIGKILL)
    return number


def test_a_worker_that_dies_is_reported_by_its_task():
    with pytest.raises(WorkerFailed, match="checking task-1 stopped .signal 9. without a result"):
        run_tasks(die, [0, 1], jobs=2, describe=lambda number: f"task-{number}")


def unpicklable(number: int) -> object:
    return lambda: number


def test_a_result_that_cannot_be_sent_back_is_reported():
    with pytest.raises(RuntimeError, match="PicklingError|AttributeError|Can't pickle"):
        run_tasks(unpicklable, [0, 1], jobs=2)


def test_stacks_in_different_folders_are_units_of_their_own(example):
    stacks = plan_stacks([str(example[0])])
    units = group_units(stacks)
    assert [unit.stacks for unit in units] == [(stack,) for stack in stacks]


def test_stacks_that_share_a_folder_share_a_unit(tmp_path: Path):
    folder = tmp_path / "config"
    folder.mkdir()
    shutil.copy(FIXTURES / "seed-classic" / "main.tf.json", folder / "a.tf.json")
    shutil.copy(FIXTURES / "seed-classic" / "main.tf.json", folder / "b.tf.json")
    other = tmp_path / "other"
    other.mkdir()
    shutil.copy(FIXTURES / "seed-classic" / "main.tf.json", other / "main.tf.json")
    stacks = plan_stacks([str(folder / "a.tf.json"), str(other), str(folder / "b.tf.json")])
    assert len(stacks) == 3
    units = group_units(stacks)
    assert [[stack.name for stack in unit.stacks] for unit in units] == [
        ["a.tf.json", "b.tf.json"],
        ["other"],
    ]
    assert len(units[0].files) == 2


def test_the_last_task_to_start_can_run_here():
    results = run_tasks(square_with_pid, list(range(5)), jobs=2, start_order=[4, 3, 2, 1, 0], last_here=True)
    assert [value for value, _ in results] == [0, 1, 4, 9, 16]
    pids = [pid for _, pid in results]
    assert pids[0] == os.getpid()  # started last
    assert os.getpid() not in pids[1:] and len(set(pids[1:])) == 4


def test_an_exception_here_waits_for_an_earlier_one_in_task_order():
    with pytest.raises(ValueError, match="odd: 1"):
        run_tasks(fail_on_odd, [0, 1, 2, 3], jobs=2, start_order=[0, 1, 2, 3], last_here=True)


def sigterm_disposition(_task: int) -> object:
    return signal.getsignal(signal.SIGTERM)


def test_a_worker_dies_on_sigterm_though_the_command_turns_it_into_ctrl_c():
    from constructs_ab.cli.kit.termination import sigterm_as_ctrl_c

    with sigterm_as_ctrl_c():
        assert signal.getsignal(signal.SIGTERM) != signal.SIG_DFL
        dispositions = run_tasks(sigterm_disposition, [1, 2], jobs=2)
    assert dispositions == [signal.SIG_DFL, signal.SIG_DFL]
