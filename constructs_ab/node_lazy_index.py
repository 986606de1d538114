"""Make the jsii runtime load the AWS provider's JavaScript modules lazily (the Node.js side of the shim).

`constructs_ab/provider.py` keeps Python from importing the provider package's ~2,200 generated
modules; this module does the same for the Node.js process that jsii starts, whose kernel otherwise
requires all of the provider's JavaScript modules when the assembly loads (about 2 s and 450 MB).
`install()` adds `--require constructs_ab/node_lazy_index.cjs` to `NODE_OPTIONS`; the preload script
rewrites the provider's `lib/index.js` into lazy getters as Node compiles it. The synthesized JSON is
the same either way (tests/construct_tests/test_provider_shim.py compares them).

It must run before the jsii runtime starts, i.e. before the first `import cdktf`; afterwards it does
nothing. It imports nothing from cdktf or jsii. Set `AB_LAZY_NODE_INDEX=0` to turn it off.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

PRELOAD_SCRIPT = Path(__file__).with_name("node_lazy_index.cjs")
DISABLE_VARIABLE = "AB_LAZY_NODE_INDEX"


def jsii_runtime_started() -> bool:
    """True once any jsii assembly is loaded (cdktf, constructs or a provider): Node is running."""
    return any(name.endswith("._jsii") for name in sys.modules)


def install() -> bool:
    """Add the preload script to NODE_OPTIONS unless jsii already started or it is turned off.

    Returns True when the preload script is (now) in NODE_OPTIONS.
    """
    if os.environ.get(DISABLE_VARIABLE, "1") == "0" or jsii_runtime_started():
        return False
    option = f"--require {json.dumps(str(PRELOAD_SCRIPT))}"
    current = os.environ.get("NODE_OPTIONS", "")
    if option not in current:
        os.environ["NODE_OPTIONS"] = f"{current} {option}".strip()
    return True
