"""A cap on open streamable-HTTP sessions that makes room for a newcomer by evicting an idle session.

Why this layer exists: the SDK's ``StreamableHTTPSessionManager`` (mcp 2.3) answers 503 to every new
session once ``max_sessions`` are open, until idle ones expire, and has no public way to list, rank or end
a session. One script opening sessions and walking away would lock every other client out for the idle
timeout. :class:`SessionCapMiddleware` watches ``/mcp`` traffic from outside the SDK instead:

- a session is known from the ``mcp-session-id`` header of the response that opened it;
- it is *busy* while any request for it is being served (a POST's answer, an open GET event stream);
- once a newcomer at the cap has its session, the least recently used idle session is ended the way a
  client ends one: a ``DELETE`` through the SDK's own app. The SDK forgets it, so the evicted client's next
  request gets the SDK's normal 404 "Session not found" and a conforming client initializes again. Eviction
  waits for the newcomer's success, so a request the SDK refuses (wrong Host, not an initialize) evicts
  nothing; meanwhile the SDK holds one session over the cap, which its own limit (set a little above
  ours) bounds;
- only when every session is busy is the newcomer refused: 503 with ``Retry-After``.

:class:`SessionRegistry` holds the bookkeeping and decisions (no I/O, unit-tested alone).
"""

from __future__ import annotations

import logging
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from itertools import islice
from typing import Any

import anyio
from mcp.server.streamable_http import MCP_SESSION_ID_HEADER
from mcp_types import INTERNAL_ERROR, ErrorData, JSONRPCError
from mcp_types.version import HANDSHAKE_PROTOCOL_VERSIONS
from starlette.datastructures import Headers
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from tab_mcp.telemetry.instruments import record_refusal

logger = logging.getLogger("tab_mcp.sessions")

RETRY_AFTER_SECONDS = 5
PROTOCOL_VERSION_HEADER = "mcp-protocol-version"
# The eviction DELETE must pass the SDK's DNS-rebinding check; loopback is always an allowed host.
_EVICTION_HOST = b"127.0.0.1"


@dataclass
class _Session:
    in_flight: int
    last_used: float


@dataclass(frozen=True)
class SessionLoad:
    """Session figures for ``/readyz``: open and busy sessions, the cap, and running totals."""

    open: int
    busy: int
    cap: int
    evicted: int
    refused: int


class SessionRegistry:
    """Open sessions in least-recently-used order, with their in-flight request counts.

    ``idle_timeout`` mirrors the SDK's: an idle session older than that has been reaped by the SDK, so it is
    dropped here too. ``clock`` is injectable for tests.
    """

    def __init__(self, cap: int, idle_timeout: float, clock: Callable[[], float] = time.monotonic) -> None:
        if cap < 1:
            raise ValueError("cap must be at least 1")
        self.cap = cap
        self.idle_timeout = idle_timeout
        self._clock = clock
        self._sessions: OrderedDict[str, _Session] = OrderedDict()
        self._openings = 0
        self.evicted = 0
        self.refused = 0

    def __contains__(self, session_id: object) -> bool:
        return session_id in self._sessions

    def load(self) -> SessionLoad:
        """Current figures (expired sessions dropped first)."""
        self._drop_expired()
        busy = sum(1 for s in self._sessions.values() if s.in_flight)
        return SessionLoad(len(self._sessions) + self._openings, busy, self.cap, self.evicted, self.refused)

    def admit(self) -> bool:
        """Decide on a request that would open a session: admit (True) or refuse (False).

        Under the cap, or while an idle session could make room, it is admitted; at the cap with every
        session busy it is refused. An admitted request must end with :meth:`opened` or :meth:`opening_failed`.
        """
        self._drop_expired()
        if len(self._sessions) + self._openings < self.cap or any(not s.in_flight for s in self._sessions.values()):
            self._openings += 1
            return True
        self.refused += 1
        record_refusal("sessions_busy")
        return False

    def opened(self, session_id: str) -> list[str]:
        """An admitted opening request was answered with ``session_id``: track it, busy until :meth:`end`.

        Returns the least recently used idle sessions removed to get back to the cap (usually one at the
        cap, none under it); the caller ends them in the SDK.
        """
        self._openings = max(0, self._openings - 1)
        self._sessions[session_id] = _Session(in_flight=1, last_used=self._clock())
        excess = len(self._sessions) + self._openings - self.cap
        idle = (sid for sid, s in self._sessions.items() if not s.in_flight)
        victims = list(islice(idle, max(0, excess)))
        for victim in victims:
            del self._sessions[victim]
        self.evicted += len(victims)
        return victims

    def opening_failed(self) -> None:
        """An admitted opening request got no session (refused by the SDK, failed or cancelled)."""
        self._openings = max(0, self._openings - 1)

    def begin(self, session_id: str) -> bool:
        """A request for ``session_id`` starts; returns whether the session is known (then call :meth:`end`)."""
        session = self._sessions.get(session_id)
        if session is None:
            return False
        session.in_flight += 1
        session.last_used = self._clock()
        self._sessions.move_to_end(session_id)
        return True

    def end(self, session_id: str) -> None:
        """A request for ``session_id`` finished: the session is more recently used, and idle if none is left."""
        session = self._sessions.get(session_id)
        if session is not None:
            session.in_flight = max(0, session.in_flight - 1)
            session.last_used = self._clock()
            self._sessions.move_to_end(session_id)

    def forget(self, session_id: str) -> None:
        """The SDK no longer knows ``session_id`` (the client deleted it, or it answered 404)."""
        self._sessions.pop(session_id, None)

    def _drop_expired(self) -> None:
        # Idle sessions sit in order of last use, so the scan stops at the first idle one still in time.
        deadline = self._clock() - self.idle_timeout
        expired: list[str] = []
        for session_id, session in self._sessions.items():
            if session.in_flight:
                continue
            if session.last_used > deadline:
                break
            expired.append(session_id)
        for session_id in expired:
            del self._sessions[session_id]


