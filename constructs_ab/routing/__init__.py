"""The routing model: an experiment as the listener rules it becomes, written once (pure Python).

- `condition_kinds`: the table of rule condition kinds (what differs from one kind to another), with
  `value_semantics` (how a kind's values match and compare: wildcard patterns, exact texts, CIDR blocks).
- `conditions`: the `Condition`: factories, canonical order, AWS limits, the Terraform JSON block (to and
  from) and what-if matching, through the table.
- `contract`: the tags the rules carry (keys and values) and the default override header.
- `layout`: the rules of an experiment in evaluation order: their keys and priorities.
- `rules`: `ExperimentRouting` (what the experiment asks for) and `RoutedRule` (one listener rule).
- `from_spec`: a spec `Experiment` as an `ExperimentRouting`.
- `readback`: the routed rules read back from Terraform JSON.
- `request`, `wildcard`: a request to evaluate, and ALB wildcard matching.
- `overlap` (with `wildcard_sets`): which requests two rules share, and rules an earlier rule shadows;
  `validate`, the gate's CKV_ABT_20 and the traffic diff all use it.
- `reordering`: the requests a new rule order sends to another rule (the traffic diff's `rerouted`).

Terraform JSON values are read with the product's one reader, `constructs_ab.tfjson`.

The constructs map `RoutedRule` to `aws_lb_listener_rule`; the rollout maps it to the review's traffic
model; the review and the policies read the conditions and tags defined here. This package never imports
cdktf; only `from_spec` imports the spec (the review, which must not, uses the other modules).

This module imports nothing, so `constructs_ab.spec.model` can import `contract` and `layout`.
"""
