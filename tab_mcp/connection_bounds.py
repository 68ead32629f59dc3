"""Connection bounds for ``tab-mcp serve --transport http``: a deadline per request and a cap on connections.

What uvicorn offers, and why it is not enough on its own:

- ``timeout_keep_alive`` bounds the idle time *between* requests, but nothing bounds reading one: a socket that
  connects and sends nothing, or drips its headers or body a byte at a time, holds its connection (and a file
  descriptor) for as long as it likes. No uvicorn option (h11 or httptools) bounds the time to read a request.
- ``limit_concurrency`` answers a bare ``503 Service Unavailable`` (no ``Retry-After``, no reason) once the
  open connections *including the asking one* reach the limit.

So :class:`BoundedH11Protocol`, uvicorn's h11 protocol with two additions, is passed as uvicorn's ``http``:
each request must arrive whole (headers and body) within ``TAB_HTTP_REQUEST_TIMEOUT`` seconds of its first byte
(or of the connection opening), else the connection is closed, with a ``408`` when part of a request came;
and a request that arrives while more than ``TAB_HTTP_MAX_CONNECTIONS`` connections are open is answered
``503`` with ``Retry-After`` and a sentence naming the limit. The time an application takes to answer (a slow
tool call, an open event stream) is not bounded here.
"""

from __future__ import annotations

import asyncio
import functools
from typing import Any

import h11
from uvicorn.protocols.http.h11_impl import H11Protocol

from tab_mcp.settings import Settings

RETRY_AFTER_S = 1


class BoundedH11Protocol(H11Protocol):
    """uvicorn's h11 protocol with a deadline to receive each request and a cap on open connections.

    The bounds are class attributes set by :func:`bounded_http_protocol`: one server runs per process, and a
    uvicorn worker process imports this class afresh, so the worker's app factory sets them again.
    """

    request_timeout: float = Settings.model_fields["http_request_timeout"].default
    max_connections: int = Settings.model_fields["http_max_connections"].default

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._request_deadline: asyncio.TimerHandle | None = None
        self._partial_request = False

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        """Accept the connection and start the clock for its first request."""
        super().connection_made(transport)
        self._start_deadline(partial=False)

    def data_received(self, data: bytes) -> None:
        """Start the clock when a new request begins, and answer 503 beyond the connection cap."""
        if self.conn.their_state is h11.IDLE:
            if self._request_deadline is None:
                self._start_deadline(partial=True)
            self._partial_request = True
            over = len(self.connections) > self.max_connections
            self.app = _at_capacity(self.max_connections) if over else self.config.loaded_app
        super().data_received(data)

    def handle_events(self) -> None:
        """Process what arrived; stop the clock once the whole request is in."""
        super().handle_events()
        if self.conn.their_state is not h11.IDLE and self.conn.their_state is not h11.SEND_BODY:
            self._stop_deadline()

    def connection_lost(self, exc: Exception | None) -> None:
        """Forget the clock of a closed connection."""
        self._stop_deadline()
        super().connection_lost(exc)

    def _start_deadline(self, *, partial: bool) -> None:
        self._partial_request = partial
        self._request_deadline = self.loop.call_later(self.request_timeout, self._request_timed_out)

    def _stop_deadline(self) -> None:
        if self._request_deadline is not None:
            self._request_deadline.cancel()
            self._request_deadline = None

    def _request_timed_out(self) -> None:
        self._request_deadline = None
        if self.transport.is_closing():
            return
        answered = self.cycle is not None and self.cycle.response_started
        if self._partial_request and not answered:
            body = (
                f"The request was not received whole within {self.request_timeout:g} s "
                "(TAB_HTTP_REQUEST_TIMEOUT); the connection is closed.\n"
            ).encode()
            head = (
                "HTTP/1.1 408 Request Timeout\r\ncontent-type: text/plain; charset=utf-8\r\n"
                f"connection: close\r\ncontent-length: {len(body)}\r\n\r\n"
            ).encode()
            self.transport.write(head + body)
        self.logger.info("closed a connection that did not send a whole request within %g s", self.request_timeout)
        self.transport.close()


@functools.cache
def _at_capacity(limit: int) -> Any:
    body = (
        f"tab-mcp is serving its limit of {limit} connections (TAB_HTTP_MAX_CONNECTIONS); retry in {RETRY_AFTER_S} s.\n"
    ).encode()
    headers = [
        (b"content-type", b"text/plain; charset=utf-8"),
        (b"content-length", str(len(body)).encode()),
        (b"retry-after", str(RETRY_AFTER_S).encode()),
        (b"connection", b"close"),
    ]

    async def at_capacity(scope: Any, receive: Any, send: Any) -> None:
        await send({"type": "http.response.start", "status": 503, "headers": headers})
        await send({"type": "http.response.body", "body": body})

    return at_capacity


def bounded_http_protocol(settings: Settings) -> type[BoundedH11Protocol]:
    """Set the bounds from ``settings`` and return the protocol class to pass as uvicorn's ``http``."""
    BoundedH11Protocol.request_timeout = settings.http_request_timeout
    BoundedH11Protocol.max_connections = settings.http_max_connections
    return BoundedH11Protocol
