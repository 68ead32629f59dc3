"""Smithery-style session config in the /mcp query string: credentials and jurisdiction only, never the host."""

from __future__ import annotations

import anyio
import httpx
import httpx2
import pytest
from mcp import Client
from mcp.client.streamable_http import streamable_http_client
from mcp.types import CallToolResult

from tab_mcp import create_http_app, create_server
from tab_mcp.client import MAX_SESSION_TOKEN_CACHES, TabClient, build_http_client
from tab_mcp.session_config import SessionConfig
from tab_mcp.settings import Settings
from tests.helpers.asgi_sessions import asgi_app, result_text, session_opener
from tests.helpers.fake_upstream import json_response

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


OPERATOR = Settings(client_id="app-id", client_secret="app-secret", username="op-account", password="op-password")
OPERATOR_TOKEN = "operator-account-token"
DATA_CALLS = [
    ("sports_get_all_open", {}),
    ("racing_get_open_jackpots", {}),
    ("tab_get", {"path": "/v1/tab-info-service/racing/dates"}),
]


def tokens_by_identity(upstream) -> None:
    """The upstream's token endpoint: the operator's account grant gets OPERATOR_TOKEN, any other its own."""

    def answer(request: httpx.Request) -> httpx.Response:
        form = upstream.form(request)
        if form.get("username") == "op-account":
            return httpx.Response(200, json={"access_token": OPERATOR_TOKEN, "expires_in": 10800})
        upstream.issued += 1
        return httpx.Response(200, json={"access_token": f"tok-{upstream.issued}", "expires_in": 10800})

    upstream.route("/oauth/token", answer)


async def test_a_session_account_is_signed_in_with_the_app_client_never_the_operator_account(upstream) -> None:
    tokens_by_identity(upstream)
    async with asgi_app(OPERATOR, upstream.transport) as app, session_opener(app) as open_session:
        async with open_session("") as operator_session:  # the operator's own token is cached and in use
            assert not (await operator_session.call_tool("sports_get_all_open", {})).is_error
        before = len(upstream.requests)
        async with open_session("username=user-7&password=user-pw") as client:
            for tool, args in DATA_CALLS:
                assert not (await client.call_tool(tool, args)).is_error, tool
    during = upstream.requests[before:]
    grants = [upstream.form(r) for r in during if r.url.path == "/oauth/token"]
    assert grants == [
        {
            "grant_type": "password",
            "client_id": "app-id",
            "client_secret": "app-secret",
            "username": "user-7",
            "password": "user-pw",
        }
    ]
    sent_tokens = {r.headers.get("authorization") for r in during if r.url.path != "/oauth/token"}
    assert sent_tokens == {"Bearer tok-1"}, "every call of the session carries the session's own token"
    assert all(OPERATOR_TOKEN not in str(r.headers) for r in during)


async def test_a_session_with_its_own_account_never_carries_the_operator_token_even_after_a_401(upstream) -> None:
    tokens_by_identity(upstream)
    path = "/v1/tab-info-service/racing/jackpots"
    stale = json_response(401, {"error": {"code": "UNAUTHORISED", "message": "stale"}})
    upstream.route(path, stale, json_response(200, {"jackpots": []}))
    async with asgi_app(OPERATOR, upstream.transport) as app, session_opener(app) as open_session:
        async with open_session("clientId=own-id&clientSecret=own-secret&username=user-8&password=pw8") as client:
            result = await client.call_tool("racing_get_open_jackpots", {})
    assert not result.is_error, result_text(result)
    assert [r.headers["authorization"] for r in upstream.api_requests] == ["Bearer tok-1", "Bearer tok-2"]
    forms = [upstream.form(r) for r in upstream.oauth_requests]
    assert all(f["client_id"] == "own-id" and f["username"] == "user-8" for f in forms), forms


@pytest.mark.parametrize(
    ("query", "sentence"),
    [
        ("username=u1", "This session's config has username without password: add password to the session config"),
        ("password=p1", "has password without username: add username"),
        ("clientId=c1&username=u&password=p", "has clientId without clientSecret: add clientSecret"),
        ("clientSecret=s1", "has clientSecret without clientId: add clientId"),
    ],
)
async def test_half_a_credential_pair_in_a_session_is_a_clear_error(upstream, query: str, sentence: str) -> None:
    async with asgi_app(OPERATOR, upstream.transport) as app, session_opener(app) as open_session:
        async with open_session(query) as client:
            result = await client.call_tool("sports_get_all_open", {})
    assert result.is_error and sentence in result_text(result)
    assert upstream.requests == [], "nothing is sent, and never on the operator's behalf"


async def test_a_session_account_without_any_client_is_refused_clearly(upstream) -> None:
    async with asgi_app(Settings(), upstream.transport) as app, session_opener(app) as open_session:
        async with open_session("username=u&password=p") as client:
            result = await client.call_tool("sports_get_all_open", {})
    assert result.is_error
    assert "no clientId and clientSecret, and the server has no application client" in result_text(result)
    assert upstream.requests == []


async def test_eight_calls_from_a_session_with_a_wrong_password_send_at_most_two_grants(upstream) -> None:
    upstream.route("/oauth/token", json_response(400, {"error": "invalid_grant", "error_description": "bad password"}))
    async with asgi_app(OPERATOR, upstream.transport) as app, session_opener(app) as open_session:
        async with open_session("username=user-9&password=wrong") as client:
            sequential = [await client.call_tool("sports_get_all_open", {}) for _ in range(4)]
            concurrent: list[CallToolResult] = []

            async def call() -> None:
                concurrent.append(await client.call_tool("racing_get_open_jackpots", {}))

            async with anyio.create_task_group() as tg:
                for _ in range(4):
                    tg.start_soon(call)
    results = [*sequential, *concurrent]
    assert len(results) == 8 and all(r.is_error for r in results)
    assert all("invalid_grant: bad password" in result_text(r) for r in results)
    assert "this session's OAuth token request" in result_text(results[0])
    assert 1 <= len(upstream.oauth_requests) <= 2
    assert upstream.api_requests == []
    assert all(upstream.form(r)["username"] == "user-9" for r in upstream.oauth_requests)


async def test_a_session_client_alone_gets_an_app_token_never_the_operator_account(upstream) -> None:
    tokens_by_identity(upstream)
    async with asgi_app(OPERATOR, upstream.transport) as app, session_opener(app) as open_session:
        async with open_session("clientId=own-id&clientSecret=own-secret") as client:
            assert not (await client.call_tool("sports_get_all_open", {})).is_error
    assert [upstream.form(r) for r in upstream.oauth_requests] == [
        {"grant_type": "client_credentials", "client_id": "own-id", "client_secret": "own-secret"}
    ]
    assert [r.headers["authorization"] for r in upstream.api_requests] == ["Bearer tok-1"]
