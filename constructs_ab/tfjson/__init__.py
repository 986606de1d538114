"""Reading Terraform JSON (and finding HCL files): one reader for the gate, the review and the policies.

Pure Python, no cdktf, no Checkov. Modules:

- `errors`: `TerraformInputError`, the one-line input error.
- `files`: reading one file (valid JSON, a Terraform configuration).
- `discovery`: which files a command line names, the skipped folders, and how files group into stacks
  (stack names, qualified by path when repeated).
- `cdktf`: cdktf's metadata: stack names and construct paths.
"""
