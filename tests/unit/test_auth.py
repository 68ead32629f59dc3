"""Server-side OAuth: one token per lifetime, one shared refresh, one replay after a 401."""

from __future__ import annotations

import anyio
import httpx
import pytest
from mcp import Client

from tab_mcp import create_server
from tab_mcp.auth import TabAuth, Token, TokenManager, token_from_response
from tab_mcp.client import TabClient, build_http_client
from tab_mcp.errors import AuthError, BadResponseError, ConfigError
from tab_mcp.settings import Settings
from tests.helpers.fake_upstream import json_response

pytestmark = pytest.mark.anyio


class Clock:
    def __init__(self, now: float = 1_000_000.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


async def test_one_oauth_request_serves_many_calls(upstream, settings) -> None:
    async with Client(create_server(settings, transport=upstream.transport)) as client:
        for _ in range(25):
            result = await client.call_tool("sports_get_all_open", {})
            assert not result.is_error

    assert len(upstream.oauth_requests) == 1
    form = upstream.form(upstream.oauth_requests[0])
    assert form == {
        "grant_type": "client_credentials",
        "client_id": "unit-client",
        "client_secret": "unit-secret-value",
    }
    assert upstream.oauth_requests[0].headers["content-type"] == "application/x-www-form-urlencoded"


async def test_concurrent_callers_share_one_refresh(upstream, settings) -> None:
    async with Client(create_server(settings, transport=upstream.transport)) as client:
        results = []

        async def call() -> None:
            results.append(await client.call_tool("racing_get_open_jackpots", {}))

        async with anyio.create_task_group() as tg:
            for _ in range(20):
                tg.start_soon(call)

    assert len(results) == 20 and not any(r.is_error for r in results)
    assert len(upstream.oauth_requests) == 1


async def test_password_grant_when_account_credentials_are_set(upstream) -> None:
    settings = Settings(client_id="c", client_secret="s", username="12345", password="pw-secret")
    async with Client(create_server(settings, transport=upstream.transport)) as client:
        await client.call_tool("racing_get_open_jackpots", {})

    form = upstream.form(upstream.oauth_requests[0])
    assert form["grant_type"] == "password"
    assert form["username"] == "12345" and form["password"] == "pw-secret"


async def test_401_refreshes_once_and_replays(upstream, settings) -> None:
    path = "/v1/tab-info-service/racing/jackpots"
    upstream.route(
        path,
        json_response(401, {"error": {"code": "UNAUTHORISED", "message": "stale token"}}),
        json_response(200, {"jackpots": []}),
    )
    async with Client(create_server(settings, transport=upstream.transport)) as client:
        result = await client.call_tool("racing_get_open_jackpots", {})

    assert not result.is_error
    assert result.structured_content == {"jackpots": []}
    assert len(upstream.oauth_requests) == 2
    auths = [r.headers["authorization"] for r in upstream.api_requests]
    assert auths == ["Bearer tok-1", "Bearer tok-2"]


async def test_persistent_401_is_replayed_only_once(upstream, settings) -> None:
    upstream.route(
        "/v1/tab-info-service/racing/jackpots", json_response(401, {"error": {"code": "UNAUTHORISED", "message": "no"}})
    )
    async with Client(create_server(settings, transport=upstream.transport)) as client:
        result = await client.call_tool("racing_get_open_jackpots", {})

    assert result.is_error
    assert "Tabcorp API returned 401" in result.content[0].text
    assert "TAB_CLIENT_ID" in result.content[0].text
    assert len(upstream.api_requests) == 2


async def test_caller_token_is_not_refreshed_on_401(upstream, settings) -> None:
    upstream.route("/v1/tab-info-service/sports", json_response(401, {"error": {"code": "X", "message": "expired"}}))
    async with Client(create_server(settings, transport=upstream.transport)) as client:
        result = await client.call_tool("sports_get_all_open", {"access_token": "Bearer theirs"})

    assert result.is_error
    assert upstream.oauth_requests == []
    assert [r.headers["authorization"] for r in upstream.api_requests] == ["Bearer theirs"]


async def test_token_is_refreshed_before_expiry_and_uses_refresh_token(upstream) -> None:
    clock = Clock()
    grants: list[str] = []

    def oauth(request: httpx.Request) -> httpx.Response:
        form = upstream.form(request)
        grants.append(form["grant_type"])
        return httpx.Response(
            200, json={"access_token": f"t{len(grants)}", "expires_in": 1000, "refresh_token": f"r{len(grants)}"}
        )

    upstream.route("/oauth/token", oauth)
    settings = Settings(client_id="c", client_secret="s", username="u", password="p", token_refresh_buffer=300)
    async with build_http_client(settings, transport=upstream.transport) as http:
        client = TabClient(http, settings, clock=clock)
        first = await client.tokens.get_token()
        clock.now += 600  # 400 s left: still outside the 300 s buffer
        assert await client.tokens.get_token() is first
        clock.now += 150  # 250 s left: inside the buffer
        second = await client.tokens.get_token()

    assert grants == ["password", "refresh_token"]
    assert second is not None and second.access_token == "t2"
    assert upstream.form(upstream.oauth_requests[1])["refresh_token"] == "r1"


async def test_refused_refresh_token_falls_back_to_full_grant(upstream) -> None:
    clock = Clock()
    answers = iter(
        [
            httpx.Response(200, json={"access_token": "a", "expires_in": 100, "refresh_token": "old"}),
            httpx.Response(400, json={"error": "invalid_grant", "error_description": "refresh token expired"}),
            httpx.Response(200, json={"access_token": "b", "expires_in": 100}),
        ]
    )
    upstream.route("/oauth/token", lambda _r: next(answers))
    settings = Settings(client_id="c", client_secret="s", username="u", password="p")
    async with build_http_client(settings, transport=upstream.transport) as http:
        client = TabClient(http, settings, clock=clock)
        await client.tokens.get_token()
        clock.now += 99
        token = await client.tokens.get_token()

    assert token is not None and token.access_token == "b"
    assert [upstream.form(r)["grant_type"] for r in upstream.oauth_requests] == [
        "password",
        "refresh_token",
        "password",
    ]


async def test_short_lived_token_is_refreshed_at_half_life_not_every_call() -> None:
    calls = 0

    async def post(_form: dict[str, str]) -> dict[str, object]:
        nonlocal calls
        calls += 1
        return {"access_token": f"t{calls}", "expires_in": 120}

    clock = Clock()
    manager = TokenManager(Settings(client_id="c", client_secret="s", token_refresh_buffer=300), post, clock=clock)
    await manager.get_token()
    clock.now += 50
    await manager.get_token()
    assert calls == 1
    clock.now += 20  # 70 s into a 120 s token: past half life
    await manager.get_token()
    assert calls == 2


async def test_oauth_error_shape_becomes_auth_error(upstream, settings) -> None:
    upstream.route("/oauth/token", json_response(401, {"error": "invalid_client", "error_description": "bad secret"}))
    async with Client(create_server(settings, transport=upstream.transport)) as client:
        result = await client.call_tool("sports_get_all_open", {})

    assert result.is_error
    text = result.content[0].text
    assert "401" in text and "invalid_client: bad secret" in text and "client id" in text
    assert "unit-secret-value" not in text


def test_token_repr_hides_secrets() -> None:
    token = Token(access_token="very-secret-token", expires_at=1.0, refresh_token="refresh-secret")
    assert "very-secret-token" not in repr(token) and "refresh-secret" not in repr(token)


def test_token_response_without_access_token_is_refused() -> None:
    with pytest.raises(BadResponseError, match="no access_token"):
        token_from_response({"token_type": "Bearer"}, now=0)


def test_grant_form_without_credentials_names_the_variables() -> None:
    async def post(_form: dict[str, str]) -> dict[str, object]:
        raise AssertionError("must not be called")

    manager = TokenManager(Settings(), post)
    with pytest.raises(ConfigError, match="TAB_CLIENT_ID and TAB_CLIENT_SECRET"):
        manager.grant_form()


def test_sync_use_of_auth_is_refused() -> None:
    async def post(_form: dict[str, str]) -> dict[str, object]:
        return {}

    auth = TabAuth(TokenManager(Settings(), post))
    with (
        pytest.raises(RuntimeError, match="AsyncClient"),
        httpx.Client(auth=auth, transport=httpx.MockTransport(lambda r: httpx.Response(200))) as c,
    ):
        c.get("http://127.0.0.1/")


async def test_auth_error_type_for_oauth_400(upstream, settings) -> None:
    upstream.route("/oauth/token", json_response(400, {"error": "unsupported_grant_type"}))
    async with build_http_client(settings, transport=upstream.transport) as http:
        client = TabClient(http, settings)
        with pytest.raises(AuthError) as info:
            await client.oauth({"grant_type": "nope"})
    assert info.value.status == 400 and info.value.code == "unsupported_grant_type"
