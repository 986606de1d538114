"""The exit codes every command uses, with what each means (the README's table is written from them)."""

from __future__ import annotations

import enum


class ExitCode(enum.IntEnum):
    """What a command's exit code tells a script or a CI job.

    OK: done; nothing found that needs attention.
    FAILED: the command ran on valid input and the answer is no (a gate check failed, a change is risky
        with `--fail-on-risky`, `clean` kept files it did not write), or it failed for a reason other than
        its input (a synthesis error, an edit this tool could not make faithfully). Nothing half-written.
    BAD_INPUT: bad usage or input (an unknown option, a missing file, an invalid spec, no spec configured,
        an output directory that may not be replaced); one line per problem, nothing written.
    INTERRUPTED: stopped by Ctrl-C (128 + SIGINT, as a shell reports it); one line says what was left.
    TERMINATED: stopped by SIGTERM (a CI job cancelled, `timeout`, a container stop), which every command
        handles as Ctrl-C (its children stopped, one line); 128 + SIGTERM, as a shell reports it.
    """

    OK = 0
    FAILED = 1
    BAD_INPUT = 2
    INTERRUPTED = 130
    TERMINATED = 143

    @property
    def meaning(self) -> str:
        """One sentence for `--help` and the README."""
        return _MEANINGS[self]


_MEANINGS = {
    ExitCode.OK: "done; nothing needs attention",
    ExitCode.FAILED: "the answer is no: a gate check failed, a risky change (diff --fail-on-risky), files "
    "kept (clean); or a failure that is not the input's (a synthesis error)",
    ExitCode.BAD_INPUT: "bad usage or input (unknown option, missing file, invalid spec, no spec "
    "configured, output directory refused): one line per problem, nothing written",
    ExitCode.INTERRUPTED: "stopped by Ctrl-C: one line says what was left",
    ExitCode.TERMINATED: "stopped by SIGTERM (CI cancel, timeout, container stop), handled as Ctrl-C: "
    "one line says what was left",
}
