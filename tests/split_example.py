"""The example spec with its prod environment split per load balancer: `prod` with `stacks:
per_load_balancer` and two load balancers, `public` (sentiment-abtest) and `chat` (chat-llm, with
`auto_rollback` and its own alarm e-mail), so prod is three stacks: `prod`, `prod--public`, `prod--chat`.
Staging stays one stack."""

from __future__ import annotations

import copy
import io
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML

from constructs_ab.spec import Spec, parse_spec

REPOSITORY = Path(__file__).resolve().parents[1]
EXAMPLE_FILE = REPOSITORY / "examples" / "ab-experiments.yaml"
#: The stacks of the split spec, in spec order (a dumped file lists keys sorted).
STACKS = ("prod", "prod--chat", "prod--public", "staging")
CHAT_EMAIL = "chat-oncall@example.com"


def split_data() -> dict[str, Any]:
    """The example as plain data, prod split (see the module)."""
    data = YAML(typ="safe", pure=True).load(EXAMPLE_FILE.read_text(encoding="utf-8"))
    prod = data["environments"]["prod"]
    prod["stacks"] = "per_load_balancer"
    chat = copy.deepcopy(prod["load_balancers"]["public"])
    del chat["default_action"]
    prod["load_balancers"]["chat"] = chat
    experiment = next(e for e in prod["experiments"] if e["name"] == "chat-llm")
    experiment["load_balancer"] = "chat"
    experiment["auto_rollback"] = True
    experiment["guardrails"]["alarm_email"] = CHAT_EMAIL
    return data


def split_text(data: dict[str, Any] | None = None) -> str:
    stream = io.StringIO()
    YAML(typ="safe", pure=True).dump(split_data() if data is None else data, stream)
    return stream.getvalue()


def split_spec() -> Spec:
    return parse_spec(split_text(), source="split.yaml")


def write_split_spec(folder: Path) -> Path:
    path = folder / "split.yaml"
    path.write_text(split_text(), encoding="utf-8")
    return path
