"""The CDKTF app: the stacks of every environment of a validated spec (`constructs_ab.stack_layout`).

An environment with `stacks: one` is one `EnvironmentStack`; with `per_load_balancer` an `EnvironmentStack`
(its alarm topic) and one `LoadBalancerStack` per load balancer, each depending on the environment stack
(cdktf's manifest lists it, so `cdktf deploy` deploys it first).

This is construct-layer code (it imports cdktf); `constructs_ab.cli.synth` imports it only after the spec
has been validated, so a bad spec is reported before any jsii process starts.
"""

from __future__ import annotations

from collections.abc import Collection
from pathlib import Path

from cdktf import App, TerraformStack

from constructs_ab.environment_stack import EnvironmentStack
from constructs_ab.load_balancer_stack import LoadBalancerStack
from constructs_ab.spec.model import Spec


def build_app(spec: Spec, outdir: Path, only: Collection[str] | None = None) -> App:
    """An App with the stacks of every environment, writing `outdir/stacks/<stack>/cdk.tf.json`.

    only: the names of the stacks to build (default all). A load balancer stack built without its
    environment stack depends on a stand-in of it, an empty stack of an App that is never synthesized, so
    that the manifest lists the same dependency either way."""
    app = App(outdir=str(outdir), hcl_output=False)
    stand_ins: App | None = None
    for environment in spec.environments:
        plans = environment.stacks_in_order
        root: TerraformStack | None = None
        if only is None or plans[0].name in only:
            root = EnvironmentStack(app, environment)
        for plan in plans[1:]:
            if only is not None and plan.name not in only:
                continue
            assert plan.load_balancer is not None
            stack = LoadBalancerStack(app, environment, plan.load_balancer)
            if root is None:
                stand_ins = stand_ins or App(outdir=str(outdir), hcl_output=False)
                root = TerraformStack(stand_ins, environment.name)
            stack.add_dependency(root)
    return app
