"""A POST leaves once (unit tier, no sockets): no replay after a 401, and honest sentences when it may have landed.

``tests/integration/test_post_once.py`` proves the same over the real aiohttp transport; here every transport
failure httpx can raise is mapped, for a POST and for a GET.
"""

from __future__ import annotations

import httpx
import pytest
from mcp import Client

from tab_mcp import create_server
from tab_mcp.client import TabClient, build_http_client
from tab_mcp.errors import UpstreamUnavailableError
from tab_mcp.settings import Settings
from tests.helpers.fake_upstream import FakeUpstream, json_response, raising

pytestmark = pytest.mark.anyio
BETS = "/v1/betting-service/bets"
UNKNOWN = "The outcome of POST /v1/betting-service/bets is unknown"


async def test_a_post_that_meets_a_401_is_not_replayed(upstream: FakeUpstream, settings: Settings) -> None:
    upstream.route(BETS, json_response(401, {"error": {"code": "UNAUTHORISED", "message": "stale token"}}))
    betting = settings.model_copy(update={"enable_betting": True})
    async with Client(create_server(betting, transport=upstream.transport)) as client:
        result = await client.call_tool("tab_post", {"path": BETS, "body": {"stake": 1}})

    text = result.content[0].text
    assert result.is_error and "not sent again" in text and "nothing was placed" in text, text
    assert [(r.method, r.url.path) for r in upstream.api_requests] == [("POST", BETS)]
    assert len(upstream.oauth_requests) == 1, "a POST's 401 triggers no refresh for a replay"


@pytest.mark.parametrize(
    ("failure", "fragments"),
    [
        (httpx.ReadTimeout("slow"), [UNKNOWN, "did not answer after the request was sent", "before any retry"]),
        (httpx.WriteTimeout("slow"), [UNKNOWN, "did not answer"]),
        (httpx.RemoteProtocolError("reset"), [UNKNOWN, "dropped the connection", "check the account"]),
        (httpx.ReadError("reset"), [UNKNOWN, "dropped the connection"]),
        (httpx.WriteError("broken pipe"), [UNKNOWN, "dropped the connection"]),
        (httpx.ConnectError("refused"), ["Could not connect", "nothing was sent"]),
        (httpx.ConnectTimeout("no route"), ["Could not connect", "nothing was sent"]),
        (httpx.PoolTimeout("pool full"), ["Could not connect", "nothing was sent"]),
    ],
    ids=lambda value: type(value).__name__ if isinstance(value, Exception) else "",
)
async def test_a_post_failure_says_whether_it_may_have_landed(
    upstream: FakeUpstream, settings: Settings, failure: Exception, fragments: list[str]
) -> None:
    upstream.route(BETS, raising(failure))
    async with build_http_client(settings, transport=upstream.transport) as http:
        with pytest.raises(UpstreamUnavailableError) as raised:
            await TabClient(http, settings).post(BETS, {"stake": 1}, what=f"POST {BETS}")

    for fragment in fragments:
        assert fragment in raised.value.message, raised.value.message
    assert raised.value.retryable is False
    assert "try again shortly" not in raised.value.message
    assert len([r for r in upstream.api_requests if r.method == "POST"]) == 1


async def test_a_get_timeout_keeps_its_retryable_sentence(upstream: FakeUpstream, settings: Settings) -> None:
    upstream.route("/v1/x", raising(httpx.ReadTimeout("slow")))
    async with build_http_client(settings, transport=upstream.transport) as http:
        with pytest.raises(UpstreamUnavailableError, match="did not answer the dates within 10 s") as raised:
            await TabClient(http, settings).get("/v1/x", what="the dates")
    assert raised.value.retryable is True
