"""The policy gate, made ready while a synth runs: what `make gate` (`python main.py --gate`) uses.

Importing the gate (Checkov and its ~1,000 built-in checks) and loading its graph checks and `policies/`
takes about a second of CPU, and a synth keeps one core busy in the jsii runtime's Node.js process.
`PreparedGate.start()` forks, before the synth starts jsii, a child process that does that on the other
core and then waits. When the synth is complete, `run()` hands the child the gate's arguments and returns
its exit code; `cancel()` lets it go without running. The child writes to the same terminal, after the
synth's own lines.

Where `os.fork` does not exist (Windows), the gate is imported and run in this process instead.
"""

from __future__ import annotations

import json
import os
import signal
import sys
from collections.abc import Sequence
from dataclasses import dataclass

from constructs_ab.cli.kit.exit_codes import ExitCode
from constructs_ab.cli.kit.termination import sigterm_default

#: Exit code of the child when the gate itself could not start (an input error, as the gate's own).
EXIT_GATE_UNAVAILABLE = ExitCode.BAD_INPUT


@dataclass(frozen=True, kw_only=True)
class PreparedGate:
    """A forked child with the gate imported, waiting for its arguments (pid None: no child)."""

    pid: int | None
    channel: int | None

    @classmethod
    def start(cls) -> PreparedGate:
        """Fork the waiting child. Call before the first `import cdktf` (no jsii threads yet)."""
        if not hasattr(os, "fork"):
            return cls(pid=None, channel=None)
        read_end, write_end = os.pipe()
        sys.stdout.flush()
        sys.stderr.flush()
        pid = os.fork()
        if pid == 0:
            os.close(write_end)
            _serve(read_end)  # never returns
        os.close(read_end)
        return cls(pid=pid, channel=write_end)

    def run(self, argv: Sequence[str]) -> int:
        """Run `python -m constructs_ab gate ARGV` in the child; its exit code (0, 1 or 2; 130 or 143 when
        Ctrl-C or SIGTERM stopped it; 128 + N when signal N killed it)."""
        if self.pid is None or self.channel is None:
            from constructs_ab.gate import cli

            return int(cli.main(list(argv)))
        sys.stdout.flush()
        sys.stderr.flush()
        self._send(json.dumps(list(argv)))
        # Ctrl-C reaches the child too, which reports it as the gate does; wait for it to say so.
        previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
        try:
            try:
                _, status = os.waitpid(self.pid, 0)
            except KeyboardInterrupt:  # a SIGTERM sent to this process only: the child's to report too
                os.kill(self.pid, signal.SIGTERM)
                _, status = os.waitpid(self.pid, 0)
        finally:
            signal.signal(signal.SIGINT, previous)
        code = os.waitstatus_to_exitcode(status)
        return 128 - code if code < 0 else code

    def cancel(self) -> None:
        """Let the child exit without running the gate (the synth failed or was interrupted); it is
        stopped at once, even in the middle of its imports."""
        if self.pid is not None and self.channel is not None:
            self._send("")
            os.kill(self.pid, signal.SIGTERM)
            os.waitpid(self.pid, 0)

    def _send(self, message: str) -> None:
        assert self.channel is not None
        os.write(self.channel, message.encode())
        os.close(self.channel)


def _serve(read_end: int) -> None:
    """In the child: import the gate, wait for the arguments, run it and exit with its code."""
    code: int = EXIT_GATE_UNAVAILABLE
    # Until the synth is done, Ctrl-C is the parent's to report (it then cancels this child, with a
    # SIGTERM that must end it at once, not the KeyboardInterrupt the parent's command turns it into).
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    sigterm_default()
    try:
        from constructs_ab.gate import cli

        cli.prepare()
        message = _read_all(read_end)
        signal.signal(signal.SIGINT, signal.default_int_handler)
        if not message:
            code = ExitCode.OK
        else:
            code = int(cli.main(json.loads(message), command="gate"))
    except BaseException as error:  # report in one line like the gate does, never a traceback
        print(f"gate: could not run: {error}", file=sys.stderr)
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)


def _read_all(fd: int) -> str:
    chunks = []
    while chunk := os.read(fd, 65536):
        chunks.append(chunk)
    return b"".join(chunks).decode()
