"""Who may pin a variant: on an internet-facing load balancer open to every client, the override rules need
`override.source_ips` (a source-ip condition on each), unless the spec says `override.public: true`."""

from __future__ import annotations

from typing import Any

from constructs_ab.routing.conditions import Condition
from constructs_ab.routing.from_spec import rules_of

from .spec_builders import EXP, base_spec, changed, load, problems_of

OPEN = "environments.prod.allowed_client_cidrs"
OVERRIDE = "environments.prod.experiments.0.override"


def _open_to_all(**override: Any) -> dict[str, Any]:
    spec = changed(base_spec(), OPEN, ["0.0.0.0/0"])
    return changed(spec, OVERRIDE, override) if override else spec


def test_an_override_anyone_on_the_internet_can_use_is_refused() -> None:
    assert problems_of(_open_to_all()) == [
        (
            EXP + ".override",
            "experiment exp is on an internet-facing load balancer open to every client, where its override "
            "rules let anyone pin any variant (paused ones too) with one header (X-Model-Variant); give "
            "override.source_ips (the networks of those who test, e.g. [203.0.113.0/24]), or set "
            "override.public: true to keep it open on purpose, or override: false",
        )
    ]
    assert problems_of(changed(base_spec(), OPEN, ["10.0.0.0/8", "0.0.0.0/0"]))[0][0] == EXP + ".override"


def test_source_ips_become_a_source_ip_condition_of_every_override_rule_only() -> None:
    spec = load(_open_to_all(source_ips=["203.0.113.0/24", "2001:db8::/32"]))
    *overrides, split = rules_of(spec.environments[0].experiments[0])
    ips = Condition.source_ips("203.0.113.0/24", "2001:db8::/32")
    assert all(ips in rule.conditions for rule in overrides)
    assert ips not in split.conditions
    assert [c for c in overrides[0].conditions if c != ips][-1] == Condition.http_header(
        "X-Model-Variant", "a"
    )


def test_public_on_purpose_an_internal_load_balancer_a_closed_one_or_a_limited_match_pass() -> None:
    assert problems_of(_open_to_all(public=True)) == []
    assert (
        problems_of(
            changed(  # an internal load balancer open to all lists 0.0.0.0/0 itself (it does not inherit it)
                _open_to_all(),
                "environments.prod.load_balancers.public",
                {"internal": True, "allowed_client_cidrs": ["0.0.0.0/0"]},
            )
        )
        == []
    )
    assert problems_of(base_spec()) == []  # admits 10.0.0.0/8 only
    limited = changed(
        _open_to_all(),
        "environments.prod.experiments.0.match",
        {"paths": ["/a"], "source_ips": ["10.1.0.0/16"]},
    )
    assert problems_of(limited) == []
    assert problems_of(changed(_open_to_all(), OVERRIDE, False)) == []


def test_a_match_on_source_ips_and_override_source_ips_together_are_refused() -> None:
    spec = changed(
        _open_to_all(source_ips=["203.0.113.0/24"]),
        "environments.prod.experiments.0.match",
        {"paths": ["/a"], "source_ips": ["10.1.0.0/16"]},
    )
    assert problems_of(spec) == [
        (
            EXP + ".override.source_ips",
            "experiment exp matches on source_ips already, which its override rules keep; a rule has one "
            "source-ip condition: leave out override.source_ips, or narrow match.source_ips",
        )
    ]


def test_override_source_ips_count_in_the_five_condition_values_of_a_rule() -> None:
    spec = changed(
        _open_to_all(source_ips=["203.0.113.0/24", "198.51.100.0/24"]),
        "environments.prod.experiments.0.match",
        {"paths": ["/a", "/b", "/c"]},
    )
    assert problems_of(spec) == [
        (
            EXP + ".match",
            "the rules of experiment exp have 6 condition values (3 in match + 1 for the override header + 2 in "
            "override.source_ips); a rule has at most 5 condition values (AWS quota): remove values, use "
            "wildcards, or turn the override off",
        )
    ]


def test_override_source_ips_must_be_cidr_blocks() -> None:
    assert problems_of(_open_to_all(source_ips=["203.0.113.7"])) == [
        (
            EXP + ".override.source_ips[0]",
            '"203.0.113.7" has no prefix length; source_ips is a list of client CIDR blocks (IPv4 or IPv6) with '
            'no host bits set, e.g. ["203.0.113.0/24"]',
        )
    ]
