"""Which `Host` headers the server answers (against DNS rebinding).

A page on another site can make a browser send requests to 127.0.0.1 under the attacker's own host name
(rebinding its DNS record to loopback). Such requests carry that name in `Host`, so the server answers only
loopback names (`localhost`, `*.localhost`, `127.x.x.x`, `[::1]`) and the names `--host` gives it; a server
bound to every interface (`0.0.0.0`, `::`) answers any name, as its user asked.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Awaitable, Callable, Iterable
from typing import Any

WILDCARD_HOSTS = ("0.0.0.0", "::", "")


def is_loopback(name: str) -> bool:
    """`localhost`, a name under `.localhost`, or a loopback address (host name or address, no port)."""
    name = name.strip("[]").rstrip(".").lower()
    if name == "localhost" or name.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False


def host_name(header: str) -> str:
    """The name part of a `Host` header value: without the port, IPv6 brackets removed, lower case."""
    header = header.strip().lower()
    if header.startswith("["):
        return header[1 : header.find("]")] if "]" in header else ""
    name = header.rsplit(":", 1)[0] if header.count(":") == 1 else header
    return name.rstrip(".")


class HostFilter:
    """ASGI middleware: HTTP requests whose `Host` is not allowed get 400 and never reach the app."""

    def __init__(self, app: Callable[..., Awaitable[None]], *, extra: Iterable[str] = (), any_host: bool = False):
        self.app = app
        self.extra = {host_name(h) for h in extra}
        self.any_host = any_host

    def allowed(self, header: str | None) -> bool:
        if self.any_host:
            return True
        if not header:
            return False
        name = host_name(header)
        return is_loopback(name) or name in self.extra

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] == "http":
            headers = dict(scope.get("headers") or [])
            host = headers.get(b"host")
            if not self.allowed(host.decode("latin-1") if host is not None else None):
                await _refuse(send)
                return
        await self.app(scope, receive, send)


async def _refuse(send: Any) -> None:
    body = b'{"detail":"this server answers only its own host names (see saidwhen serve --host)"}'
    await send(
        {
            "type": "http.response.start",
            "status": 400,
            "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())],
        }
    )
    await send({"type": "http.response.body", "body": body})


def bind_policy(bind_host: str) -> dict[str, Any]:
    """`HostFilter` options for a server listening on `bind_host` (the `--host` of `saidwhen serve`)."""
    if bind_host in WILDCARD_HOSTS:
        return {"any_host": True}
    return {"hosts": [] if is_loopback(bind_host) else [bind_host]}
