"""The stand-in's pure-ASGI application: cassette replay, the OAuth endpoint, faults, counters, control API.

Pure ASGI (no framework) because the faults need control below a framework: a ``reset`` sends headers and
part of a body and then drops the connection, and a ``huge`` body is streamed in chunks.
"""

from __future__ import annotations

import asyncio
import email.utils
import json
import logging
import threading
import time
from collections import Counter
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from pytest_tabmcp.standin.cassettes import BodyTransform, CassetteIndex, canonical_path, load_cassettes
from pytest_tabmcp.standin.faults import OAUTH_PATH, Fault, FaultSpecError, parse_faults
from pytest_tabmcp.standin.oauth import OAuthIssuer

CONTROL_PREFIX = "/__standin/"
_JSON = "application/json"
_MAX_BODY = 1024 * 1024
#: The answer to a request no cassette holds: a status and code no real TAB answer carries, so a miss can never
#: pass for an upstream 404 (a smoke test accepting "resource absent" would otherwise hide a renamed path).
MISS_STATUS = 599
MISS_CODE = "STANDIN_NO_CASSETTE"
_MAX_MISSES_KEPT = 100
_CHUNK = 64 * 1024
_HTML_PAGE = (
    "<html><head><title>Access Denied</title></head><body><h1>Access Denied</h1>"
    "<p>You don't have permission to access this resource (tabmcp-standin injected page).</p></body></html>"
)


class StandInAbort(Exception):
    """Raised inside the app to make the server drop the connection (the ``reset`` and ``hang`` faults)."""


class _HideAborts(logging.Filter):
    """Drop uvicorn's traceback for a deliberate StandInAbort, so an injected reset is not logged as a crash."""

    def filter(self, record: logging.LogRecord) -> bool:
        exc = record.exc_info[1] if record.exc_info else None
        return not isinstance(exc, StandInAbort)


_abort_filter_lock = threading.Lock()


def _install_abort_filter() -> None:
    """Attach the filter once to the logger uvicorn reports ASGI exceptions on."""
    with _abort_filter_lock:
        logger = logging.getLogger("uvicorn.error")
        if not any(isinstance(f, _HideAborts) for f in logger.filters):
            logger.addFilter(_HideAborts())


def info_error(code: str, message: str) -> dict[str, Any]:
    """Return an error body in the info-service shape ``{"error": {"code", "message"}}``."""
    return {"error": {"code": code, "message": message}}


