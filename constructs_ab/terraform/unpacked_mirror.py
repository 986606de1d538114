"""A mirror Terraform can link to: the unpacked layout, made once from a packed mirror.

`terraform init` links an unpacked mirror's provider folder into `.terraform/` (a symbolic link: nothing
copied, about a second). From a packed mirror (a `.zip`, as `terraform providers mirror` writes) it
extracts the 675 MB provider into every working copy instead, or, with Terraform's `plugin_cache_dir`,
into a cache that a concurrent `init` rewrites under a running `apply` (which then fails with "Failed to
load plugin schemas ... no such file or directory"). So a packed mirror is extracted once, here, into
our cache folder, in the unpacked layout, and that copy is the mirror every run uses; it is never
written again, so any number of runs can share it.
"""

from __future__ import annotations

import contextlib
import fcntl
import shutil
import tempfile
import zipfile
from collections.abc import Iterator
from pathlib import Path

from constructs_ab.terraform.errors import TerraformUnavailable
from constructs_ab.terraform.provider_mirror import (
    PROVIDER_HOST,
    PROVIDER_NAMESPACE,
    PROVIDER_TYPE,
    PROVIDER_VERSION,
    ProviderMirror,
    packed_provider_archive,
    terraform_platform,
    unpacked_provider_dir,
)


def linkable_mirror(mirror: ProviderMirror, cache_dir: Path) -> ProviderMirror:
    """`mirror` itself when it is unpacked; else its unpacked copy in `cache_dir` (made on first use)."""
    if unpacked_provider_dir(mirror.path) is not None:
        return mirror
    archive = packed_provider_archive(mirror.path)
    if archive is None:  # find_provider_mirror only returns mirrors holding one of the two
        raise TerraformUnavailable(f"{mirror.path} holds no hashicorp/aws {PROVIDER_VERSION} any more")
    root = cache_dir / "mirror"
    if unpacked_provider_dir(root) is None:
        _unpack(archive, root)
    return ProviderMirror(path=root, found_in=f"{mirror.found_in}, unpacked once into {root}")


def _unpack(archive: Path, root: Path) -> None:
    target = (
        root / PROVIDER_HOST / PROVIDER_NAMESPACE / PROVIDER_TYPE / PROVIDER_VERSION / terraform_platform()
    )
    target.parent.mkdir(parents=True, exist_ok=True)
    with _exclusive(root.parent / ".unpack.lock"):
        if unpacked_provider_dir(root) is not None:  # another run unpacked it while we waited
            return
        staging = Path(tempfile.mkdtemp(prefix=".unpacking-", dir=target.parent))
        try:
            with zipfile.ZipFile(archive) as package:
                for member in package.infolist():
                    extracted = Path(package.extract(member, staging))
                    mode = member.external_attr >> 16
                    extracted.chmod((mode & 0o777) or 0o755)
            shutil.rmtree(target, ignore_errors=True)
            staging.rename(target)  # complete or absent: a run never sees half a provider
        finally:
            shutil.rmtree(staging, ignore_errors=True)


@contextlib.contextmanager
def _exclusive(lock: Path) -> Iterator[None]:
    lock.parent.mkdir(parents=True, exist_ok=True)
    with lock.open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
