"""tab_mcp.tools.oauth: the explicit OAuth tools return tokens and name what is missing."""

from __future__ import annotations

import time

import pytest
from mcp import Client

from tab_mcp import create_server
from tab_mcp.settings import Settings
from tests.helpers.fake_upstream import json_response

pytestmark = pytest.mark.anyio


async def test_client_credentials_tool_returns_the_token_with_expires_at(upstream, settings) -> None:
    async with Client(create_server(settings, transport=upstream.transport)) as client:
        result = await client.call_tool("tab_oauth_client_credentials", {})

    data = result.structured_content
    assert not result.is_error
    assert data["access_token"] == "tok-1" and data["expires_in"] == 10800
    assert abs(data["expires_at"] - (time.time() + 10800)) < 5
    assert upstream.form(upstream.oauth_requests[0])["client_secret"] == "unit-secret-value"


async def test_password_grant_tool_prefers_arguments(upstream, settings) -> None:
    async with Client(create_server(settings, transport=upstream.transport)) as client:
        result = await client.call_tool(
            "tab_oauth_password_grant", {"username": "acct", "password": "pw", "client_id": "other"}
        )
    assert not result.is_error
    form = upstream.form(upstream.oauth_requests[0])
    assert form == {
        "grant_type": "password",
        "client_id": "other",
        "client_secret": "unit-secret-value",
        "username": "acct",
        "password": "pw",
    }


async def test_refresh_tool_sends_the_refresh_grant(upstream, settings) -> None:
    async with Client(create_server(settings, transport=upstream.transport)) as client:
        result = await client.call_tool("tab_oauth_refresh", {"refresh_token": "r-1"})
    assert not result.is_error
    assert upstream.form(upstream.oauth_requests[0])["grant_type"] == "refresh_token"


async def test_oauth_tools_name_missing_credentials(upstream) -> None:
    async with Client(create_server(Settings(), transport=upstream.transport)) as client:
        missing = await client.call_tool("tab_oauth_password_grant", {"username": "acct"})
        refresh = await client.call_tool("tab_oauth_refresh", {"client_id": "c", "client_secret": "s"})
    assert "needs client_id, client_secret, password" in missing.content[0].text
    assert "TAB_CLIENT_ID" in missing.content[0].text
    assert "needs refresh_token" in refresh.content[0].text
    assert "TAB_REFRESH_TOKEN" not in refresh.content[0].text  # no such setting: it comes as an argument
    assert upstream.requests == []


async def test_oauth_tool_surfaces_oauth_error_without_secret(upstream, settings) -> None:
    upstream.route("/oauth/token", json_response(400, {"error": "invalid_grant", "error_description": "bad password"}))
    async with Client(create_server(settings, transport=upstream.transport)) as client:
        result = await client.call_tool("tab_oauth_password_grant", {"username": "acct", "password": "hunter2-secret"})
    text = result.content[0].text
    assert result.is_error and "invalid_grant: bad password" in text
    assert "hunter2-secret" not in text and "unit-secret-value" not in text
