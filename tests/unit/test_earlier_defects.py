"""One test per defect of the earlier server (design.md §6) that sits in the server itself.

The workflow, monitor and release-notes defects are covered in tests/ops; the stall under load and the
per-call TCP connections in tests/integration and the benchmark.
"""

from __future__ import annotations

import logging
import re
from pathlib import Path

import anyio
import httpx
import pytest
from mcp import Client

from tab_mcp import create_server
from tab_mcp.logs import RedactingFilter

pytestmark = pytest.mark.anyio
TESTS = Path(__file__).resolve().parents[1]


def test_tests_never_touch_sdk_private_attributes() -> None:
    # The earlier suite broke because it reached into a private SDK attribute.
    private = re.compile(r"\._(tool_manager|lowlevel_server|resource_manager|prompt_manager|custom_starlette_routes)\b")
    offenders = [
        str(p.relative_to(TESTS))
        for p in TESTS.rglob("*.py")
        if p.name != Path(__file__).name and private.search(p.read_text(encoding="utf-8"))
    ]
    assert offenders == []


async def test_path_traversal_through_a_name_never_reaches_another_service(upstream, settings) -> None:
    # The earlier server sent sport_name="../../../v1/account-service/accounts/me" to the account service.
    async with Client(create_server(settings, transport=upstream.transport)) as client:
        result = await client.call_tool(
            "sports_get_open_sport", {"sport_name": "../../../v1/account-service/accounts/me"}
        )
    assert result.is_error and "path parts" in result.content[0].text
    assert upstream.api_requests == []


async def test_session_config_cannot_redirect_credentials(upstream, settings) -> None:
    # The earlier server let a client set base_url in the session config; ours has no such input.
    async with Client(create_server(settings, transport=upstream.transport)) as client:
        tools = (await client.list_tools()).tools
        result = await client.call_tool("sports_get_all_open", {"base_url": "https://evil.example"})
    assert all("base_url" not in t.input_schema.get("properties", {}) for t in tools)
    assert not result.is_error
    assert {r.url.host for r in upstream.requests} == {"api.beta.tab.com.au"}


def test_access_log_line_never_shows_credentials() -> None:
    # The earlier server's access log printed credentials passed in the query string.
    line = '127.0.0.1:5555 - "POST /mcp?clientId=abc&clientSecret=s3cr3t HTTP/1.1" 200'
    record = logging.LogRecord("uvicorn.access", logging.INFO, __file__, 1, line, None, None)
    RedactingFilter().filter(record)
    assert "s3cr3t" not in record.getMessage() and "abc" not in record.getMessage()


async def test_slow_call_does_not_stall_another_call(settings) -> None:
    # The earlier tools were synchronous: one slow upstream call stalled every other session.
    slow_started = anyio.Event()

    async def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/oauth/token":
            return httpx.Response(200, json={"access_token": "t", "expires_in": 10800})
        if request.url.path.endswith("/jackpots"):
            slow_started.set()
            await anyio.sleep(2)
        return httpx.Response(200, json={"ok": True})

    server = create_server(settings, transport=httpx.MockTransport(handler))
    async with Client(server) as slow_client, Client(server) as fast_client:
        async with anyio.create_task_group() as tg:
            tg.start_soon(slow_client.call_tool, "racing_get_open_jackpots", {})
            await slow_started.wait()
            with anyio.fail_after(1.0):  # well under the 2 s the slow call holds
                fast = await fast_client.call_tool("sports_get_all_open", {})
            assert not fast.is_error
            tg.cancel_scope.cancel()
