"""Deploying synthesized stacks to a local AWS emulator (moto in server mode) and checking what is live.

Pure Python, no cdktf: stacks are synthesized by a child `python -m constructs_ab synth` and applied with
Terraform (`constructs_ab.terraform`) in working copies that carry the emulator's provider settings as
override files; the user's spec and stacks are only read.

- `server`: start and stop the emulator on a free loopback port (`moto_process` is the child's code;
  `wsgi_calls` logs each call and answers an SDK retry of an answered call with the stored answer).
- `provider_override`: the override files of a working copy (emulator endpoints, local state).
- `network`: the VPC, subnets and certificate a spec must name, created in the emulator.
- `spec_copy`: a copy of the spec naming them (a round-trip edit; comments and layout kept).
- `expected_state` / `live_state` / `live_check`: what the spec declares, what the API returns, and the
  differences.
- `deployment`: the steps together, for one spec and its stacks (environments in parallel, an
  environment's stacks in deploy order: `stack_waves`).
- `cli`: `python -m constructs_ab emulate --spec my.yaml`.
"""
