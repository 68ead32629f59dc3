"""tab_mcp.client: GETs retry transient failures within their caps, POSTs never; oversized bodies are refused."""

from __future__ import annotations

import email.utils
import time

import pytest
from mcp import Client

from tab_mcp import create_server
from tab_mcp.client import MAX_RETRIES, TabClient, build_http_client, retry_after_seconds
from tab_mcp.errors import (
    BadResponseError,
    UpstreamError,
    UpstreamUnavailableError,
)
from tab_mcp.settings import Settings
from tests.helpers.fake_upstream import json_response, raw_response

pytestmark = pytest.mark.anyio


JACKPOTS = "/v1/tab-info-service/racing/jackpots"


@pytest.mark.parametrize("status", [429, 502, 503, 504])
async def test_get_retries_transient_status_up_to_the_cap(upstream, status) -> None:
    upstream.route(JACKPOTS, json_response(status, {"error": {"code": "BUSY", "message": "later"}}))
    settings = Settings(client_id="c", client_secret="s", retry_max_seconds=30)
    sleeps: list[float] = []

    async def fake_sleep(seconds: float) -> None:
        sleeps.append(seconds)

    async with build_http_client(settings, transport=upstream.transport) as http:
        client = TabClient(http, settings, sleep=fake_sleep)
        with pytest.raises(UpstreamError) as info:
            await client.get(JACKPOTS, {"jurisdiction": "NSW"}, what="the open jackpots")

    assert info.value.status == status
    assert len(upstream.api_requests) == MAX_RETRIES + 1
    assert len(sleeps) == MAX_RETRIES
    assert all(0 < s <= 4.0 for s in sleeps)


async def test_500_is_not_retried(upstream) -> None:
    upstream.route(JACKPOTS, json_response(500, {}))
    settings = Settings(retry_max_seconds=30)
    async with build_http_client(settings, transport=upstream.transport) as http:
        with pytest.raises(UpstreamUnavailableError):
            await TabClient(http, settings).get(JACKPOTS, {}, what="x")
    assert len(upstream.api_requests) == 1


async def test_retry_after_is_honoured_and_then_succeeds(upstream) -> None:
    upstream.route(JACKPOTS, json_response(429, {}, **{"Retry-After": "2"}), json_response(200, {"jackpots": [1]}))
    settings = Settings(retry_max_seconds=30)
    sleeps: list[float] = []

    async def fake_sleep(seconds: float) -> None:
        sleeps.append(seconds)

    async with build_http_client(settings, transport=upstream.transport) as http:
        data = await TabClient(http, settings, sleep=fake_sleep).get(JACKPOTS, {}, what="x")
    assert data == {"jackpots": [1]}
    assert sleeps == [2.0]


async def test_retry_stops_when_the_total_cap_would_be_exceeded(upstream) -> None:
    upstream.route(JACKPOTS, json_response(503, {}, **{"Retry-After": "120"}))
    settings = Settings(retry_max_seconds=5)
    async with build_http_client(settings, transport=upstream.transport) as http:
        with pytest.raises(UpstreamUnavailableError):
            await TabClient(http, settings).get(JACKPOTS, {}, what="x")
    assert len(upstream.api_requests) == 1


async def test_post_is_never_retried(upstream) -> None:
    upstream.route("/v1/betting/bets", json_response(503, {}))
    settings = Settings(enable_betting=True, retry_max_seconds=30)
    async with Client(create_server(settings, transport=upstream.transport)) as client:
        result = await client.call_tool("tab_post", {"path": "/v1/betting/bets", "body": {"stake": 1}})
    assert result.is_error and "returned 503" in result.content[0].text
    posts = [r for r in upstream.api_requests if r.method == "POST"]
    assert len(posts) == 1
    assert posts[0].content == b'{"stake":1}'


async def test_oversized_body_is_refused_without_buffering(upstream) -> None:
    upstream.route(JACKPOTS, raw_response(200, b"[" + b"1," * 5000 + b"1]"))
    settings = Settings(max_response_bytes=2048)
    async with Client(create_server(settings, transport=upstream.transport)) as client:
        result = await client.call_tool("racing_get_open_jackpots", {})
    assert result.is_error and "TAB_MAX_RESPONSE_BYTES" in result.content[0].text


async def test_declared_oversized_body_is_refused_from_its_header(upstream) -> None:
    upstream.route(JACKPOTS, raw_response(200, b"{}", **{"content-length": "99999999"}))
    settings = Settings(max_response_bytes=2048)
    async with build_http_client(settings, transport=upstream.transport) as http:
        with pytest.raises(BadResponseError, match="99999999"):
            await TabClient(http, settings).get(JACKPOTS, {}, what="x")


def test_retry_after_parses_seconds_and_http_dates() -> None:
    now = time.time()
    assert retry_after_seconds("3") == 3.0
    assert retry_after_seconds(None) is None
    assert retry_after_seconds("soon") is None
    date = email.utils.formatdate(now + 30, usegmt=True)
    waited = retry_after_seconds(date, now=now)
    assert waited is not None and 25 <= waited <= 31
    assert retry_after_seconds(email.utils.formatdate(now - 30, usegmt=True), now=now) == 0.0


async def test_a_cookie_set_for_one_call_never_rides_on_another(upstream) -> None:
    # One pooled client serves every caller, so a cookie kept from one answer would go out with everyone's requests.
    cookie = {"Set-Cookie": "sid=first-caller; Path=/; Domain=api.beta.tab.com.au"}
    upstream.route(JACKPOTS, json_response(200, {"jackpots": []}, **cookie), json_response(200, {"jackpots": []}))
    settings = Settings(client_id="c", client_secret="s")
    async with Client(create_server(settings, transport=upstream.transport)) as client:
        for _ in range(2):
            result = await client.call_tool("racing_get_open_jackpots", {})
            assert not result.is_error, result.content
    calls = [r for r in upstream.api_requests if r.url.path == JACKPOTS]
    assert len(calls) == 2
    assert "cookie" not in calls[1].headers, calls[1].headers
