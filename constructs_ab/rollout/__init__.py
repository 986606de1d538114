"""Staged rollouts: `promote`, `rollback` and `set-weights` edit an experiment's weights and ramp stage in
the spec file, keeping its comments and layout, and print the traffic diff of the change.

Pure Python (ruamel.yaml, the spec loader and the review layer's traffic model); never imports cdktf.
"""
