"""Keep Checkov offline and quiet when it runs inside the gate.

Offline: in Checkov 3.3 every call to the vendor's platform (policy metadata, custom policies, guidelines,
repository configuration) is made by an "integration feature" that `checkov.main` starts, and each is
guarded by `bc_integration.skip_download` (the `--skip-download` flag). The gate never calls
`checkov.main`: it runs the Terraform runner directly, sets `bc_integration.skip_download = True` anyway,
sets `BC_SKIP_MAPPING=TRUE` (what `--skip-download` also implies), passes `download_external_modules=False`
to the runner filter, and removes any API key from its environment. A test runs the gate with sockets
disabled and asserts that it passes.
"""

from __future__ import annotations

import logging
import os

from constructs_ab.gate import deferred_imports

OFFLINE_ENVIRONMENT = {
    "BC_SKIP_MAPPING": "TRUE",  # no download of the policy id mapping
    "LOG_LEVEL": "CRITICAL",  # read by checkov.logging_init at import; also turns off the progress bar
    "CHECKOV_PARALLELIZATION_TYPE": "none",  # a handful of files: forking workers costs more than it saves
}
_API_KEYS = ("BC_API_KEY", "PRISMA_API_URL", "BC_API_URL")


def prepare_environment() -> None:
    """Set the offline switches and defer the platform upload's modules (`deferred_imports`); call before
    the first `import checkov`."""
    deferred_imports.install()
    for key, value in OFFLINE_ENVIRONMENT.items():
        os.environ[key] = value
    for key in _API_KEYS:
        os.environ.pop(key, None)


def disable_platform_downloads() -> None:
    """Tell Checkov's platform integration never to download (the in-process form of `--skip-download`)."""
    from checkov.common.bridgecrew.platform_integration import bc_integration

    bc_integration.skip_download = True


def silence_checkov_logging() -> None:
    """Checkov logs parse problems and per-check errors at WARNING/ERROR; the gate reports problems itself
    (a parse error is exit code 2 with one line), so Checkov's loggers are set to CRITICAL+1 (silent)."""
    silent = logging.CRITICAL + 1
    logging.getLogger().setLevel(silent)
    for handler in logging.getLogger().handlers:
        handler.setLevel(silent)
    # Logger.setLevel clears the level cache of every logger, and Checkov has about a thousand: set the
    # level attribute directly, then clear the cache once through the last setLevel.
    for name in list(logging.root.manager.loggerDict):
        if name.startswith(("checkov", "urllib3", "git")):
            logging.getLogger(name).level = silent
    logging.getLogger("checkov").setLevel(silent)
