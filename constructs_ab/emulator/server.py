"""The emulator: moto in server mode, in a child process, on 127.0.0.1 and a free port.

`with Emulator() as endpoint:` starts it and waits until it answers; leaving the block stops it, on
success, failure or Ctrl-C alike. The child runs in its own session (a Ctrl-C in the terminal reaches us,
not it, so Terraform can still finish talking to it while it stops) and exits when its stdin closes, so it
also ends when this process is killed.
"""

from __future__ import annotations

import contextlib
import importlib.util
import os
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import Any

from constructs_ab.emulator.moto_process import READY_PREFIX

#: Credentials the emulator accepts; they reach nothing but the emulator.
ACCESS_KEY_ID = "testing"
SECRET_ACCESS_KEY = "testing"
#: The account moto puts resources in.
ACCOUNT_ID = "123456789012"
START_TIMEOUT_SECONDS = 60.0
STOP_TIMEOUT_SECONDS = 15.0


class EmulatorUnavailable(Exception):
    """The emulator cannot start (one line: what is missing or what went wrong)."""


@dataclass(frozen=True, kw_only=True)
class EmulatorEndpoint:
    """A running emulator.

    url: its base URL, `http://127.0.0.1:<port>`.
    """

    url: str

    def client(self, service: str, region: str) -> Any:
        """A boto3 client of `service` in `region` talking to the emulator only."""
        import boto3
        from botocore.config import Config

        return boto3.session.Session(
            aws_access_key_id=ACCESS_KEY_ID, aws_secret_access_key=SECRET_ACCESS_KEY, region_name=region
        ).client(
            service,
            endpoint_url=self.url,
            config=Config(retries={"max_attempts": 3, "mode": "standard"}, s3={"addressing_style": "path"}),
        )

    def reset(self) -> None:
        """Delete everything in the emulator (every account and region)."""
        request = urllib.request.Request(f"{self.url}/moto-api/reset", method="POST")
        with urllib.request.urlopen(request, timeout=30) as response:
            response.read()


class Emulator:
    """Context manager: the emulator's endpoint while the block runs.

    log: file receiving the emulator's own output. Default: discarded.
    """

    def __init__(self, log: Path | None = None) -> None:
        self._log = log
        self._process: subprocess.Popen[str] | None = None
        #: The emulator process's id once started, and its exit code once stopped (for checks).
        self.pid: int | None = None
        self.returncode: int | None = None

    def __enter__(self) -> EmulatorEndpoint:
        if importlib.util.find_spec("moto") is None:
            raise EmulatorUnavailable(
                "moto is not installed in this Python; it is a pinned dev dependency: run `make install`"
            )
        sink = self._log.open("w", encoding="utf-8") if self._log else subprocess.DEVNULL
        try:
            self._process = subprocess.Popen(
                [sys.executable, "-m", "constructs_ab.emulator.moto_process"],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=sink,
                text=True,
                env={**os.environ, "PYTHONPATH": _package_root_path()},
                start_new_session=True,
            )
        finally:
            if self._log and not isinstance(sink, int):
                sink.close()
        self.pid = self._process.pid
        try:
            port = self._read_port()
            endpoint = EmulatorEndpoint(url=f"http://127.0.0.1:{port}")
            _wait_until_answering(endpoint.url)
        except BaseException:
            self._stop()
            raise
        return endpoint

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        self._stop()

    def _read_port(self) -> int:
        process = self._process
        assert process is not None and process.stdout is not None
        lines: list[str] = []
        reader = threading.Thread(
            target=lambda: lines.append(process.stdout.readline() if process.stdout else "")
        )
        reader.daemon = True
        reader.start()
        reader.join(START_TIMEOUT_SECONDS)
        line = lines[0].strip() if lines else ""
        if not line.startswith(READY_PREFIX):
            where = f"; see {self._log}" if self._log else ""
            raise EmulatorUnavailable(
                f"the emulator (moto server) did not start within {START_TIMEOUT_SECONDS:.0f} s{where}"
            )
        return int(line[len(READY_PREFIX) :])

    def _stop(self) -> None:
        process, self._process = self._process, None
        if process is None:
            return
        with contextlib.suppress(OSError):
            if process.stdin:
                process.stdin.close()  # the child's signal to stop
        try:
            process.wait(timeout=STOP_TIMEOUT_SECONDS)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        self.returncode = process.returncode
        if process.stdout:
            process.stdout.close()


def _wait_until_answering(url: str, timeout: float = START_TIMEOUT_SECONDS) -> None:
    deadline = time.monotonic() + timeout
    while True:
        try:
            with urllib.request.urlopen(f"{url}/moto-api/data.json", timeout=5) as response:
                response.read()
            return
        except (urllib.error.URLError, OSError):
            if time.monotonic() > deadline:
                raise EmulatorUnavailable(
                    f"the emulator at {url} did not answer within {timeout:.0f} s"
                ) from None
            time.sleep(0.1)


def _package_root_path() -> str:
    """PYTHONPATH for the child: the folder holding `constructs_ab`, then the caller's own."""
    root = str(Path(__file__).resolve().parents[2])
    return os.pathsep.join(p for p in (root, os.environ.get("PYTHONPATH", "")) if p)
