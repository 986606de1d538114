"""The tags every resource carries: `environment`, `owner`, and the environment's extra tags.

Tags are written on each resource, not only through the provider's `default_tags`: the policy gate
and the reviews read the synthesized Terraform JSON, where provider default tags do not appear on
resources. Constructs add their own contract tags (`experiment`, `variant`, `model`, `ab-role`, ...;
keys and values in `constructs_ab.routing.contract`) on top with `BaseTags.with_()`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from constructs_ab.routing.contract import CONTRACT_TAG_KEYS as CONTRACT_TAG_KEYS  # the spec reads it here
from constructs_ab.routing.contract import ENVIRONMENT_TAG, OWNER_TAG


@dataclass(frozen=True, kw_only=True)
class BaseTags:
    """Tags put on every taggable resource of a construct.

    environment: the environment name, e.g. "prod" (tag `environment`).
    owner: the owning team, e.g. "ml-platform" (tag `owner`).
    extra: further tags as (key, value) pairs, in order. Default: none. Contract tags
        (`environment`, `owner` and those a construct adds) win over an extra tag of the same key.
    """

    environment: str
    owner: str
    extra: tuple[tuple[str, str], ...] = ()

    def as_dict(self) -> dict[str, str]:
        """The base tags: the extra tags, then `environment` and `owner`."""
        return {**dict(self.extra), ENVIRONMENT_TAG: self.environment, OWNER_TAG: self.owner}

    def with_(self, more: Mapping[str, str]) -> dict[str, str]:
        """The base tags plus `more` (which wins on a clash)."""
        return {**self.as_dict(), **more}

    def with_owner(self, owner: str | None) -> BaseTags:
        """These tags with another owner; `None` keeps the current one."""
        if owner is None or owner == self.owner:
            return self
        return BaseTags(environment=self.environment, owner=owner, extra=self.extra)
