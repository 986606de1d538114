"""How a command starts and ends: its `main` returns an exit code, whatever happens.

Every command module has

    def main(argv: Sequence[str] | None = None, *, command: str = "<name>", prog: str | None = None) -> int:
        return run_command(command, lambda: _run(argv, command, prog_of(command, prog)))

`command` starts every message line (`gate: ...`); `prog` is what usage and help call it. `run_command`
returns the body's exit code, the parser's code when it stopped (`--help`: 0; a usage error: 2, its
line already printed), and for Ctrl-C prints `<command>: interrupted` and returns 130 (commands that
must say what they left, such as synth and the spec edits, catch it first). SIGTERM is handled the same
way (`termination.sigterm_as_ctrl_c`: KeyboardInterrupt, so the children the command started are
stopped), except that the exit code is then 143. `fail` prints problems, one line each.
"""

from __future__ import annotations

import sys
import threading
from collections.abc import Callable, Iterable

from constructs_ab.cli.kit.exit_codes import ExitCode
from constructs_ab.cli.kit.termination import sigterm_as_ctrl_c


def run_command(command: str, body: Callable[[], int]) -> int:
    """Run `body`, SIGTERM raising KeyboardInterrupt meanwhile; its exit code, or the code of a SystemExit
    it raised, or 130 after Ctrl-C; 143 instead of 130 (the body's or ours) when a SIGTERM came."""
    with sigterm_as_ctrl_c() as terminated:
        try:
            code = int(body())
        except SystemExit as stop:
            code = _code_of(stop)
        except KeyboardInterrupt:
            quiet_exit_after_interrupt()
            print(f"{command}: interrupted", file=sys.stderr)
            code = ExitCode.INTERRUPTED
    return ExitCode.TERMINATED if code == ExitCode.INTERRUPTED and terminated() else code


def fail(command: str, problems: Iterable[str], code: ExitCode = ExitCode.BAD_INPUT) -> ExitCode:
    """Print `<command>: <problem>` on stderr for each problem; return `code`."""
    for problem in problems:
        print(f"{command}: {problem}", file=sys.stderr)
    return code


def quiet_exit_after_interrupt() -> None:
    """After Ctrl-C, let the interpreter exit without the tracebacks of clean-up code that finds its work
    cut short (`atexit` callbacks and `__del__`, reported through `sys.unraisablehook`; worker threads,
    through `threading.excepthook`): the jsii runtime's, for one, fails to stop a Node.js process that
    Ctrl-C already ended."""
    sys.unraisablehook = _ignore
    threading.excepthook = _ignore


def _ignore(_unraisable: object) -> None:
    return None


def _code_of(stop: SystemExit) -> int:
    if stop.code is None:
        return ExitCode.OK
    if isinstance(stop.code, int):
        return stop.code
    print(stop.code, file=sys.stderr)  # sys.exit("message"), as Python itself would show it
    return ExitCode.FAILED
