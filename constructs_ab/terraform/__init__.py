"""Running Terraform on synthesized stacks, offline, without touching them (pure Python, no cdktf).

- `binary`: find the `terraform` executable (1.10 or later).
- `provider_mirror`: find a filesystem mirror holding hashicorp/aws at the version the stacks pin: the
  user's own Terraform CLI configuration first, else the folder named by `AB_TERRAFORM_PROVIDER_MIRROR`.
- `cli_config`: the CLI configuration file written for our child processes only (that mirror, no network
  for hashicorp/aws, a shared plugin cache).
- `toolchain`: the three together, and the environment a child `terraform` runs with.
- `stack_copy`: a copy of a synthesized stack directory with `*_override.tf.json` files written into the
  copy only.
- `runner`: `terraform init/validate/plan/apply/destroy` in such a copy, with a deadline.
"""