def opens_session(scope: Scope, headers: Headers) -> bool:
    """True for a request the SDK would open a stateful session for.

    That is a POST with no session id in the initialize-handshake era (the per-request era of newer
    protocol versions holds no session).
    """
    if scope["method"] != "POST" or MCP_SESSION_ID_HEADER in headers:
        return False
    version = headers.get(PROTOCOL_VERSION_HEADER)
    return version is None or version in HANDSHAKE_PROTOCOL_VERSIONS


def busy_response(cap: int) -> Response:
    """The 503 a newcomer gets when all ``cap`` sessions are busy, with ``Retry-After``."""
    message = f"Too many open sessions: all {cap} are busy serving requests; retry after {RETRY_AFTER_SECONDS} seconds."
    body = JSONRPCError(jsonrpc="2.0", id=None, error=ErrorData(code=INTERNAL_ERROR, message=message))
    return Response(
        body.model_dump_json(by_alias=True, exclude_unset=True),
        status_code=503,
        media_type="application/json",
        headers={"Retry-After": str(RETRY_AFTER_SECONDS)},
    )


class SessionCapMiddleware:
    """ASGI middleware in front of the SDK's ``/mcp`` endpoint that enforces ``registry.cap`` (see module doc)."""

    def __init__(self, app: ASGIApp, *, registry: SessionRegistry, path: str = "/mcp") -> None:
        self.app = app
        self.registry = registry
        self.path = path

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Route ``/mcp`` requests through the registry; pass everything else through untouched."""
        if scope["type"] != "http" or scope["path"] != self.path:
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        session_id = headers.get(MCP_SESSION_ID_HEADER)
        if session_id is not None:
            await self._serve_existing(session_id, scope, receive, send)
        elif opens_session(scope, headers):
            await self._serve_newcomer(scope, receive, send)
        else:
            await self.app(scope, receive, send)

    async def _serve_existing(self, session_id: str, scope: Scope, receive: Receive, send: Send) -> None:
        known = self.registry.begin(session_id)
        status: int | None = None

        async def watch(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = int(message["status"])
            await send(message)

        try:
            await self.app(scope, receive, watch)
        finally:
            if known:
                self.registry.end(session_id)
            if status == 404 or (scope["method"] == "DELETE" and status is not None and status < 300):
                self.registry.forget(session_id)

    async def _serve_newcomer(self, scope: Scope, receive: Receive, send: Send) -> None:
        if not self.registry.admit():
            logger.warning("Refused a new session: all %d sessions are busy", self.registry.cap)
            await busy_response(self.registry.cap)(scope, receive, send)
            return
        opened: str | None = None
        victims: list[str] = []

        async def watch(message: Message) -> None:
            nonlocal opened, victims
            if message["type"] == "http.response.start" and int(message["status"]) < 400:
                session_id = Headers(raw=message.get("headers", [])).get(MCP_SESSION_ID_HEADER)
                if session_id is not None and opened is None:
                    opened = session_id
                    victims = self.registry.opened(session_id)
            await send(message)

        try:
            await self.app(scope, receive, watch)
        finally:
            if opened is None:
                self.registry.opening_failed()
            else:
                self.registry.end(opened)
            with anyio.CancelScope(shield=True):  # already gone from the registry: the SDK must forget them too
                for victim in victims:
                    await self._evict(victim, scope)

    async def _evict(self, session_id: str, scope: Scope) -> None:
        """End ``session_id`` in the SDK with a DELETE, as its client would; its ID then answers 404."""
        status = await _call_for_status(self.app, _delete_scope(scope, session_id))
        if status not in (200, 204, 404):  # 404: the SDK had already ended it
            logger.warning("Evicting an idle session got HTTP %s", status)
        else:
            # The session id is the client's credential for its session: never logged, not even in part.
            logger.info("Evicted an idle session to make room for a new one")


def _delete_scope(scope: Scope, session_id: str) -> Scope:
    """A DELETE for ``session_id`` at the same endpoint, carrying only what the SDK checks."""
    headers = [(b"host", _EVICTION_HOST), (MCP_SESSION_ID_HEADER.encode(), session_id.encode())]
    evict: dict[str, Any] = {key: value for key, value in scope.items() if key not in {"headers", "query_string"}}
    evict.update(method="DELETE", headers=headers, query_string=b"")
    return evict


async def _call_for_status(app: ASGIApp, scope: Scope) -> int | None:
    """Run ``app`` for a body-less request and return its HTTP status (None if it sent no response)."""
    status: int | None = None
    sent = False
    answered = anyio.Event()

    async def receive() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": b"", "more_body": False}
        await answered.wait()  # like a client: disconnected only once the response is complete
        return {"type": "http.disconnect"}

    async def send(message: Message) -> None:
        nonlocal status
        if message["type"] == "http.response.start":
            status = int(message["status"])
        elif message["type"] == "http.response.body" and not message.get("more_body", False):
            answered.set()

    await app(scope, receive, send)
    return status
