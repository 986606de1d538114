"""Property: a valid spec file loads, and `validate` on the loaded model finds no error and the same
warnings: the checks on model objects agree with the file's, whatever the file's form (shared variants,
assigned priorities, defaults, durations as text, models as `id:version`)."""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from constructs_ab.spec import parse_spec_with_warnings, validate

from .spec_builders import base_spec, dump

LOAD_BALANCERS = ("public", "internal")


@st.composite
def variant_settings(draw: st.DrawFn) -> dict[str, Any]:
    target_type = draw(st.sampled_from(["ip", "instance"]))
    interval = draw(st.integers(min_value=5, max_value=300))
    health_check = {
        "path": draw(st.sampled_from(["/health", "/ready"])),
        "matcher": draw(st.sampled_from(["200", 200, "200,204", "200-299"])),
        "interval": interval,
        "timeout": draw(st.integers(min_value=2, max_value=min(120, interval - 1))),
        "healthy_threshold": draw(st.integers(min_value=2, max_value=10)),
    }
    ids = (
        ["10.0.1.15", "10.0.1.16"] if target_type == "ip" else ["i-0123456789abcdef0", "i-0123456789abcdef1"]
    )
    found = {
        "port": draw(st.integers(min_value=1, max_value=65535)),
        "protocol": draw(st.sampled_from(["HTTP", "HTTPS"])),
        "target_type": target_type,
        "health_check": health_check,
        "slow_start": draw(st.sampled_from([0, 30, 120, 900])),
        "deregistration_delay": draw(st.integers(min_value=0, max_value=3600)),
        "targets": draw(
            st.sampled_from(
                [[], ids[:1], [ids[0], {"id": ids[1], "port": 9000}], [ids[0], {"id": ids[0], "port": 9001}]]
            )
        ),
    }
    keys = draw(st.sets(st.sampled_from(sorted(found))))
    if "targets" in keys:  # their ids are of the target type
        keys.add("target_type")
    return {key: found[key] for key in sorted(keys)}


def _ramp(draw: st.DrawFn, names: list[str], weights: list[int]) -> dict[str, Any]:
    """A ramp whose current stage gives the candidate the share its weight gives it."""
    index = draw(st.integers(min_value=0, max_value=len(names) - 1))
    total = sum(weights)
    share = (200 * weights[index] + total) // (2 * total)
    if share == 0:
        return {"candidate": names[index], "stages": [5, 50], "stage": -1}
    stages = sorted(set(draw(st.lists(st.integers(min_value=1, max_value=100), max_size=3))) | {share})
    return {"candidate": names[index], "stages": stages, "stage": stages.index(share)}


@st.composite
def experiments(draw: st.DrawFn, index: int, shared: str | None) -> dict[str, Any]:
    count = draw(st.integers(min_value=2, max_value=5))
    weights = draw(st.lists(st.integers(min_value=0, max_value=999), min_size=count, max_size=count))
    if not any(weights):
        weights[0] = 1
    names = [f"e{index}-v{i}" for i in range(count)]
    variants: list[dict[str, Any]] = []
    for name, weight in zip(names, weights, strict=True):
        model = draw(st.sampled_from([{"id": "m", "version": f"{index}.0"}, f"m:{index}.{len(variants)}"]))
        entry = {"name": name, "model": model, "weight": weight, **draw(variant_settings())}
        if weight == 0:
            entry["paused"] = True
        variants.append(entry)
    if shared is not None and draw(st.booleans()):  # list a variant of experiment 0 by name only
        names[0] = shared
        variants[0] = {"name": shared, "weight": weights[0], **({"paused": True} if weights[0] == 0 else {})}
    experiment: dict[str, Any] = {
        "name": f"exp-{index}",
        "load_balancer": LOAD_BALANCERS[0] if shared is not None else draw(st.sampled_from(LOAD_BALANCERS)),
        "match": draw(
            st.sampled_from(
                [
                    {"paths": [f"/e{index}", f"/e{index}/*"]},
                    {"paths": [f"/e{index}"], "hosts": ["api.example.com"], "methods": ["POST"]},
                    {"headers": {"X-Team": [f"ml-{index}", f"ai-{index}"]}},
                    {"query": {"variant": f"b{index}"}, "source_ips": ["10.0.0.0/8"]},
                ]
            )
        ),
        "variants": variants,
    }
    optional = {
        "priority": 100 + 10 * index,
        "stickiness": draw(st.sampled_from(["off", False, 1, 3600, "1h", "7d", "45s"])),
        "override": draw(st.sampled_from([True, False, {"header": "X-Force-Model"}, {"enabled": False}])),
        "ramp": _ramp(draw, names, weights),
        "guardrails": {"period": 3600, "evaluation_periods": 24, "error_rate_percent": 0.5},
        "owner": "search-team",
    }
    for key in draw(st.sets(st.sampled_from(sorted(optional)))):
        experiment[key] = optional[key]
    return experiment


@st.composite
def valid_specs(draw: st.DrawFn) -> dict[str, Any]:
    data = base_spec()
    environment = data["environments"]["prod"]
    found = [draw(experiments(0, None))]
    for index in range(1, draw(st.integers(min_value=1, max_value=4))):
        on_first_lb = found[0]["load_balancer"] == LOAD_BALANCERS[0] and draw(st.booleans())
        found.append(draw(experiments(index, found[0]["variants"][0]["name"] if on_first_lb else None)))
    environment["experiments"] = found
    environment["load_balancers"] = {}
    for name in LOAD_BALANCERS:
        on_it = [v["name"] for e in found if e["load_balancer"] == name for v in e["variants"]]
        settings_ = {"internal": name == "internal", "idle_timeout": draw(st.integers(1, 4000))}
        if on_it and draw(st.booleans()):
            settings_["default_action"] = {"forward": draw(st.sampled_from(on_it))}
        environment["load_balancers"][name] = settings_
    if draw(st.booleans()):
        environment["tags"] = {"cost-center": "ml", "empty": ""}
        environment["state"] = {"bucket": "state-bucket", "key": "ab/prod.tfstate"}
    return data


@settings(max_examples=60, deadline=None)
@given(valid_specs())
def test_validate_agrees_with_the_loader_on_every_valid_spec(data: dict[str, Any]) -> None:
    loaded = parse_spec_with_warnings(dump(data), source="valid.yaml")
    problems = validate(loaded.spec)
    assert [p for p in problems if p.is_error] == []
    assert [(p.path, p.message) for p in problems] == [(w.path, w.message) for w in loaded.warnings]
