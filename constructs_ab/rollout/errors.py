"""The error every rollout step raises for an invalid request: one line per problem, exit code 2."""

from __future__ import annotations

from collections.abc import Iterable


class RolloutError(Exception):
    """An invalid promote, rollback or set-weights request; the spec file is left untouched.

    problems: one human-readable line per problem, naming the experiment, variant and field, the value
        and what is allowed.
    """

    def __init__(self, problems: Iterable[str]) -> None:
        self.problems: tuple[str, ...] = tuple(problems)
        super().__init__("\n".join(self.problems))
