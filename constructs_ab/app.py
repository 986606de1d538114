"""The CDKTF app: one `EnvironmentStack` per environment of a validated spec.

This is construct-layer code (it imports cdktf); `constructs_ab.cli.synth` imports it only after the spec
has been validated, so a bad spec is reported before any jsii process starts.
"""

from __future__ import annotations

from pathlib import Path

from cdktf import App

from constructs_ab.environment_stack import EnvironmentStack
from constructs_ab.spec.model import Spec


def build_app(spec: Spec, outdir: Path) -> App:
    """An App with one stack per environment, writing `outdir/stacks/<environment>/cdk.tf.json`."""
    app = App(outdir=str(outdir), hcl_output=False)
    for environment in spec.environments:
        EnvironmentStack(app, environment)
    return app
