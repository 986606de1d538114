"""Command-line entry points of the app: `synth`, `validate` and `clean` (see constructs_ab/__main__.py)."""
