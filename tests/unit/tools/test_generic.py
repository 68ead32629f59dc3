"""tab_mcp.tools.generic: tab_post is off by default and stays under /v1/; tab_get checks its params."""

from __future__ import annotations

import pytest
from mcp import Client

from tab_mcp import create_server
from tab_mcp.settings import Settings

pytestmark = pytest.mark.anyio


async def test_tab_post_is_refused_by_default(upstream) -> None:
    async with Client(create_server(Settings(), transport=upstream.transport)) as client:
        result = await client.call_tool("tab_post", {"path": "/v1/betting-service/bets", "body": {"x": 1}})
    assert result.is_error and "TAB_ENABLE_BETTING=true" in result.content[0].text
    assert upstream.requests == []


async def test_tab_post_when_enabled_stays_under_v1(upstream) -> None:
    async with Client(create_server(Settings(enable_betting=True), transport=upstream.transport)) as client:
        ok = await client.call_tool("tab_post", {"path": "/v1/betting-service/bets", "body": {"x": 1}})
        oauth = await client.call_tool("tab_post", {"path": "/oauth/token"})
        query = await client.call_tool("tab_post", {"path": "/v1/x?y=1"})
    assert not ok.is_error
    assert oauth.is_error and "outside /v1/" in oauth.content[0].text
    assert query.is_error and "no query string" in query.content[0].text
    assert [r.url.raw_path.decode() for r in upstream.api_requests] == ["/v1/betting-service/bets"]


async def test_tab_get_rejects_non_scalar_params(upstream, settings) -> None:
    async with Client(create_server(settings, transport=upstream.transport)) as client:
        result = await client.call_tool("tab_get", {"path": "/v1/tab-info-service/sports", "params": {"a": 1.5}})
    assert not result.is_error
    assert upstream.api_requests[0].url.params["a"] == "1.5"
