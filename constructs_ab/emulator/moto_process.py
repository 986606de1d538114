"""The emulator process: moto's server on 127.0.0.1 and a free port, until its parent lets go.

Run by `server.Emulator` as `python -m constructs_ab.emulator.moto_process`. It prints `port <n>` on
stdout once it listens, then serves until its stdin closes: the parent closes it to stop the server, and
the operating system closes it when the parent dies, so the emulator never outlives the run.

Requests are served one at a time: moto's backends are plain dictionaries shared by all requests, and
moto holds the GIL either way, so one at a time costs little. Around moto (`wsgi_calls`): one log line
per call on stderr (the emulator's log), and an SDK retry of a call already answered gets that answer
again instead of running the call twice.
"""

from __future__ import annotations

import logging
import sys
import threading

from constructs_ab.emulator.wsgi_calls import logged, replaying_retries

READY_PREFIX = "port "


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
        logged(replaying_retries(DomainDispatcherApplication(create_backend_app))),
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
