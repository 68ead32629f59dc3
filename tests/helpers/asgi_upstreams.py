"""Small loopback ASGI upstreams for what the cassette stand-in does not do.

- :class:`RecordingApp` wraps any ASGI app (e.g. the stand-in) and records each request's method, raw
  path, query and headers, so a test can assert *where* the server sent requests (method included, which
  the stand-in's counters do not keep).
- :class:`ChunkedHugeApp` streams a body of N bytes **without** ``Content-Length`` (chunked), so the
  server's bounded read is exercised mid-stream rather than on the declared length.
- :class:`TrapApp` answers 200 to anything and records it: an "attacker" host that must never be contacted.
"""

from __future__ import annotations

import dataclasses
import threading
from typing import Any


@dataclasses.dataclass(frozen=True)
class Seen:
    """One request an upstream received."""

    method: str
    raw_path: str
    query: str
    headers: tuple[tuple[str, str], ...]


class _Recorder:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._seen: list[Seen] = []

    def record(self, scope: dict[str, Any]) -> None:
        raw = scope.get("raw_path") or scope["path"].encode()
        headers = tuple((k.decode("latin-1"), v.decode("latin-1")) for k, v in scope.get("headers", []))
        seen = Seen(scope["method"], raw.decode("latin-1"), scope.get("query_string", b"").decode("latin-1"), headers)
        with self._lock:
            self._seen.append(seen)

    @property
    def seen(self) -> list[Seen]:
        """A copy of what was received so far."""
        with self._lock:
            return list(self._seen)


class RecordingApp(_Recorder):
    """Records every HTTP request, then hands it to ``inner``."""

    def __init__(self, inner: Any) -> None:
        super().__init__()
        self.inner = inner

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        """ASGI entry point."""
        if scope["type"] == "http":
            self.record(scope)
        await self.inner(scope, receive, send)


async def _drain(receive: Any) -> None:
    while True:
        message = await receive()
        if message["type"] != "http.request" or not message.get("more_body", False):
            return


class ChunkedHugeApp(_Recorder):
    """Answers every request with a valid JSON object of ``size`` bytes, streamed without Content-Length."""

    def __init__(self, size: int, chunk: int = 64 * 1024) -> None:
        super().__init__()
        self.size = size
        self.chunk = chunk

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        """ASGI entry point."""
        if scope["type"] != "http":
            return
        self.record(scope)
        await _drain(receive)
        await send({"type": "http.response.start", "status": 200, "headers": [(b"content-type", b"application/json")]})
        head, tail = b'{"padding": "', b'"}'
        await send({"type": "http.response.body", "body": head, "more_body": True})
        left = self.size - len(head) - len(tail)
        while left > 0:  # bounded: size / chunk iterations
            step = min(left, self.chunk)
            left -= step
            await send({"type": "http.response.body", "body": b"x" * step, "more_body": True})
        await send({"type": "http.response.body", "body": tail})


class TrapApp(_Recorder):
    """A host that must never be reached: records the request and answers a harmless JSON 200."""

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        """ASGI entry point."""
        if scope["type"] != "http":
            return
        self.record(scope)
        await _drain(receive)
        body = b'{"trap": true, "access_token": "trap-token", "expires_in": 10800}'
        headers = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
        await send({"type": "http.response.start", "status": 200, "headers": headers})
        await send({"type": "http.response.body", "body": body})
