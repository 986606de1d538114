"""The emulator process: moto's server on 127.0.0.1 and a free port, until its parent lets go.

Run by `server.Emulator` as `python -m constructs_ab.emulator.moto_process`. It prints `port <n>` on
stdout once it listens, then serves until its stdin closes: the parent closes it to stop the server, and
the operating system closes it when the parent dies, so the emulator never outlives the run.

Requests are served one at a time. moto's backends are plain dictionaries shared by all requests; with a
thread per request (moto's `ThreadedMotoServer`), two Terraform runs of 10 parallel calls each made it
fail a call now and then under load (a create answered with an error after it was done, retried by the
SDK, then `InvalidGroup.Duplicate`). moto holds the GIL either way, so one at a time costs little.

Every call is written to stderr (the emulator's log) as one line: time, method, the API action (from the
form body or the query), the HTTP status and the milliseconds it took, so a failed apply can be traced to
the calls the provider made.
"""

from __future__ import annotations

import io
import logging
import sys
import threading
import time
import urllib.parse
from collections.abc import Callable, Iterable
from typing import Any

READY_PREFIX = "port "

_App = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]


def _action(environ: dict[str, Any]) -> str:
    """The API action of a request: `Action=` of a form body (read and put back) or of the query, else the
    target header (JSON protocols), else the path."""
    size = int(environ.get("CONTENT_LENGTH") or 0)
    body = environ["wsgi.input"].read(size) if size else b""
    environ["wsgi.input"] = io.BytesIO(body)
    for source in (body.decode("utf-8", "replace"), environ.get("QUERY_STRING", "")):
        found = urllib.parse.parse_qs(source).get("Action")
        if found:
            return str(found[0])
    return str(environ.get("HTTP_X_AMZ_TARGET") or environ.get("PATH_INFO", ""))


def logged(app: _App) -> _App:
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
            stamp = time.strftime("%H:%M:%S")
            code = status[-1] if status else "---"
            print(
                f"{stamp} {environ.get('REQUEST_METHOD')} {action} {code} {took:.0f} ms",
                file=sys.stderr,
                flush=True,
            )

    return call


def main() -> int:
    from moto.moto_server.werkzeug_app import (
        DomainDispatcherApplication,
        MotoRequestHandler,
        create_backend_app,
    )
    from werkzeug.serving import make_server

    logging.getLogger("werkzeug").setLevel(logging.ERROR)  # no line per request
    server = make_server(
        "127.0.0.1",
        0,
        logged(DomainDispatcherApplication(create_backend_app)),
        threaded=False,
        request_handler=MotoRequestHandler,
    )
    serving = threading.Thread(target=server.serve_forever, daemon=True)
    serving.start()
    try:
        print(f"{READY_PREFIX}{server.server_address[1]}", flush=True)
        try:
            sys.stdin.read()
        except KeyboardInterrupt:
            pass
    finally:
        server.shutdown()
        serving.join()
    return 0


if __name__ == "__main__":
    sys.exit(main())
