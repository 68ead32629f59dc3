"""A fake Tabcorp upstream behind ``httpx.MockTransport`` (no sockets), and responders to script it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl

import httpx

Responder = Callable[[httpx.Request], httpx.Response]


@dataclass
class FakeUpstream:
    """Records every request and answers from per-path routes (default: echo the raw path as JSON)."""

    token_ttl: int = 10800
    requests: list[httpx.Request] = field(default_factory=list)
    routes: dict[str, Responder | list[Responder]] = field(default_factory=dict)
    issued: int = 0

    def route(self, path: str, *responders: Responder) -> None:
        """Answer ``path`` with the responders in turn (the last one repeats)."""
        self.routes[path] = list(responders)

    def handler(self, request: httpx.Request) -> httpx.Response:
        request.read()
        # Snapshot: httpx replays the same Request object after a 401, mutating its headers.
        self.requests.append(
            httpx.Request(request.method, request.url, headers=request.headers.copy(), content=request.content)
        )
        answer = self.routes.get(request.url.path)
        if isinstance(answer, list) and answer:
            responder = answer.pop(0) if len(answer) > 1 else answer[0]
            return responder(request)
        if request.url.path == "/oauth/token":
            self.issued += 1
            return httpx.Response(
                200, json={"access_token": f"tok-{self.issued}", "token_type": "Bearer", "expires_in": self.token_ttl}
            )
        return httpx.Response(200, json={"raw_path": request.url.raw_path.decode()})

    @property
    def transport(self) -> httpx.MockTransport:
        return httpx.MockTransport(self.handler)

    @property
    def api_requests(self) -> list[httpx.Request]:
        return [r for r in self.requests if r.url.path != "/oauth/token"]

    @property
    def oauth_requests(self) -> list[httpx.Request]:
        return [r for r in self.requests if r.url.path == "/oauth/token"]

    def form(self, request: httpx.Request) -> dict[str, str]:
        return dict(parse_qsl(request.content.decode()))


def json_response(status: int, body: Any, **headers: str) -> Responder:
    return lambda _req: httpx.Response(status, json=body, headers=headers)


def raw_response(status: int, content: bytes, content_type: str = "application/json", **headers: str) -> Responder:
    return lambda _req: httpx.Response(status, content=content, headers={"content-type": content_type, **headers})


def raising(exc: Exception) -> Responder:
    def respond(_req: httpx.Request) -> httpx.Response:
        raise exc

    return respond
