"""Command-line entry points of the app: `synth` and `validate` (see constructs_ab/__main__.py)."""
