"""The changes of a forward action a rule keeps: target groups added and removed, shares, models and
stickiness, with the share risks (SHARE_JUMP, ZERO_TO_ALL; see `diff`).

Pure Python: no cdktf, jsii or spec import.
"""

from __future__ import annotations

from constructs_ab.review.changes import ChangeKind, ChangeLog, Placed, Risk, RiskKind, scope_of
from constructs_ab.review.traffic import ForwardAction, Rule

#: Floating point slack when comparing shares, as a fraction (shares are weight / sum).
EPSILON = 1e-9


def compare_forwards(
    log: ChangeLog, placed: Placed, rule: Rule, old: ForwardAction, new: ForwardAction, max_step: float
) -> None:
    scope = scope_of(rule)
    old_targets = {t.target_group.label: t for t in old.targets}
    new_targets = {t.target_group.label: t for t in new.targets}
    for label in sorted(old_targets.keys() | new_targets.keys()):
        was, now = old_targets.get(label), new_targets.get(label)
        before_share = was.share if was is not None else 0.0
        after_share = now.share if now is not None else 0.0
        risks = share_risks(before_share, after_share, max_step)
        if was is None and now is not None:
            log.add(
                placed,
                rule,
                ChangeKind.TARGET_ADDED,
                label,
                None,
                now.percent,
                f"{label} added at {now.percent} on {scope}",
                before_share=None,
                after_share=now.share,
                risks=risks,
            )
        elif now is None and was is not None:
            log.add(
                placed,
                rule,
                ChangeKind.TARGET_REMOVED,
                label,
                was.percent,
                None,
                f"{label} removed from {scope} (was {was.percent})",
                before_share=was.share,
                after_share=None,
                risks=risks,
            )
        elif was is not None and now is not None:
            if not same_share(was.share, now.share):
                log.add(
                    placed,
                    rule,
                    ChangeKind.SHARE_CHANGED,
                    label,
                    was.percent,
                    now.percent,
                    f"{label}: {was.percent} -> {now.percent} on {scope}",
                    before_share=was.share,
                    after_share=now.share,
                    risks=risks,
                )
            if was.target_group.model != now.target_group.model:
                log.add(
                    placed,
                    rule,
                    ChangeKind.MODEL_CHANGED,
                    label,
                    was.target_group.model,
                    now.target_group.model,
                    f"{label}: model {was.target_group.model} -> {now.target_group.model} on {scope}",
                )
    old_sticky = old.stickiness.describe() if old.stickiness else "not declared"
    new_sticky = new.stickiness.describe() if new.stickiness else "not declared"
    if old_sticky != new_sticky:
        log.add(
            placed,
            rule,
            ChangeKind.STICKINESS_CHANGED,
            None,
            old_sticky,
            new_sticky,
            f"{scope}: stickiness {old_sticky} -> {new_sticky}",
        )


def share_risks(before: float | None, after: float | None, max_step: float) -> tuple[Risk, ...]:
    if before is None or after is None:
        return ()
    risks: list[Risk] = []
    jump = abs(after - before) * 100
    if jump > max_step + EPSILON * 100:
        risks.append(
            Risk(
                kind=RiskKind.SHARE_JUMP,
                reason=f"share jump of {jump:.1f} points exceeds the ramp step of {max_step:g} points",
            )
        )
    if before <= EPSILON and after >= 1 - EPSILON:
        risks.append(Risk(kind=RiskKind.ZERO_TO_ALL, reason="goes from 0% to all of the rule's traffic"))
    return tuple(risks)


def same_share(a: float | None, b: float | None) -> bool:
    if a is None or b is None:
        return a is b
    return abs(a - b) <= EPSILON
