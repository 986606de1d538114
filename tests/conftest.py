"""Shared test settings: the jsii banner is silenced, Node loads the provider lazily as in main.py, and
hypothesis has no per-example deadline (the machine is shared and timing-noisy; speed is measured by
bench/, never by tests)."""

from __future__ import annotations

import os

from hypothesis import settings

from constructs_ab import node_lazy_index

os.environ.setdefault("JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION", "20")
node_lazy_index.install()  # in-process synths start Node with the lazy provider index, as main.py does

settings.register_profile("default", deadline=None, print_blob=True)
settings.load_profile("default")
