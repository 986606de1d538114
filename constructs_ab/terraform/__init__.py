"""Running Terraform on synthesized stacks, offline, without touching them (pure Python, no cdktf).

- `binary`: find the `terraform` executable (1.10 or later).
- `provider_mirror`: find a filesystem mirror holding hashicorp/aws at the version the stacks pin: the
  user's own Terraform CLI configuration first, else the folder named by `AB_TERRAFORM_PROVIDER_MIRROR`.
- `unpacked_mirror`: a packed mirror unpacked once into our cache folder, so every init only links to it.
- `cli_config`: the CLI configuration file written for our child processes only (that mirror, no network
  for hashicorp/aws).
- `toolchain`: the three together, and the environment a child `terraform` runs with.
- `stack_copy`: a copy of a synthesized stack directory with `*_override.tf.json` files written into the
  copy only.
- `runner`: `terraform init/validate/plan/apply/destroy` in such a copy, with a deadline.
"""
