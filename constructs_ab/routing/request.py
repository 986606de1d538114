"""A request to evaluate against listener rules (the what-if input), parsed from command line text."""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import parse_qsl

#: Method of a request line that gives only a path.
DEFAULT_METHOD = "GET"


@dataclass(frozen=True, kw_only=True)
class Request:
    """A request to evaluate.

    method: e.g. "GET"; compared case-sensitively. Default "GET".
    path: e.g. "/abtest/x", without the query string. Default "/".
    query: (key, value) pairs, decoded. Default none.
    headers: (name, value) pairs; names are compared case-insensitively. Default none.
    host: the Host header; None when the request has none (host conditions then do not match).
    source_ip: the client address; None when unknown (source-ip conditions then do not match).
    """

    method: str = DEFAULT_METHOD
    path: str = "/"
    query: tuple[tuple[str, str], ...] = ()
    headers: tuple[tuple[str, str], ...] = ()
    host: str | None = None
    source_ip: str | None = None

    @classmethod
    def parse(
        cls,
        line: str,
        *,
        headers: Iterable[str] = (),
        host: str | None = None,
        query: Iterable[str] = (),
        source_ip: str | None = None,
    ) -> Request:
        """Build a request from command line text.

        line: `METHOD /path?query` or just `/path`.
        headers: `Name: value` strings; a `Host:` header sets the host unless `host` is given.
        query: extra `key=value` strings, added to those in the line's query string.
        Raises ValueError with a one-line message for malformed text.
        """
        parts = line.split()
        if len(parts) == 1:
            method, target = DEFAULT_METHOD, parts[0]
        elif len(parts) == 2:
            method, target = parts
        else:
            raise ValueError(f"request {line!r}: expected 'METHOD /path', e.g. 'GET /abtest/x'")
        if not target.startswith("/"):
            raise ValueError(f"request {line!r}: the path must start with '/', e.g. 'GET /abtest/x'")
        path, _, query_text = target.partition("?")
        pairs = list(parse_qsl(query_text, keep_blank_values=True))
        for item in query:
            key, sep, value = item.partition("=")
            if not sep:
                raise ValueError(f"query {item!r}: expected key=value")
            pairs.append((key, value))
        header_pairs: list[tuple[str, str]] = []
        for item in headers:
            name, sep, value = item.partition(":")
            if not sep or not name.strip():
                raise ValueError(f"header {item!r}: expected 'Name: value', e.g. 'X-Model-Variant: b'")
            header_pairs.append((name.strip(), value.strip()))
        if host is None:
            host = next((value for name, value in header_pairs if name.lower() == "host"), None)
        if source_ip is not None:
            try:
                ipaddress.ip_address(source_ip)
            except ValueError:
                raise ValueError(f"source IP {source_ip!r}: expected an IPv4 or IPv6 address") from None
        return cls(
            method=method,
            path=path,
            query=tuple(pairs),
            headers=tuple(header_pairs),
            host=host,
            source_ip=source_ip,
        )

    def describe(self) -> str:
        """`GET /abtest/x?k=v (host api.example.com; X-Model-Variant: b; from 10.0.0.1)`."""
        text = f"{self.method} {self.path}"
        if self.query:
            text += "?" + "&".join(f"{k}={v}" for k, v in self.query)
        extras = [f"host {self.host}"] if self.host is not None else []
        extras += [f"{name}: {value}" for name, value in self.headers if name.lower() != "host"]
        if self.source_ip is not None:
            extras.append(f"from {self.source_ip}")
        return text + (f" ({'; '.join(extras)})" if extras else "")