class _Stats:
    """Request counters; guarded by a lock because tests read them from another thread."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.reset()

    def reset(self) -> None:
        with self.lock:
            self.by_path: Counter[str] = Counter()
            self.requests = self.oauth = self.unmatched = self.faults = self.in_flight = self.max_in_flight = 0
            self.clients: set[tuple[str, int]] = set()
            self.misses: list[str] = []  # "METHOD /path?query" of the first _MAX_MISSES_KEPT misses

    def snapshot(self) -> dict[str, Any]:
        with self.lock:
            return {
                "requests": self.requests,
                "requests_by_path": dict(self.by_path),
                "oauth_requests": self.oauth,
                "unmatched_requests": self.unmatched,
                "missed": list(self.misses),
                "faults_applied": self.faults,
                "tcp_connections_opened": len(self.clients),
                "in_flight": self.in_flight,
                "max_in_flight": self.max_in_flight,
            }


class StandIn:
    """The stand-in for ``api.beta.tab.com.au`` serving cassette interactions.

    ``StandIn(cassette_dir, *, delay_ms=0, faults=None, token_ttl=10800, require_auth=False, token_ttl_spread=0,
    response_transform=None)`` (a :data:`~pytest_tabmcp.standin.cassettes.BodyTransform` applied to every
    recorded body as it loads, to serve drifted data); serve ``.app`` with any ASGI server (``run_standin`` in
    :mod:`pytest_tabmcp.standin.serve` does it on loopback).
    Settings can change while it serves: ``set_faults``, ``delay_ms``, ``require_auth``, ``token_ttl``.
    """

    def __init__(
        self,
        cassette_dir: str | Path,
        *,
        delay_ms: int = 0,
        faults: str | Fault | Iterable[str | Fault] | None = None,
        token_ttl: int = 10800,
        require_auth: bool = False,
        token_ttl_spread: int = 0,
        response_transform: BodyTransform | None = None,
    ) -> None:
        if delay_ms < 0 or token_ttl < 1:
            raise ValueError("delay_ms must be >= 0 and token_ttl >= 1")
        self.cassettes: CassetteIndex = load_cassettes(cassette_dir, transform=response_transform)
        self.delay_ms = delay_ms
        self.require_auth = require_auth
        self.oauth = OAuthIssuer(token_ttl, token_ttl_spread)
        self._faults = parse_faults(faults)
        self._fault_lock = threading.Lock()
        self._stats = _Stats()
        _install_abort_filter()

    # ----- Python API -------------------------------------------------------------------------------------
    @property
    def app(self) -> Any:
        """The ASGI 3 application (the StandIn object itself)."""
        return self

    @property
    def token_ttl(self) -> int:
        """Seconds of ``expires_in`` on issued tokens."""
        return self.oauth.ttl

    @token_ttl.setter
    def token_ttl(self, value: int) -> None:
        self.oauth.ttl = value

    @property
    def stats(self) -> dict[str, Any]:
        """A snapshot of the counters (see ``GET /__standin/stats``)."""
        return self._stats.snapshot()

    def reset_stats(self) -> None:
        """Zero every counter (in-flight requests still finish and are not counted again)."""
        self._stats.reset()

    @property
    def faults(self) -> list[dict[str, object]]:
        """The active faults, as the control API describes them."""
        with self._fault_lock:
            return [f.to_dict() for f in self._faults]

    def set_faults(self, faults: str | Fault | Iterable[str | Fault] | None) -> None:
        """Replace the active faults (None or [] clears them); raises FaultSpecError on a bad spec."""
        parsed = parse_faults(faults)
        with self._fault_lock:
            self._faults = parsed

    def _take_faults(self, path: str) -> tuple[int, Fault | None]:
        """Consume the faults hitting ``path``: total extra delay, and the fault that decides the answer."""
        delay, chosen = 0, None
        with self._fault_lock:
            for fault in list(self._faults):
                if not fault.applies_to(path):
                    continue
                if fault.kind == "delay-ms":
                    delay += fault.delay_ms
                elif chosen is None:
                    chosen = fault
                else:
                    continue
                if fault.times is not None:
                    fault.times -= 1
                    if fault.times <= 0:
                        self._faults.remove(fault)
        return delay, chosen

    # ----- ASGI -------------------------------------------------------------------------------------------
    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        """Serve one ASGI connection scope."""
        if scope["type"] == "lifespan":
            await _lifespan(receive, send)
            return
        if scope["type"] != "http":
            return
        raw = scope.get("raw_path") or scope["path"].encode("utf-8")
        path = canonical_path(raw.decode("latin-1"))
        query = scope.get("query_string", b"").decode("latin-1")
        if path.startswith(CONTROL_PREFIX):
            await self._control(scope, receive, send, path)
            return
        self._enter(scope, path)
        try:
            await self._serve(scope, receive, send, path, query)
        finally:
            with self._stats.lock:
                self._stats.in_flight -= 1

    def _enter(self, scope: dict[str, Any], path: str) -> None:
        stats = self._stats
        with stats.lock:
            stats.requests += 1
            stats.by_path[path] += 1
            stats.oauth += path == OAUTH_PATH
            client = scope.get("client")
            if client:
                stats.clients.add((str(client[0]), int(client[1])))
            stats.in_flight += 1
            stats.max_in_flight = max(stats.max_in_flight, stats.in_flight)

    async def _serve(self, scope: dict[str, Any], receive: Any, send: Any, path: str, query: str) -> None:
        method = scope["method"].upper()
        extra_delay, fault = self._take_faults(path)
        if fault is not None:
            with self._stats.lock:
                self._stats.faults += 1
        if path != OAUTH_PATH and self.delay_ms:
            extra_delay += self.delay_ms
        if extra_delay:
            await asyncio.sleep(extra_delay / 1000)
        if fault is not None:
            await _send_fault(fault, receive, send)
            return
        if path == OAUTH_PATH and method == "POST":
            body = await _read_body(receive)
            headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope.get("headers", [])}
            status, payload = self.oauth.handle(headers.get("content-type", ""), body)
            await send_json(send, status, payload, cache=False)
            return
        if self.require_auth and not self.oauth.is_current(_bearer(scope)):
            await send_json(send, 401, info_error("UNAUTHORIZED", "missing, stale or unknown bearer token"))
            return
        recorded = self.cassettes.lookup(method, path, query)
        if recorded is None:
            shown = scope.get("raw_path", b"").decode("latin-1") or path
            target = f"{method} {shown}" + (f"?{query}" if query else "")
            with self._stats.lock:
                self._stats.unmatched += 1
                if len(self._stats.misses) < _MAX_MISSES_KEPT:
                    self._stats.misses.append(target)
            message = f"stand-in has no cassette interaction for {target}"
            await send_json(send, MISS_STATUS, info_error(MISS_CODE, message))
            return
        raw_headers = [(k.encode("latin-1"), v.encode("latin-1")) for k, v in recorded.headers]
        raw_headers.append((b"content-length", str(len(recorded.body)).encode()))
        await send({"type": "http.response.start", "status": recorded.status, "headers": raw_headers})
        await send({"type": "http.response.body", "body": recorded.body})

    async def _control(self, scope: dict[str, Any], receive: Any, send: Any, path: str) -> None:
        """``GET stats|faults``; ``POST reset-stats|faults|config|revoke-tokens`` (JSON bodies)."""
        method, name = scope["method"].upper(), path[len(CONTROL_PREFIX) :]
        try:
            if method == "GET" and name == "stats":
                await send_json(send, 200, self.stats)
            elif method == "GET" and name == "faults":
                await send_json(send, 200, {"faults": self.faults})
            elif method == "POST" and name == "reset-stats":
                self.reset_stats()
                await send_json(send, 200, self.stats)
            elif method == "POST" and name == "revoke-tokens":
                self.oauth.revoke()
                await send_json(send, 200, {"revoked": True})
            elif method == "POST" and name == "faults":
                data = json.loads(await _read_body(receive) or b"{}")
                self.set_faults(data.get("faults") if isinstance(data, dict) else data)
                await send_json(send, 200, {"faults": self.faults})
            elif method == "POST" and name == "config":
                await send_json(send, 200, self._configure(json.loads(await _read_body(receive) or b"{}")))
            else:
                await send_json(
                    send, 404, info_error("RESOURCE_NOT_FOUND_ERROR", f"no control endpoint {method} {path}")
                )
        except (ValueError, TypeError, AttributeError) as exc:  # FaultSpecError and JSON errors are ValueErrors
            code = "INVALID_FAULT_SPEC" if isinstance(exc, FaultSpecError) else "INVALID_CONTROL_REQUEST"
            await send_json(send, 400, info_error(code, str(exc)))

    def _configure(self, data: dict[str, Any]) -> dict[str, Any]:
        unknown = set(data) - {"delay_ms", "require_auth", "token_ttl"}
        if unknown:
            raise ValueError(f"unknown config keys {sorted(unknown)}; use delay_ms, require_auth, token_ttl")
        if "delay_ms" in data:
            if not isinstance(data["delay_ms"], int) or data["delay_ms"] < 0:
                raise ValueError("delay_ms must be an integer >= 0")
            self.delay_ms = data["delay_ms"]
        if "require_auth" in data:
            self.require_auth = bool(data["require_auth"])
        if "token_ttl" in data:
            if not isinstance(data["token_ttl"], int) or data["token_ttl"] < 1:
                raise ValueError("token_ttl must be an integer >= 1")
            self.token_ttl = data["token_ttl"]
        return {"delay_ms": self.delay_ms, "require_auth": self.require_auth, "token_ttl": self.token_ttl}


def _bearer(scope: dict[str, Any]) -> str | None:
    for name, value in scope.get("headers", []):
        if name.lower() == b"authorization":
            scheme, _, token = value.decode("latin-1").partition(" ")
            return token.strip() if scheme.lower() == "bearer" else None
    return None


async def _lifespan(receive: Any, send: Any) -> None:
    """Answer the ASGI lifespan protocol; the stand-in has nothing to start or stop."""
    for _ in range(2):  # startup, then shutdown
        message = await receive()
        if message["type"] == "lifespan.startup":
            await send({"type": "lifespan.startup.complete"})
        elif message["type"] == "lifespan.shutdown":
            await send({"type": "lifespan.shutdown.complete"})
            return


async def _read_body(receive: Any) -> bytes:
    """Read a request body (bounded by _MAX_BODY, since only small form and JSON bodies are expected)."""
    chunks: list[bytes] = []
    size = 0
    while size <= _MAX_BODY:
        message = await receive()
        if message["type"] == "http.disconnect":
            raise StandInAbort("client disconnected while sending its body")
        chunk = message.get("body", b"")
        chunks.append(chunk)
        size += len(chunk)
        if not message.get("more_body", False):
            return b"".join(chunks)
    raise ValueError(f"request body larger than {_MAX_BODY} bytes")


async def send_json(
    send: Any, status: int, payload: object, *, cache: bool = True, extra: Iterable[tuple[bytes, bytes]] = ()
) -> None:
    """Send a complete JSON response."""
    body = json.dumps(payload).encode("utf-8")
    headers = [(b"content-type", _JSON.encode()), (b"content-length", str(len(body)).encode()), *extra]
    if not cache:  # RFC 6749 §5.1: token responses must not be cached
        headers.append((b"cache-control", b"no-store"))
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


def _retry_after(fault: Fault) -> list[tuple[bytes, bytes]]:
    if fault.retry_after is not None:
        return [(b"retry-after", str(fault.retry_after).encode())]
    if fault.retry_after_date is not None:
        when = email.utils.formatdate(time.time() + fault.retry_after_date, usegmt=True)
        return [(b"retry-after", when.encode())]
    return []


async def _send_fault(fault: Fault, receive: Any, send: Any) -> None:
    """Answer (or refuse to answer) a request the way ``fault`` says."""
    kind = fault.kind
    if kind == "status":
        message = f"tabmcp-standin injected HTTP {fault.status} ({fault.spec})"
        code = {400: "INVALID_SYNTAX_ERROR", 404: "RESOURCE_NOT_FOUND_ERROR"}.get(fault.status or 0, "STANDIN_FAULT")
        await send_json(send, fault.status or 503, info_error(code, message), extra=_retry_after(fault))
    elif kind == "oauth-down":
        payload = {"error": "temporarily_unavailable", "error_description": "tabmcp-standin injected OAuth outage"}
        await send_json(send, 503, payload, cache=False, extra=_retry_after(fault))
    elif kind == "html":
        body = _HTML_PAGE.encode()
        headers = [(b"content-type", b"text/html; charset=utf-8"), (b"content-length", str(len(body)).encode())]
        await send({"type": "http.response.start", "status": fault.status, "headers": headers + _retry_after(fault)})
        await send({"type": "http.response.body", "body": body})
    elif kind in ("malformed-json", "empty"):
        body = b'{"races": [{"raceNumber": 1, "raceName": "TRUNC' if kind == "malformed-json" else b""
        headers = [(b"content-type", _JSON.encode()), (b"content-length", str(len(body)).encode())]
        await send({"type": "http.response.start", "status": 200, "headers": headers})
        await send({"type": "http.response.body", "body": body})
    elif kind == "huge":
        await _send_huge(send, fault.size or 16)
    elif kind == "reset":
        body = json.dumps({"padding": "x" * 4096}).encode()
        headers = [(b"content-type", _JSON.encode()), (b"content-length", str(len(body)).encode())]
        await send({"type": "http.response.start", "status": 200, "headers": headers})
        await send({"type": "http.response.body", "body": body[:256], "more_body": True})
        raise StandInAbort("injected reset")
    elif kind == "hang":
        await _hang(receive, send, fault.hang_s)


async def _send_huge(send: Any, size: int) -> None:
    """Stream a valid JSON document of exactly ``size`` bytes in chunks (never held in memory at once)."""
    head, tail = b'{"padding": "', b'"}'
    filler = size - len(head) - len(tail)
    headers = [(b"content-type", _JSON.encode()), (b"content-length", str(size).encode())]
    await send({"type": "http.response.start", "status": 200, "headers": headers})
    await send({"type": "http.response.body", "body": head, "more_body": True})
    while filler > 0:
        step = min(filler, _CHUNK)
        filler -= step
        await send({"type": "http.response.body", "body": b"x" * step, "more_body": True})
    await send({"type": "http.response.body", "body": tail})


async def _hang(receive: Any, send: Any, limit_s: float) -> None:
    """Say nothing until the client disconnects (or ``limit_s`` passes), then drop the connection."""
    deadline = time.monotonic() + limit_s
    while (remaining := deadline - time.monotonic()) > 0:
        try:
            message = await asyncio.wait_for(receive(), timeout=remaining)
        except TimeoutError:
            break
        if message["type"] == "http.disconnect":
            return
    # Start a response and abort it: the server then closes the socket instead of answering 500.
    headers = [(b"content-type", _JSON.encode()), (b"content-length", b"2")]
    await send({"type": "http.response.start", "status": 200, "headers": headers})
    raise StandInAbort("hang fault gave up waiting for the client")
