"""SIGTERM handled as Ctrl-C (`constructs_ab.cli.kit.termination`, used by every command through
`run_command`): the command's clean-up runs, it prints one line and exits 143, a second SIGTERM does not
cut the clean-up short, and the previous handler is back afterwards. Run in a child Python, since the
signal must reach a real main thread and, without the handler, would end the process."""

from __future__ import annotations

import signal
import subprocess
import sys
import textwrap
import threading
from pathlib import Path

from constructs_ab.cli.kit.exit_codes import ExitCode
from constructs_ab.cli.kit.termination import sigterm_as_ctrl_c

REPOSITORY = Path(__file__).resolve().parents[2]

# The command: says it is ready, waits, stops its "children" on KeyboardInterrupt (receiving a second
# SIGTERM meanwhile) and reports as the commands do. Afterwards its previous handler must be back.
COMMAND = textwrap.dedent(
    """
    import os, signal, sys, time
    from constructs_ab.cli.kit.entry import run_command
    from constructs_ab.cli.kit.exit_codes import ExitCode

    def previous(signum, frame):
        print("previous handler", flush=True)
        sys.exit(7)

    signal.signal(signal.SIGTERM, previous)

    def body():
        try:
            print("ready", flush=True)
            time.sleep(60)
            print("not interrupted", flush=True)
            return 0
        except KeyboardInterrupt:
            os.kill(os.getpid(), signal.SIGTERM)  # timeout sends it twice
            time.sleep(0.5)
            print("children stopped", flush=True)
            print("demo: interrupted; every child was stopped", file=sys.stderr)
            return ExitCode.INTERRUPTED

    print(f"exit code {run_command('demo', body)}", flush=True)
    print(f"handler restored: {signal.getsignal(signal.SIGTERM) is previous}", flush=True)
    os.kill(os.getpid(), signal.SIGTERM)
    time.sleep(5)
    print("still running", flush=True)
    """
)


def test_sigterm_runs_the_clean_up_prints_one_line_exits_143_and_restores_the_handler() -> None:
    child = subprocess.Popen(
        [sys.executable, "-c", COMMAND],
        cwd=REPOSITORY,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert child.stdout is not None
        assert child.stdout.readline() == "ready\n"
        child.send_signal(signal.SIGTERM)
        out, err = child.communicate(timeout=30)
    finally:
        child.kill()
    assert out.splitlines() == [
        "children stopped",
        f"exit code {ExitCode.TERMINATED.value}",
        "handler restored: True",
        "previous handler",
    ]
    assert err == "demo: interrupted; every child was stopped\n"
    assert child.returncode == 7
    assert ExitCode.TERMINATED == 143 == 128 + signal.SIGTERM


def test_the_generic_line_is_printed_when_the_command_does_not_catch_it() -> None:
    script = textwrap.dedent(
        """
        import os, signal, sys, time
        from constructs_ab.cli.kit.entry import run_command

        def body():
            os.kill(os.getpid(), signal.SIGTERM)
            time.sleep(60)
            return 0

        sys.exit(run_command("demo", body))
        """
    )
    run = subprocess.run(
        [sys.executable, "-c", script],
        cwd=REPOSITORY,
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    assert (run.returncode, run.stdout, run.stderr) == (143, "", "demo: interrupted\n")


def test_an_ignored_sigterm_stays_ignored() -> None:
    previous = signal.signal(signal.SIGTERM, signal.SIG_IGN)
    try:
        with sigterm_as_ctrl_c() as terminated:
            assert signal.getsignal(signal.SIGTERM) == signal.SIG_IGN
            assert not terminated()
        assert signal.getsignal(signal.SIGTERM) == signal.SIG_IGN
    finally:
        signal.signal(signal.SIGTERM, previous)


def test_outside_the_main_thread_nothing_changes() -> None:
    seen: list[object] = []

    def worker() -> None:
        with sigterm_as_ctrl_c() as terminated:
            seen.append(signal.getsignal(signal.SIGTERM))
            seen.append(terminated())

    before = signal.getsignal(signal.SIGTERM)
    thread = threading.Thread(target=worker)
    thread.start()
    thread.join()
    assert seen == [before, False]
