"""Rollout commands run at the same time on one spec never lose an edit.

20 pairs of real processes (promote/promote, promote/rollback, rollback/rollback, two set-weights, and
edits of two experiments), each pair started together on its own copy of the example spec. Each
command either succeeds or fails with exit 2 and one line; then the final file, and what every success
printed (the weights it changed from and to), must be exactly what running the successful commands
one after the other, in some order, gives. Two successes that both read the original file (one edit
lost) print the same "from" weights, which no serial order does.

The commands run on a slow disk (each fsync takes 0.1 s longer), so that the two commands of a pair
are between their read and their write at the same time, as on a network file system: without the
lock, both would pass the on-disk check before either replaced the file.
"""

from __future__ import annotations

import contextlib
import functools
import io
import itertools
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from constructs_ab.rollout import cli

REPO = Path(__file__).resolve().parents[2]
EXAMPLE = REPO / "examples" / "ab-experiments.yaml"

SLOW_DISK_CLI = """
import os, sys, time
fsync = os.fsync
def slow_fsync(fd):
    fsync(fd)
    time.sleep(0.1)
os.fsync = slow_fsync
from constructs_ab.__main__ import main
sys.exit(main())
"""

PROMOTE = ("promote", "sentiment-abtest", "--env", "prod")
ROLLBACK = ("rollback", "sentiment-abtest", "--env", "prod")
CHAT_A = ("set-weights", "chat-llm", "llama-8b=50", "mistral-7b=40", "qwen-7b=10")
CHAT_B = ("set-weights", "chat-llm", "llama-8b=20", "mistral-7b=30", "qwen-7b=50")
SCENARIOS = [
    (PROMOTE, PROMOTE),
    (PROMOTE, ROLLBACK),
    (ROLLBACK, ROLLBACK),
    (CHAT_A, CHAT_B),
    (PROMOTE, CHAT_B),
]
PAIRS = SCENARIOS * 4
PAIRS_AT_ONCE = 10


@dataclass(frozen=True)
class Outcome:
    command: tuple[str, ...]
    code: int
    stdout: str
    stderr: str


def start(command: tuple[str, ...], spec: Path) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-c", SLOW_DISK_CLI, *command, "--spec", str(spec)],
        cwd=REPO,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


@functools.cache
def serially(commands: tuple[tuple[str, ...], ...], spec: Path) -> tuple[bytes, list[str]]:
    """The final file and each command's output when `commands` run one after the other on `spec`."""
    shutil.copy(EXAMPLE, spec)
    outputs = []
    for command in commands:
        with contextlib.redirect_stdout(io.StringIO()) as out, contextlib.redirect_stderr(io.StringIO()):
            code = cli.main([*command[1:], "--spec", str(spec)], command=command[0])
        assert code == 0, (commands, command)
        outputs.append(out.getvalue())
    return spec.read_bytes(), outputs


def test_concurrent_rollout_commands_never_lose_an_edit(tmp_path: Path) -> None:
    # GIVEN a copy of the example spec per pair
    specs = []
    for index in range(len(PAIRS)):
        (tmp_path / f"pair-{index}").mkdir()
        specs.append(tmp_path / f"pair-{index}" / "ab-experiments.yaml")
        shutil.copy(EXAMPLE, specs[-1])

    # WHEN both commands of each pair run at once (a few pairs at a time, each on its own spec)
    outcomes: list[list[Outcome]] = []
    for first in range(0, len(PAIRS), PAIRS_AT_ONCE):
        batch = range(first, min(first + PAIRS_AT_ONCE, len(PAIRS)))
        running = [[(command, start(command, specs[i])) for command in PAIRS[i]] for i in batch]
        for pair in running:
            outcomes.append(
                [Outcome(command, p.wait(), p.stdout.read(), p.stderr.read()) for command, p in pair]
            )  # type: ignore[union-attr]

    # THEN each pair's result is that of its successes run one after the other, in some order
    reference = tmp_path / "reference" / "ab-experiments.yaml"
    reference.parent.mkdir()
    for spec, pair in zip(specs, outcomes, strict=True):
        for outcome in pair:
            assert outcome.code in (0, 2), outcome
            assert "Traceback" not in outcome.stderr
            if outcome.code == 2:
                assert outcome.stdout == "" and outcome.stderr.count("\n") == 1, outcome
        successes = [outcome for outcome in pair if outcome.code == 0]
        printed = [outcome.stdout.replace(str(spec), str(reference)) for outcome in successes]
        serial_results = []
        for order in itertools.permutations(range(len(successes))):
            final, outputs = serially(tuple(successes[i].command for i in order), reference)
            serial_results.append((final, [outputs[order.index(i)] for i in range(len(successes))]))
        assert (spec.read_bytes(), printed) in serial_results, (
            f"{spec.parent.name}: {[(o.command[0], o.code) for o in pair]}: the file or the printed changes "
            "match no serial order of the successes (an edit was lost)"
        )
