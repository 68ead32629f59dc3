"""Smithery-style session config in the /mcp query string: credentials and jurisdiction only, never the host."""

from __future__ import annotations

import httpx2
import pytest
from mcp import Client
from mcp.client.streamable_http import streamable_http_client
from mcp.types import CallToolResult

from tab_mcp import create_http_app, create_server
from tab_mcp.client import MAX_SESSION_TOKEN_CACHES, TabClient, build_http_client
from tab_mcp.session_config import SessionConfig
from tab_mcp.settings import Settings

pytestmark = pytest.mark.anyio


async def call_over_asgi(upstream, settings, query: str, tool: str, args: dict) -> CallToolResult:
    app = create_http_app(settings, transport=upstream.transport, stateless=True, json_response=True)
    async with app.router.lifespan_context(app):
        transport = httpx2.ASGITransport(app=app)
        async with httpx2.AsyncClient(transport=transport, base_url="http://127.0.0.1") as http:
            url = f"http://127.0.0.1/mcp?{query}"
            async with Client(streamable_http_client(url, http_client=http)) as client:
                return await client.call_tool(tool, args)


async def test_session_credentials_and_jurisdiction_apply_but_base_url_is_ignored(upstream) -> None:
    settings = Settings(client_id="server-id", client_secret="server-secret")
    query = "clientId=sess-id&clientSecret=sess-secret&jurisdiction=VIC&base_url=https://evil.example&baseUrl=x"
    result = await call_over_asgi(upstream, settings, query, "sports_get_all_open", {})

    assert not result.is_error
    assert {r.url.host for r in upstream.requests} == {"api.beta.tab.com.au"}
    form = upstream.form(upstream.oauth_requests[0])
    assert form["client_id"] == "sess-id" and form["client_secret"] == "sess-secret"
    assert upstream.api_requests[0].url.params["jurisdiction"] == "VIC"


async def test_argument_jurisdiction_beats_session_default(upstream, settings) -> None:
    result = await call_over_asgi(
        upstream, settings, "jurisdiction=VIC", "tab_get", {"path": "/v1/tab-info-service/sports", "jurisdiction": "SA"}
    )
    assert not result.is_error
    assert upstream.api_requests[0].url.params["jurisdiction"] == "SA"
    assert upstream.form(upstream.oauth_requests[0])["client_id"] == "unit-client"


async def test_session_credentials_reach_the_oauth_tools(upstream) -> None:
    result = await call_over_asgi(upstream, Settings(), "clientId=a&clientSecret=b", "tab_oauth_client_credentials", {})
    assert not result.is_error
    assert upstream.form(upstream.oauth_requests[0]) == {
        "grant_type": "client_credentials",
        "client_id": "a",
        "client_secret": "b",
    }


async def test_in_memory_calls_have_no_session_config(upstream, settings) -> None:
    async with Client(create_server(settings, transport=upstream.transport)) as client:
        await client.call_tool("sports_get_all_open", {})
    assert upstream.form(upstream.oauth_requests[0])["client_id"] == "unit-client"


async def test_session_token_caches_are_bounded_and_reused(upstream, settings) -> None:
    async with build_http_client(settings, transport=upstream.transport) as http:
        client = TabClient(http, settings)
        first = client.tokens_for(SessionConfig(client_id="a", client_secret="b"))
        assert client.tokens_for(SessionConfig(client_id="a", client_secret="b")) is first
        assert client.tokens_for(SessionConfig(jurisdiction="VIC")) is client.tokens
        for i in range(MAX_SESSION_TOKEN_CACHES + 5):
            client.tokens_for(SessionConfig(client_id=f"id{i}", client_secret="s"))
        assert client.tokens_for(SessionConfig(client_id="a", client_secret="b")) is not first


def test_session_config_repr_hides_credentials() -> None:
    text = repr(SessionConfig(client_id="cid-x", client_secret="sec-x", jurisdiction="NSW"))
    assert "cid-x" not in text and "sec-x" not in text and "NSW" in text
