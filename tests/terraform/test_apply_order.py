"""The apply-order check (no gap) on hand-made plans and graphs in the shapes `terraform show -json` and
`terraform graph -plan` print: each rule passes in the order the layout makes and fails in the order a
plan without `create_before_destroy` or `depends_on` gets."""

from __future__ import annotations

from typing import Any

from constructs_ab.terraform.apply_order import apply_graph, check_order

LISTENER = "arn:aws:elasticloadbalancing:eu-west-1:123456789012:listener/app/lb/1/2"
SPLIT = "aws_lb_listener_rule.lb-models_rule-105"
OVERRIDE_C = "aws_lb_listener_rule.lb-models_rule-102"
GROUP_C = "aws_lb_target_group.variant-c_target-group_1"


def rule(role: str) -> dict[str, Any]:
    return {"listener_arn": LISTENER, "tags": {"ab-role": role, "experiment": "e"}}


def change(address: str, actions: list[str], before: Any = None, after: Any = None) -> dict[str, Any]:
    return {
        "address": address,
        "type": address.split(".")[0],
        "change": {"actions": actions, "before": before, "after": after},
    }


def dot(*edges: tuple[str, str]) -> str:
    lines = [f'\t\t"[root] {a}" -> "[root] {b}"' for a, b in edges]
    return 'digraph {\n\tsubgraph "root" {\n' + "\n".join(lines) + "\n\t}\n}\n"


# removing variant c: the split stops forwarding to c, c's override rule and target group go
REMOVE = {
    "resource_changes": [
        change(SPLIT, ["update"], rule("split"), rule("split")),
        change(OVERRIDE_C, ["delete"], rule("override"), None),
        change(GROUP_C, ["delete"], {}, None),
    ],
    "prior_state": {
        "values": {
            "root_module": {
                "resources": [
                    {"address": SPLIT, "depends_on": [GROUP_C, OVERRIDE_C]},
                    {"address": OVERRIDE_C, "depends_on": [GROUP_C]},
                ]
            }
        }
    },
}
# adding variant c: its target group, its override rule, then the split forwards to it
ADD = {
    "resource_changes": [
        change(GROUP_C, ["create"], None, {}),
        change(OVERRIDE_C, ["create"], None, rule("override")),
        change(SPLIT, ["update"], rule("split"), rule("split")),
    ],
    "configuration": {
        "root_module": {
            "resources": [
                {
                    "address": OVERRIDE_C,
                    "expressions": {
                        "action": [{"target_group_arn": {"references": [f"{GROUP_C}.arn", GROUP_C]}}]
                    },
                },
                {
                    "address": SPLIT,
                    "expressions": {
                        "action": [{"forward": [{"target_group": [{"arn": {"references": [GROUP_C]}}]}]}]
                    },
                    "depends_on": [OVERRIDE_C],
                },
            ]
        }
    },
}


def test_the_graph_is_read_as_who_runs_after_whom() -> None:
    graph = apply_graph(dot((f"{GROUP_C} (destroy)", SPLIT), (SPLIT, f"{SPLIT} (expand)")))
    assert graph == {f"{GROUP_C} (destroy)": {SPLIT}, SPLIT: {f"{SPLIT} (expand)"}}


def test_removing_a_variant_in_the_layouts_order_has_no_gap() -> None:
    # GIVEN create_before_destroy: deletions wait for the split's update
    graph = dot((f"{GROUP_C} (destroy)", f"{OVERRIDE_C} (destroy)"), (f"{OVERRIDE_C} (destroy)", SPLIT))
    report = check_order(REMOVE, graph)
    # THEN: the group after the split and the override rule; the override rule after the split
    assert (report.gaps, report.pairs) == ([], 3)


def test_removing_a_variant_with_deletions_first_has_gaps() -> None:
    # GIVEN no create_before_destroy: Terraform deletes before it updates the split
    graph = dot((SPLIT, f"{OVERRIDE_C} (destroy)"), (f"{OVERRIDE_C} (destroy)", f"{GROUP_C} (destroy)"))
    assert check_order(REMOVE, graph).gaps == [
        f"{GROUP_C} is deleted while {SPLIT} may forward to it: Terraform does not run {GROUP_C} (destroy) "
        f"after {SPLIT}",
        f"{GROUP_C} is deleted while {OVERRIDE_C} may forward to it: Terraform does not run {GROUP_C} "
        f"(destroy) after {OVERRIDE_C} (destroy)",
        f"{OVERRIDE_C} is deleted before {SPLIT} is in place: Terraform does not run {OVERRIDE_C} (destroy) "
        f"after {SPLIT}",
    ]


def test_adding_a_variant_in_the_layouts_order_has_no_gap() -> None:
    graph = dot(
        (OVERRIDE_C, f"{OVERRIDE_C} (expand)"),
        (f"{OVERRIDE_C} (expand)", GROUP_C),
        (SPLIT, f"{SPLIT} (expand)"),
        (f"{SPLIT} (expand)", OVERRIDE_C),
        (f"{SPLIT} (expand)", GROUP_C),
    )
    report = check_order(ADD, graph)
    # THEN the split after the override rule, both after the group
    assert (report.gaps, report.pairs) == ([], 3)


def test_adding_a_variant_without_the_splits_depends_on_has_a_gap() -> None:
    graph = dot(
        (OVERRIDE_C, f"{OVERRIDE_C} (expand)"),
        (f"{OVERRIDE_C} (expand)", GROUP_C),
        (SPLIT, f"{SPLIT} (expand)"),
        (f"{SPLIT} (expand)", GROUP_C),
    )
    assert check_order(ADD, graph).gaps == [
        f"{SPLIT} forwards before {OVERRIDE_C}: Terraform does not run {SPLIT} after {OVERRIDE_C}"
    ]


def test_a_plan_that_only_updates_weights_has_nothing_to_order() -> None:
    plan = {"resource_changes": [change(SPLIT, ["update"], rule("split"), rule("split"))]}
    report = check_order(plan, dot((SPLIT, f"{SPLIT} (expand)")))
    assert (report.gaps, report.pairs) == ([], 0)
