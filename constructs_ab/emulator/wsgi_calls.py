"""What the emulator does around each call: a log line, and the stored answer for an SDK retry.

- `logged`: one line per call on stderr (the emulator's log): time, method, the API action (from the form
  body or the query, else the JSON target header, else the path), the HTTP status, the milliseconds it
  took, and `replayed` when the answer was a stored one.
- `replaying_retries`: a retry of a call already answered is given that answer again instead of running
  the call twice. The AWS SDK marks every attempt of one call with the same `amz-sdk-invocation-id` header
  and counts attempts in `amz-sdk-request: attempt=N`. Under load, the provider now and then retries a call
  whose answer it did not read (seen in the provider's debug log: SNS `Subscribe` sent twice, both answered
  200 by the emulator, no answer read for the first). Run twice, a create that is not idempotent fails
  the second time (`AuthorizeSecurityGroupEgress`: `InvalidPermission.Duplicate`) and the apply with it,
  an emulator artefact AWS does not show at that rate. Only answers below 500 are stored (a 5xx is retried
  for real), at most `STORED_ANSWERS` of them, the oldest dropped first. Two calls with different
  invocation ids always both run: a configuration that really creates a rule twice still fails.
"""

from __future__ import annotations

import io
import re
import sys
import time
import urllib.parse
from collections import OrderedDict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

#: A WSGI application.
App = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]

#: How many answers `replaying_retries` keeps for retries (about 1,000 calls make one example apply).
STORED_ANSWERS = 10_000

#: The `replayed` flag set in the WSGI environ for `logged`.
REPLAYED = "constructs_ab.replayed"

_ATTEMPT = re.compile(r"attempt=(\d+)")


def _action(environ: dict[str, Any]) -> str:
    """The API action of a request: `Action=` of a form body with a length (read and put back) or of the
    query, else the target header (JSON protocols), else the path."""
    size = int(environ.get("CONTENT_LENGTH") or 0)
    body = b""
    if size:  # a body without a length (chunked) is left unread for moto
        body = environ["wsgi.input"].read(size)
        environ["wsgi.input"] = io.BytesIO(body)
    for source in (body.decode("utf-8", "replace"), environ.get("QUERY_STRING", "")):
        found = urllib.parse.parse_qs(source).get("Action")
        if found:
            return str(found[0])
    return str(environ.get("HTTP_X_AMZ_TARGET") or environ.get("PATH_INFO", ""))


def logged(app: App) -> App:
    """`app`, writing one line per call to stderr (see the module docstring)."""

    def call(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        started = time.monotonic()
        action = _action(environ)
        status: list[str] = []

        def record(code: str, headers: Any, *rest: Any) -> Any:
            status.append(code.split(" ", 1)[0])
            return start_response(code, headers, *rest)

        try:
            return list(app(environ, record))
        finally:
            took = (time.monotonic() - started) * 1000
            code = status[-1] if status else "---"
            replayed = " replayed" if environ.get(REPLAYED) else ""
            line = (
                f"{time.strftime('%H:%M:%S')} {environ.get('REQUEST_METHOD')} {action} {code} {took:.0f} ms"
            )
            print(line + replayed, file=sys.stderr, flush=True)

    return call


@dataclass(frozen=True)
class _Answer:
    status: str
    headers: list[tuple[str, str]]
    body: bytes


def replaying_retries(app: App, *, capacity: int = STORED_ANSWERS) -> App:
    """`app`, answering an SDK retry of a call already answered with the stored answer (module docstring).

    Calls must be served one at a time (the emulator's server is not threaded)."""
    answers: OrderedDict[str, _Answer] = OrderedDict()

    def call(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        invocation = environ.get("HTTP_AMZ_SDK_INVOCATION_ID")
        attempt = _ATTEMPT.search(environ.get("HTTP_AMZ_SDK_REQUEST", ""))
        if invocation and attempt and int(attempt.group(1)) > 1 and invocation in answers:
            stored = answers[invocation]
            environ[REPLAYED] = True
            start_response(stored.status, list(stored.headers))
            return [stored.body]
        seen: list[tuple[str, list[tuple[str, str]]]] = []

        def record(status: str, headers: list[tuple[str, str]], *rest: Any) -> Any:
            seen.append((status, list(headers)))
            return start_response(status, headers, *rest)

        body = b"".join(app(environ, record))
        if invocation and seen and int(seen[-1][0].split(" ", 1)[0]) < 500:
            answers[invocation] = _Answer(status=seen[-1][0], headers=seen[-1][1], body=body)
            while len(answers) > capacity:
                answers.popitem(last=False)
        return [body]

    return call
