"""The CDKTF app: one Terraform stack per environment of the experiment spec.

    python main.py [--spec PATH] [--outdir DIR]     # what `make synth` runs
    npx cdktf synth | diff | deploy                 # cdktf.json runs this file

The spec: `--spec`, else `$AB_SPEC`, else the project setting (`[tool.ab-models] spec` in pyproject.toml,
which names the shipped example in this repository); see constructs_ab/cli/spec_option.py.

The stacks are built in constructs_ab/app.py; validation, output handling and messages in
constructs_ab/cli/synth.py.
"""

import os
import sys

os.environ.setdefault("JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION", "20")
# cdktf's version check asks a server on the internet; offline it prints an error. Off unless set.
os.environ.setdefault("CHECKPOINT_DISABLE", "1")

from constructs_ab.cli.synth import main  # noqa: E402  (the variables above must be set first)

if __name__ == "__main__":
    sys.exit(main(prog="python main.py"))
