"""Run the jsii kernel in the one Node.js process that jsii starts, instead of two (see jsii_runtime.cjs).

jsii's Python runtime starts `node bin/jsii-runtime.js`, which checks the Node.js version, then spawns a
second Node.js process for the kernel (`lib/program.js`) and relays every API message between Python and
the kernel, and the kernel's console output to Python. That relay costs about 0.15 s of CPU per synth (a
Node.js start-up, its version check, and a copy of every message). `install()` sets `JSII_RUNTIME` (jsii's
own setting) to `jsii_runtime.cjs`, which runs the kernel of the installed jsii package itself, with two
changes to its text: the API is read from stdin and written to stdout (where the relay received and sent
it) instead of a file descriptor 3, and its worker script is found under the name the Python package
gives it. When the kernel's text does not hold exactly what those changes replace (another jsii version),
nothing is set and jsii runs as it always does. The synthesized JSON is the same either way
(tests/construct_tests/test_provider_shim.py compares them). In that process `terraform version`, which
cdktf runs for every `terraform_data` resource it validates, runs once (terraform_version_once.cjs).

It must run before the jsii runtime starts, i.e. before the first `import cdktf`; afterwards it does
nothing. It imports nothing from cdktf or jsii. Set `AB_JSII_SINGLE_PROCESS=0` to turn it off; a
`JSII_RUNTIME` already set is left alone.
"""

from __future__ import annotations

import importlib.util
import os
from pathlib import Path

from constructs_ab import node_lazy_index

ENTRY_SCRIPT = Path(__file__).with_name("jsii_runtime.cjs")
DISABLE_VARIABLE = "AB_JSII_SINGLE_PROCESS"
#: Read by jsii_runtime.cjs: the kernel script to run.
KERNEL_VARIABLE = "AB_JSII_KERNEL"
#: The kernel's text that jsii_runtime.cjs replaces, each exactly once (the same strings are in the script).
REPLACED = (
    "readFD:3,writeFD:3",
    '(__dirname,"runtime-index-worker.js")',
)
KERNEL_FILE = "lib__program.js"
WORKER_FILE = "lib__runtime-index-worker.js"


def kernel_script() -> Path | None:
    """jsii's kernel script in the installed jsii package, when it holds exactly what the entry replaces."""
    spec = importlib.util.find_spec("jsii")
    if spec is None or not spec.submodule_search_locations:
        return None
    folder = Path(list(spec.submodule_search_locations)[0]) / "_embedded" / "jsii"
    try:
        text = (folder / KERNEL_FILE).read_text(encoding="utf-8")
    except OSError:
        return None
    if not (folder / WORKER_FILE).is_file() or any(text.count(part) != 1 for part in REPLACED):
        return None
    return folder / KERNEL_FILE


def install() -> bool:
    """Point jsii at the single-process entry unless jsii already started, `JSII_RUNTIME` is set or it is
    turned off. Returns True when the entry is (now) the runtime."""
    if os.environ.get(KERNEL_VARIABLE) and os.environ.get("JSII_RUNTIME") == str(ENTRY_SCRIPT):
        return True
    if (
        os.environ.get(DISABLE_VARIABLE, "1") == "0"
        or "JSII_RUNTIME" in os.environ
        or node_lazy_index.jsii_runtime_started()
    ):
        return False
    kernel = kernel_script()
    if kernel is None or not ENTRY_SCRIPT.is_file():
        return False
    os.environ[KERNEL_VARIABLE] = str(kernel)
    # What the relay passed to the kernel: the package folders jsii links are resolved where they are linked.
    os.environ["NODE_PRESERVE_SYMLINKS"] = "1"
    os.environ["JSII_RUNTIME"] = str(ENTRY_SCRIPT)
    return True
