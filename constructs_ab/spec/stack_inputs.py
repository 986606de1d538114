"""What each stack of an environment is built from: the part of the environment its constructs read.

Pure Python (no cdktf). The constructs build a stack from exactly this part, and synth reuse keys the
stack on it (`constructs_ab.cli.synth_reuse`), so a change outside a stack's part cannot change the stack
and does not rebuild it:

- `one` layout: the whole environment.
- the environment stack of `per_load_balancer`: the environment's own settings (no load balancers, no
  experiments) and the distinct `guardrails.alarm_email` addresses of its experiments, in first-use order
  (`alarm_emails`), which subscribe to its alarm topic.
- a load balancer stack: the environment's settings with that load balancer only and only the experiments
  on it (`load_balancer_part`); its variants come with them (a variant is on one load balancer).
"""

from __future__ import annotations

import dataclasses

from constructs_ab.spec.model import Environment


def alarm_emails(environment: Environment) -> tuple[str, ...]:
    """Each distinct `guardrails.alarm_email` of the environment's experiments, once, in first-use order."""
    emails = {e.guardrails.alarm_email: None for e in environment.experiments if e.guardrails.alarm_email}
    return tuple(email for email in emails if email is not None)


def settings_part(environment: Environment) -> Environment:
    """The environment without its load balancers and experiments: its own settings."""
    return dataclasses.replace(environment, load_balancers=(), experiments=())


def load_balancer_part(environment: Environment, load_balancer: str) -> Environment:
    """The environment with load balancer `load_balancer` only and the experiments on it, in spec order."""
    return dataclasses.replace(
        environment,
        load_balancers=tuple(lb for lb in environment.load_balancers if lb.name == load_balancer),
        experiments=tuple(e for e in environment.experiments if e.load_balancer == load_balancer),
    )


__all__ = ["alarm_emails", "load_balancer_part", "settings_part"]
