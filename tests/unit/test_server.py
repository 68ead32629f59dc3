"""tab_mcp.server: the tools it lists, its health routes, and its host checks."""

from __future__ import annotations

import logging

import httpx
import pytest
from mcp import Client

from tab_mcp import create_http_app, create_server
from tab_mcp.access import transport_security
from tab_mcp.settings import Settings

pytestmark = pytest.mark.anyio


async def test_lists_28_described_tools_with_annotations() -> None:
    async with Client(create_server(Settings())) as client:
        tools = (await client.list_tools()).tools

    assert len(tools) == 28
    by_name = {t.name: t for t in tools}
    for tool in tools:
        assert tool.description and len(tool.description) > 20, tool.name
        assert tool.input_schema["type"] == "object"
        for name, prop in tool.input_schema.get("properties", {}).items():
            assert prop.get("description"), f"{tool.name}.{name} has no description"
        assert tool.annotations is not None
    assert by_name["tab_post"].annotations.destructive_hint is True
    assert by_name["tab_post"].annotations.read_only_hint is False
    minting = [t for t in tools if t.name.startswith("tab_oauth_")]
    assert len(minting) == 3
    assert all(t.annotations.read_only_hint is False and t.annotations.destructive_hint is False for t in minting)
    read_only = [t for t in tools if t.name != "tab_post" and t not in minting]
    assert all(t.annotations.read_only_hint for t in read_only)
    jurisdiction = by_name["racing_get_meetings"].input_schema["properties"]["jurisdiction"]
    assert "WA" not in jurisdiction["enum"] and "NSW" in jurisdiction["enum"]
    assert by_name["racing_get_meetings"].input_schema["required"] == ["meeting_date"]
    assert "access_token" not in by_name["racing_get_meetings"].input_schema["required"]


async def test_server_does_not_take_over_root_logging() -> None:
    root = logging.getLogger()
    before = (list(root.handlers), root.level)
    create_server(Settings())
    assert (list(root.handlers), root.level) == before


async def asgi_get(
    app, path: str, host: str = "127.0.0.1:8000", client: tuple[str, int] = ("127.0.0.1", 50000), headers=None
) -> httpx.Response:
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app, client=client)
        async with httpx.AsyncClient(transport=transport, base_url=f"http://{host}") as http:
            return await http.get(path, headers=headers)


async def test_healthz_answers_only_ok_and_makes_no_upstream_call(upstream, settings) -> None:
    response = await asgi_get(create_http_app(settings, transport=upstream.transport), "/healthz")
    assert response.status_code == 200 and response.text == "ok"
    assert upstream.requests == []


async def test_health_routes_sit_behind_the_host_check(upstream, settings) -> None:
    for path in ("/healthz", "/readyz"):
        response = await asgi_get(create_http_app(settings, transport=upstream.transport), path, host="evil.example")
        assert response.status_code == 421, path


async def test_readyz_shows_details_only_to_loopback_or_authenticated_callers(upstream) -> None:
    settings = Settings(client_id="a", client_secret="b", auth_tokens="monitor-token", allowed_hosts="mcp.example.com")
    remote = ("203.0.113.7", 40000)
    app = create_http_app(settings, transport=upstream.transport)
    anonymous = await asgi_get(app, "/readyz", host="mcp.example.com", client=remote)
    assert anonymous.status_code == 200 and anonymous.json() == {"status": "ready"}

    app = create_http_app(settings, transport=upstream.transport)
    bearer = {"Authorization": "Bearer monitor-token"}
    authenticated = await asgi_get(app, "/readyz", host="mcp.example.com", client=remote, headers=bearer)
    assert authenticated.json()["auth"] == "client_credentials" and "sessions" in authenticated.json()

    upstream.route("/oauth/token", lambda _r: httpx.Response(503, json={"error": "unavailable"}))
    app = create_http_app(settings, transport=upstream.transport)
    unready = await asgi_get(app, "/readyz", host="mcp.example.com", client=remote)
    assert unready.status_code == 503 and unready.json() == {"status": "unready"}


async def test_readyz_reports_token_lifetime(upstream, settings) -> None:
    response = await asgi_get(create_http_app(settings, transport=upstream.transport), "/readyz")
    body = response.json()
    assert response.status_code == 200
    assert body["status"] == "ready" and body["auth"] == "client_credentials"
    assert 10790 <= body["token_expires_in"] <= 10800
    assert "tok-1" not in response.text


async def test_readyz_anonymous_and_unready(upstream) -> None:
    anonymous = await asgi_get(create_http_app(Settings(), transport=upstream.transport), "/readyz")
    sessions = {"open": 0, "busy": 0, "cap": Settings().max_sessions, "evicted": 0, "refused": 0}
    assert anonymous.json() == {"status": "ready", "auth": "anonymous", "sessions": sessions}

    upstream.route("/oauth/token", lambda _r: httpx.Response(503, json={"error": "unavailable"}))
    unready = await asgi_get(
        create_http_app(Settings(client_id="a", client_secret="b"), transport=upstream.transport), "/readyz"
    )
    assert unready.status_code == 503 and "503" in unready.json()["reason"]


async def test_readyz_before_lifespan_says_starting(settings) -> None:
    app = create_http_app(settings)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://127.0.0.1") as http:
        response = await http.get("/readyz")
    assert response.status_code == 503 and response.json()["status"] == "starting"


async def test_unknown_host_gets_421_and_allowed_host_passes(settings) -> None:
    body = {"jsonrpc": "2.0", "id": 1, "method": "ping"}
    headers = {"content-type": "application/json", "accept": "application/json, text/event-stream"}
    for allowed, host, expected in [([], "evil.example", 421), (["mcp.example.com"], "mcp.example.com", None)]:
        app = create_http_app(Settings(allowed_hosts=allowed))
        async with app.router.lifespan_context(app):
            transport = httpx.ASGITransport(app=app)
            async with httpx.AsyncClient(transport=transport, base_url=f"http://{host}") as http:
                response = await http.post("/mcp", json=body, headers=headers)
        if expected:
            assert response.status_code == expected
        else:
            assert response.status_code != 421


def test_transport_security_settings() -> None:
    default = transport_security(Settings())
    assert default.enable_dns_rebinding_protection and "127.0.0.1:*" in default.allowed_hosts
    proxied = transport_security(Settings(allowed_hosts="mcp.example.com, other.example"))
    assert {"mcp.example.com", "mcp.example.com:*", "other.example"} <= set(proxied.allowed_hosts)
    assert not transport_security(Settings(allowed_hosts="*")).enable_dns_rebinding_protection
