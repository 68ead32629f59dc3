"""tab_mcp.errors: every upstream failure reaches the client as one bounded, secret-free sentence."""

from __future__ import annotations

import httpx
import pytest
from mcp import Client

from tab_mcp import create_server
from tab_mcp.errors import (
    AuthError,
    NotFoundError,
    RateLimitedError,
    UpstreamUnavailableError,
    describe_info_error,
    error_for_status,
)
from tab_mcp.redaction import MAX_MESSAGE_CHARS
from tests.helpers.fake_upstream import json_response, raising, raw_response

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


async def test_rate_limit_message_carries_retry_after(upstream, settings) -> None:
    upstream.route(
        JACKPOTS, json_response(429, {"error": {"code": "TOO_MANY", "message": "slow down"}}, **{"Retry-After": "7"})
    )
    result = await call(upstream, settings)
    assert "returned 429" in result.content[0].text and "Retry after 7 s" in result.content[0].text


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
