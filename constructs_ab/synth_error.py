"""A part of an environment that could not be built, said in one line naming the spec object."""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterator


class SynthError(ValueError):
    """A part of an environment could not be built: one line naming the spec object, e.g.
    `environment prod, variant a: ModelVariantProps.variant.port: 0 is out of range; ...`."""


_CONSTRUCT_ID_CLASH = re.compile(r"There is already a Construct with name '(?P<id>[^']*)'")


@contextlib.contextmanager
def building(what: str) -> Iterator[None]:
    """Turn any error raised while `what` (e.g. "environment prod, variant a") is built into a
    `SynthError` of one line that names it; a construct id clash (two parts that would be one Terraform
    resource, which a validated spec never makes) is said in those words, not in jsii's."""
    try:
        yield
    except SynthError:
        raise
    except Exception as error:
        text = (
            "; ".join(line.strip() for line in str(error).splitlines() if line.strip())
            or type(error).__name__
        )
        clash = _CONSTRUCT_ID_CLASH.search(text)
        if clash is not None:
            text = (
                f"two of its parts would be the same Terraform resource ({clash['id']}); the spec validator "
                "should have refused this spec: please report it, with the spec"
            )
        raise SynthError(f"{what}: {text}") from error


__all__ = ["SynthError", "building"]
