"""What every stack of an environment starts with: the AWS provider with the environment's default tags, and
the backend that keeps the stack's own Terraform state (`constructs_ab.stack_layout`).

The backend is S3 for an environment with a `state` block (the environment stack at `state.key`, a load
balancer stack at `stack_layout.remote_state_key`), else local: `terraform.<stack>.tfstate` beside the
stack's `cdk.tf.json`, wherever the output was synthesized.
"""

from __future__ import annotations

from cdktf import LocalBackend, S3Backend, TerraformStack

from constructs_ab.provider import AwsProvider, AwsProviderDefaultTags
from constructs_ab.spec.model import Environment
from constructs_ab.stack_layout import local_state_file, remote_state_key
from constructs_ab.tagging import BaseTags


def environment_tags(environment: Environment) -> BaseTags:
    """The environment, owner and extra tags of every resource of the environment."""
    return BaseTags(environment=environment.name, owner=environment.owner, extra=environment.tags)


def start_stack(
    stack: TerraformStack, environment: Environment, load_balancer: str | None
) -> tuple[AwsProvider, S3Backend | LocalBackend]:
    """Add the provider (id `aws`) and the backend to `stack`, of `environment`'s stack for `load_balancer`
    (None: the environment stack)."""
    tags = environment_tags(environment)
    provider = AwsProvider(
        stack, "aws", region=environment.region, default_tags=[AwsProviderDefaultTags(tags=tags.as_dict())]
    )
    # No `terraform.required_version` here, although the S3 backend's `use_lockfile` needs Terraform
    # 1.10: Checkov 3.3.30's Terraform JSON parser cannot read a string attribute in the `terraform`
    # block (bridgecrewio/checkov#7454), so plain `checkov -d cdktf.out` would skip every stack and
    # exit 0, and the gate would stop with a traceback. Terraform older than 1.10 rejects
    # `use_lockfile` by itself; `constructs_ab.terraform.binary` refuses it before running anything.
    return provider, _backend(stack, environment, load_balancer)


def _backend(
    stack: TerraformStack, environment: Environment, load_balancer: str | None
) -> S3Backend | LocalBackend:
    state = environment.state
    if state is None:
        # cdktf's default local backend holds the synthesizing machine's absolute path; a relative one
        # is resolved by Terraform against the stack's directory, so the state goes with the output.
        return LocalBackend(stack, path=local_state_file(stack.node.id))
    backend = S3Backend(
        stack,
        bucket=state.bucket,
        key=remote_state_key(state.key, load_balancer),
        region=state.region or environment.region,
        encrypt=state.encrypt,
        dynamodb_table=state.dynamodb_table,
    )
    if state.use_lockfile:
        # S3-native locking (Terraform 1.10+); cdktf 0.21's S3Backend has no typed field for it.
        backend.add_override("use_lockfile", True)
    return backend


__all__ = ["environment_tags", "start_stack"]
