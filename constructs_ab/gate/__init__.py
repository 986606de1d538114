"""The policy gate: Checkov's built-in checks plus our policies in `policies/`, on Terraform JSON or HCL.

Reads files only; never imports cdktf or jsii (a test asserts this), so it checks any Terraform
configuration, ours or a hand-written one. Entry point: `python -m constructs_ab gate [PATH ...]`.
"""
