"""Reading Terraform JSON (and finding HCL files): the one reader of the gate, the review and the policies.

Pure Python: no cdktf, no Checkov (the gate converts what it reads into Checkov's shape itself). Modules:

- `errors`: `TerraformInputError`, the one-line input error (exit 2 in every command).
- `files`: reading one file: UTF-8 (a byte order mark allowed), valid JSON, a Terraform configuration.
- `discovery`: which files a command line names, the one list of skipped folders, how files group into
  stacks and the stacks' names (qualified by path when repeated).
- `cdktf`: cdktf's metadata: stack names and construct paths.
- `resources`: the resources of documents, in either block shape.
- `resource_types`: the `aws_alb*` aliases and the load balancer type families.
- `references`: the one reference parser (`${aws_lb.x.arn}`, `data.`, indexes, bare HCL form).
- `values`: the one rule for integers (`80` and `"80"`, not `80.0`), booleans, text, blocks and tags.
"""
