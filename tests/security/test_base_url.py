"""The upstream base URL belongs to the operator: no MCP client can move it, and foreign Hosts are refused.

The earlier server let a client set ``base_url`` in its session config, so the bearer token and the account
password went to any host. Here a real HTTP server (``create_http_app`` under uvicorn on loopback) talks to
the stand-in, and a *trap* upstream on another loopback port records anything sent its way. Clients try to
redirect the server through tool arguments, session-config query parameters (Smithery style) and headers;
the trap must see nothing, and the stand-in must see every upstream request.
"""

from __future__ import annotations

import base64
import contextlib
import json
from collections.abc import Iterator

import httpx
import pytest

from tab_mcp.server import create_http_app
from tab_mcp.settings import Settings, load_settings
from tests.helpers.asgi_upstreams import RecordingApp, TrapApp
from tests.helpers.loopback_servers import ThreadServer, serve_in_thread, session, shared_http_client, text_of

pytestmark = pytest.mark.anyio
MCP_HEADERS = {"content-type": "application/json", "accept": "application/json, text/event-stream"}
PING = {"jsonrpc": "2.0", "id": 1, "method": "ping"}


@contextlib.contextmanager
def served(settings: Settings) -> Iterator[tuple[ThreadServer, RecordingApp]]:
    """The tab-mcp HTTP app on loopback, wrapped so the test sees the MCP requests it received."""
    app = RecordingApp(create_http_app(settings))
    with serve_in_thread(app) as server:
        yield server, app


@pytest.fixture
def trap() -> Iterator[tuple[ThreadServer, TrapApp]]:
    app = TrapApp()
    with serve_in_thread(app, lifespan="off") as server:
        yield server, app


def settings_for(standin_url: str, **extra: object) -> Settings:
    return Settings(base_url=standin_url, client_id="base-client", client_secret="base-secret", **extra)  # type: ignore[arg-type]


async def test_tool_arguments_cannot_set_the_base_url(standin, trap) -> None:
    trap_server, trap_app = trap
    hostile = {
        name: trap_server.base for name in ("base_url", "baseUrl", "TAB_BASE_URL", "url", "host", "api_base", "server")
    }
    with served(settings_for(standin.url)) as (server, _):
        async with shared_http_client() as http, session(server.url, http) as client:
            ok = await client.call_tool("racing_get_all_meeting_dates", hostile)
            absolute = await client.call_tool(
                "tab_get", {"path": f"{trap_server.base}/v1/tab-info-service/racing/dates"}
            )
            relative = await client.call_tool("tab_get", {"path": "//127.0.0.1:1/v1/tab-info-service/racing/dates"})
    assert not ok.is_error, text_of(ok)  # unknown arguments are ignored (MCPServer drops them)
    assert absolute.is_error and "names a scheme or host" in text_of(absolute)
    assert relative.is_error and "names a scheme or host" in text_of(relative)
    assert trap_app.seen == []
    assert standin.stats["requests_by_path"].get("/v1/tab-info-service/racing/dates") == 1


async def test_session_config_query_parameters_cannot_set_the_base_url(standin, trap) -> None:
    trap_server, trap_app = trap
    config = base64.urlsafe_b64encode(json.dumps({"base_url": trap_server.base}).encode()).decode()
    query = httpx.QueryParams(
        {
            "base_url": trap_server.base,
            "baseUrl": trap_server.base,
            "TAB_BASE_URL": trap_server.base,
            "config": config,
            "config.base_url": trap_server.base,
            "clientId": "session-client",  # session credentials are honoured; their token must come from
            "clientSecret": "session-secret",  # the configured upstream too
        }
    )
    with served(settings_for(standin.url)) as (server, recorder):
        async with shared_http_client() as http, session(f"{server.url}?{query}", http) as client:
            first = await client.call_tool("racing_get_all_meeting_dates", {})
            second = await client.call_tool("sports_get_all_open", {})
    assert not first.is_error and not second.is_error, (text_of(first), text_of(second))
    mcp_posts = [s for s in recorder.seen if s.raw_path == "/mcp" and s.method == "POST"]
    assert mcp_posts and all("base_url=" in s.query for s in mcp_posts), "the config must reach the server"
    assert trap_app.seen == []
    assert standin.stats["requests_by_path"].get("/v1/tab-info-service/racing/dates") == 1
    assert standin.stats["requests_by_path"].get("/v1/tab-info-service/sports") == 1
    assert standin.stats["oauth_requests"] >= 1, "the session's own token request went to the configured host"


async def test_forwarding_headers_cannot_set_the_base_url(standin, trap) -> None:
    trap_server, trap_app = trap
    trap_host = f"127.0.0.1:{trap_server.port}"
    headers = {
        "X-Forwarded-Host": trap_host,
        "X-Forwarded-Proto": "http",
        "X-Forwarded-For": "127.0.0.1",
        "Forwarded": f"host={trap_host};proto=http",
        "X-Original-URL": f"{trap_server.base}/mcp",
        "X-Rewrite-URL": f"{trap_server.base}/mcp",
        "X-Tab-Base-Url": trap_server.base,
        "Tab-Base-Url": trap_server.base,
    }
    with served(settings_for(standin.url)) as (server, _):
        async with shared_http_client(headers=headers) as http, session(server.url, http) as client:
            result = await client.call_tool("racing_get_open_jackpots", {})
    assert not result.is_error, text_of(result)
    assert trap_app.seen == []
    assert standin.stats["requests_by_path"].get("/v1/tab-info-service/racing/jackpots") == 1


async def test_foreign_host_header_gets_421_on_a_real_server(standin) -> None:
    with served(settings_for(standin.url)) as (server, _):
        async with httpx.AsyncClient(base_url=server.base, trust_env=False) as http:
            evil = await http.post("/mcp", json=PING, headers={**MCP_HEADERS, "host": "evil.example"})
            rebound = await http.post("/mcp", json=PING, headers={**MCP_HEADERS, "host": f"evil.example:{server.port}"})
            origin = await http.post("/mcp", json=PING, headers={**MCP_HEADERS, "origin": "http://evil.example"})
            loopback = await http.post("/mcp", json=PING, headers=MCP_HEADERS)
    assert (evil.status_code, evil.text) == (421, "Invalid Host header")
    assert rebound.status_code == 421
    assert (origin.status_code, origin.text) == (403, "Invalid Origin header")
    assert loopback.status_code not in (403, 421)
    assert standin.stats["requests"] == 0, "a refused request must not reach the upstream"


async def test_allowed_hosts_come_from_tab_allowed_hosts(standin, monkeypatch) -> None:
    monkeypatch.setenv("TAB_ALLOWED_HOSTS", "mcp.example.com, other.example")
    monkeypatch.setenv("TAB_BASE_URL", standin.url)
    settings = load_settings()
    with served(settings) as (server, _):
        async with httpx.AsyncClient(base_url=server.base, trust_env=False) as http:
            statuses = {
                host: (await http.post("/mcp", json=PING, headers={**MCP_HEADERS, "host": host})).status_code
                for host in ("mcp.example.com", "mcp.example.com:443", "other.example", "evil.example")
            }
            proxied_origin = await http.post(
                "/mcp",
                json=PING,
                headers={**MCP_HEADERS, "host": "mcp.example.com", "origin": "https://mcp.example.com"},
            )
    assert statuses["evil.example"] == 421
    assert all(statuses[h] not in (403, 421) for h in ("mcp.example.com", "mcp.example.com:443", "other.example"))
    assert proxied_origin.status_code not in (403, 421)
