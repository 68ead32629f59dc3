"""An in-memory tab-mcp server whose upstream is a request recorder, kept open across Hypothesis examples.

``mcp.Client(create_server(settings, transport=httpx.MockTransport(recorder)))`` is entered once in a
blocking portal (its own event loop thread), so each example costs one tool call, not a server lifespan.
The recorder keeps every upstream request exactly as it would leave the process.
"""

from __future__ import annotations

import contextlib
import dataclasses
import threading
from collections.abc import Iterator
from typing import Any

import httpx
from anyio.from_thread import BlockingPortal, start_blocking_portal
from mcp import Client

from tab_mcp.server import create_server
from tab_mcp.settings import Settings

BASE_URL = "https://api.beta.tab.com.au"
SERVER_TOKEN = "server-token-0123456789"
INFO_PREFIX = "/v1/tab-info-service/"
OAUTH_PATH = "/oauth/token"


@dataclasses.dataclass(frozen=True)
class Sent:
    """One upstream request as it left the server."""

    method: str
    url: httpx.URL
    headers: list[tuple[str, str]]
    body: bytes

    @property
    def raw_path(self) -> str:
        """The path exactly as sent (still percent-encoded), without the query."""
        return self.url.raw_path.decode("ascii").split("?", 1)[0]

    @property
    def raw_query(self) -> str:
        """The query exactly as sent (still percent-encoded)."""
        return self.url.query.decode("ascii")


class Recorder:
    """An upstream that records every request: OAuth issues a token, everything else answers ``{"ok": true}``."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.sent: list[Sent] = []

    def handler(self, request: httpx.Request) -> httpx.Response:
        """The MockTransport handler."""
        request.read()
        with self._lock:
            self.sent.append(Sent(request.method, request.url, list(request.headers.multi_items()), request.content))
        if request.url.path == OAUTH_PATH:
            return httpx.Response(200, json={"access_token": SERVER_TOKEN, "token_type": "Bearer", "expires_in": 10800})
        return httpx.Response(200, json={"ok": True})

    def since(self, mark: int) -> list[Sent]:
        """Requests recorded after ``mark`` (a previous ``len(recorder.sent)``)."""
        with self._lock:
            return list(self.sent[mark:])


@dataclasses.dataclass
class InMemory:
    """A connected client plus its recorder; ``call`` runs a tool synchronously through the portal."""

    portal: BlockingPortal
    client: Client
    recorder: Recorder
    settings: Settings

    def call(self, tool: str, arguments: dict[str, Any]) -> tuple[Any, list[Sent]]:
        """Call ``tool``; return the CallToolResult and the upstream requests it caused."""
        mark = len(self.recorder.sent)
        result = self.portal.call(self.client.call_tool, tool, arguments)
        return result, self.recorder.since(mark)


def fuzz_settings(**overrides: Any) -> Settings:
    """Settings with client credentials (so a bearer token is expected on info-service calls)."""
    values: dict[str, Any] = {
        "base_url": BASE_URL,
        "client_id": "fuzz-client-id",
        "client_secret": "fuzz-client-secret",
        "retry_max_seconds": 0,
    }
    return Settings(**(values | overrides))


@contextlib.contextmanager
def in_memory(settings: Settings | None = None) -> Iterator[InMemory]:
    """Open the in-memory client in a blocking portal; close it (and the portal) on exit."""
    settings = settings or fuzz_settings()
    recorder = Recorder()
    server = create_server(settings, transport=httpx.MockTransport(recorder.handler))
    with start_blocking_portal() as portal, portal.wrap_async_context_manager(Client(server)) as client:
        yield InMemory(portal=portal, client=client, recorder=recorder, settings=settings)
