"""MCP sessions over the real streamable-HTTP app in memory (ASGI, no sockets), each with its own /mcp query.

Smithery passes a session's config as query parameters on ``/mcp``; these helpers open ``mcp.Client`` sessions
with such a query against one app (one lifespan, so one upstream client and one token cache for all of them).
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Callable
from typing import Any

import httpx
import httpx2
from mcp import Client
from mcp.client.streamable_http import streamable_http_client
from starlette.applications import Starlette

from tab_mcp import create_http_app
from tab_mcp.settings import Settings

BASE = "http://127.0.0.1"
SessionOpener = Callable[[str], contextlib.AbstractAsyncContextManager[Client]]


@contextlib.asynccontextmanager
async def asgi_app(settings: Settings, transport: httpx.AsyncBaseTransport) -> AsyncIterator[Starlette]:
    """The stateless JSON-response HTTP app over ``transport``, with its lifespan running."""
    app = create_http_app(settings, transport=transport, stateless=True, json_response=True)
    async with app.router.lifespan_context(app):
        yield app


@contextlib.asynccontextmanager
async def session_opener(app: Starlette) -> AsyncIterator[SessionOpener]:
    """A function opening an ``mcp.Client`` session on ``/mcp?<query>`` of ``app``."""
    async with httpx2.AsyncClient(transport=httpx2.ASGITransport(app=app), base_url=BASE) as http:

        @contextlib.asynccontextmanager
        async def open_session(query: str) -> AsyncIterator[Client]:
            url = f"{BASE}/mcp?{query}" if query else f"{BASE}/mcp"
            async with Client(streamable_http_client(url, http_client=http)) as client:
                yield client

        yield open_session


def result_text(result: Any) -> str:
    """The text of a tool result (its first content block)."""
    return str(result.content[0].text) if result.content else ""
