"""tab_mcp.tools.oauth: the token tools mint only with the caller's own credentials and name what is missing."""

from __future__ import annotations

import time

import pytest
from mcp import Client

from tab_mcp import create_server
from tab_mcp.settings import Settings
from tests.helpers.fake_upstream import json_response

pytestmark = pytest.mark.anyio
MINE = {"client_id": "my-client", "client_secret": "my-secret"}


async def test_client_credentials_tool_returns_the_token_with_expires_at(upstream, settings) -> None:
    async with Client(create_server(settings, transport=upstream.transport)) as client:
        result = await client.call_tool("tab_oauth_client_credentials", MINE)

    data = result.structured_content
    assert not result.is_error
    assert data["access_token"] == "tok-1" and data["expires_in"] == 10800
    assert abs(data["expires_at"] - (time.time() + 10800)) < 5
    assert upstream.form(upstream.oauth_requests[0]) == {"grant_type": "client_credentials", **MINE}


async def test_password_grant_tool_sends_exactly_the_callers_credentials(upstream, settings) -> None:
    async with Client(create_server(settings, transport=upstream.transport)) as client:
        result = await client.call_tool("tab_oauth_password_grant", {**MINE, "username": "acct", "password": "pw"})
    assert not result.is_error
    form = upstream.form(upstream.oauth_requests[0])
    assert form == {"grant_type": "password", **MINE, "username": "acct", "password": "pw"}


async def test_refresh_tool_sends_the_refresh_grant(upstream, settings) -> None:
    async with Client(create_server(settings, transport=upstream.transport)) as client:
        result = await client.call_tool("tab_oauth_refresh", {"refresh_token": "r-1", **MINE})
    assert not result.is_error
    assert upstream.form(upstream.oauth_requests[0]) == {"grant_type": "refresh_token", "refresh_token": "r-1", **MINE}


async def test_token_tools_never_complete_a_partial_set_from_the_server(upstream) -> None:
    operator = Settings(client_id="op-client", client_secret="op-secret", username="op-user", password="op-pass")
    async with Client(create_server(operator, transport=upstream.transport)) as client:
        nothing = await client.call_tool("tab_oauth_password_grant", {})
        account_only = await client.call_tool("tab_oauth_password_grant", {"username": "acct", "password": "pw"})
        refresh = await client.call_tool("tab_oauth_refresh", MINE)
        client_id_only = await client.call_tool("tab_oauth_client_credentials", {"client_id": "mine"})
    assert nothing.content[0].text == (
        "Error executing tool tab_oauth_password_grant: tab_oauth_password_grant needs your own client_id, "
        "client_secret, username and password: pass them as arguments or in this session's config; the server "
        "never lends its own credentials."
    )
    assert "needs your own client_id and client_secret: pass them" in account_only.content[0].text
    assert "needs your own refresh_token: pass it as an argument;" in refresh.content[0].text
    assert "needs your own client_secret: pass it as an argument or in this session's config" in (
        client_id_only.content[0].text
    )
    assert all(r.is_error for r in (nothing, account_only, refresh, client_id_only))
    assert upstream.requests == [], "nothing may be sent upstream on the server's behalf"


async def test_oauth_tool_surfaces_oauth_error_without_secret(upstream, settings) -> None:
    upstream.route("/oauth/token", json_response(400, {"error": "invalid_grant", "error_description": "bad password"}))
    async with Client(create_server(settings, transport=upstream.transport)) as client:
        result = await client.call_tool(
            "tab_oauth_password_grant", {**MINE, "username": "acct", "password": "hunter2-secret"}
        )
    text = result.content[0].text
    assert result.is_error and "invalid_grant: bad password" in text
    assert "hunter2-secret" not in text and "unit-secret-value" not in text and "my-secret" not in text


async def test_a_refused_call_identity_is_not_sent_again_at_once(upstream, settings) -> None:
    """Eight tries with the same wrong password send one grant; another password is its own identity."""
    upstream.route("/oauth/token", json_response(400, {"error": "invalid_grant", "error_description": "bad password"}))
    wrong = {**MINE, "username": "acct", "password": "wrong"}
    async with Client(create_server(settings, transport=upstream.transport)) as client:
        results = [await client.call_tool("tab_oauth_password_grant", wrong) for _ in range(8)]
        other = await client.call_tool("tab_oauth_password_grant", {**wrong, "password": "also-wrong"})
    assert len(upstream.oauth_requests) == 2, "one grant per identity within the wait"
    assert all(r.is_error and "invalid_grant: bad password" in r.content[0].text for r in [*results, other])
    assert "the server will not send these credentials again for 30 s" in results[0].content[0].text
    assert "the server will not send these credentials again for" in results[-1].content[0].text
