"""Every upstream failure reaches the client as one bounded, secret-free sentence; GETs retry, POSTs never."""

from __future__ import annotations

import email.utils
import time

import httpx
import pytest
from mcp import Client

from tab_mcp import create_server
from tab_mcp.client import MAX_RETRIES, TabClient, build_http_client, retry_after_seconds
from tab_mcp.errors import (
    MAX_MESSAGE_CHARS,
    AuthError,
    BadResponseError,
    NotFoundError,
    RateLimitedError,
    UpstreamError,
    UpstreamUnavailableError,
    clean_text,
    describe_info_error,
    error_for_status,
)
from tab_mcp.settings import Settings
from tests.unit.conftest import json_response, raising, raw_response

pytestmark = pytest.mark.anyio
JACKPOTS = "/v1/tab-info-service/racing/jackpots"


async def call(upstream, settings, tool="racing_get_open_jackpots", args=None):
    async with Client(create_server(settings, transport=upstream.transport)) as client:
        return await client.call_tool(tool, args or {})


ERROR_CASES = [
    (
        json_response(
            400,
            {
                "error": {
                    "code": "INVALID_SYNTAX_ERROR",
                    "message": "Invalid query string",
                    "details": [
                        {"path": "query.jurisdiction", "message": "should be NSW, VIC, ACT, QLD, SA, NT or TAS"}
                    ],
                }
            },
        ),
        ["returned 400", "INVALID_SYNTAX_ERROR", "query.jurisdiction should be NSW", "check the arguments"],
    ),
    (json_response(403, {"error": {"code": "FORBIDDEN", "message": "Access denied"}}), ["returned 403", "FORBIDDEN"]),
    (
        json_response(404, {"error": {"code": "RESOURCE_NOT_FOUND_ERROR", "message": "Race not found"}}),
        ["returned 404", "RESOURCE_NOT_FOUND_ERROR: Race not found", "list meetings or races again"],
    ),
    (json_response(500, {"error": {"code": "INTERNAL", "message": "boom"}}), ["returned 500", "try again shortly"]),
    (raw_response(200, b"{not json"), ["malformed JSON"]),
    (raw_response(200, b"<html><body>Access Denied</body></html>", "text/html"), ["HTML page instead of JSON"]),
    (raw_response(502, b"<html>Bad gateway</html>", "text/html"), ["returned 502", "HTML error page"]),
    (raw_response(200, b""), ["empty body"]),
    (raw_response(418, b"short and stout", "text/plain"), ["returned 418", "short and stout"]),
    (raw_response(302, b"", location="https://evil.example/"), ["redirect (302)", "TAB_BASE_URL"]),
    (raising(httpx.ConnectError("refused")), ["Could not connect", "TAB_BASE_URL"]),
    (raising(httpx.ReadTimeout("slow")), ["did not answer", "TAB_API_TIMEOUT"]),
    (raising(httpx.RemoteProtocolError("reset")), ["connection to the Tabcorp API was reset"]),
    (raising(httpx.UnsupportedProtocol("weird")), ["failed (UnsupportedProtocol)"]),
]


@pytest.mark.parametrize(("responder", "fragments"), ERROR_CASES, ids=[f[0] for _, f in ERROR_CASES])
async def test_upstream_failure_is_one_clear_sentence(upstream, settings, responder, fragments) -> None:
    upstream.route(JACKPOTS, responder)
    result = await call(upstream, settings)

    assert result.is_error
    text = result.content[0].text
    assert text.startswith("Error executing tool racing_get_open_jackpots: ")
    for fragment in fragments:
        assert fragment in text
    assert "Traceback" not in text and "\n" not in text
    assert "unit-secret-value" not in text and "tok-1" not in text
    assert len(text) < MAX_MESSAGE_CHARS + 80


async def test_server_keeps_serving_after_errors(upstream, settings) -> None:
    upstream.route(JACKPOTS, raising(httpx.ConnectError("refused")))
    async with Client(create_server(settings, transport=upstream.transport)) as client:
        bad = await client.call_tool("racing_get_open_jackpots", {})
        good = await client.call_tool("sports_get_all_open", {})
    assert bad.is_error and not good.is_error


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


async def test_rate_limit_message_carries_retry_after(upstream, settings) -> None:
    upstream.route(
        JACKPOTS, json_response(429, {"error": {"code": "TOO_MANY", "message": "slow down"}}, **{"Retry-After": "7"})
    )
    result = await call(upstream, settings)
    assert "returned 429" in result.content[0].text and "Retry after 7 s" in result.content[0].text


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
    assert 25 <= retry_after_seconds(date, now=now) <= 31
    assert retry_after_seconds(email.utils.formatdate(now - 30, usegmt=True), now=now) == 0.0


def test_error_classes_by_status() -> None:
    assert isinstance(error_for_status(401, None, what="x"), AuthError)
    assert isinstance(error_for_status(404, None, what="x"), NotFoundError)
    assert isinstance(error_for_status(429, None, what="x", retry_after=1), RateLimitedError)
    e503 = error_for_status(503, None, what="x")
    assert isinstance(e503, UpstreamUnavailableError) and e503.retryable
    assert not error_for_status(500, None, what="x").retryable


def test_describe_info_error_shapes() -> None:
    assert describe_info_error({"error": "invalid_grant", "error_description": "bad"}) == ("invalid_grant", "bad")
    assert describe_info_error({"error": {"code": "C", "message": "M"}}) == ("C", "M")
    assert describe_info_error(["not", "a", "dict"]) == (None, None)
    assert describe_info_error({"message": "other"}) == (None, None)


def test_clean_text_strips_tokens_controls_and_bounds_length() -> None:
    dirty = "line1\nline2\x00 Bearer abcdefghijklmnop eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.sig " + "x" * 1000
    cleaned = clean_text(dirty)
    assert "\n" not in cleaned and "\x00" not in cleaned
    assert "abcdefghijklmnop" not in cleaned and "eyJhbGci" not in cleaned
    assert len(cleaned) <= MAX_MESSAGE_CHARS
