"""A POST leaves once, over the real transport (aiohttp behind httpx) against a raw loopback upstream.

``tab_post`` can place a real bet, so: a 401 is reported as "not sent again" (never replayed with a fresh
token), a token near expiry is refreshed *before* the POST goes out, and a timeout or reset after the body was
sent says the outcome is unknown and to check the account before any retry. The upstream reads the bytes off
the socket, so the counts below are POSTs that really crossed the wire.
"""

from __future__ import annotations

import asyncio
import json
import socket
import struct
from collections.abc import Awaitable, Callable

import pytest
from mcp import Client

from tab_mcp import create_server
from tab_mcp.settings import Settings
from tests.helpers.raw_upstream import Answer, raw_server, response_bytes

pytestmark = pytest.mark.anyio
BETS = "/v1/betting-service/bets"
BET = {"path": BETS, "body": {"stake": 1}}


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"  # aiohttp runs on asyncio only, as the server does


def betting_settings(url: str, **overrides: object) -> Settings:
    values: dict[str, object] = {
        "base_url": url,
        "client_id": "cid",
        "client_secret": "secret",
        "enable_betting": True,
        "api_timeout": 0.5,
    }
    return Settings(**(values | overrides))  # type: ignore[arg-type]


class TokenIssuer:
    """Answers ``/oauth/token`` with numbered tokens living ``ttl`` seconds."""

    def __init__(self, ttl: int = 10800) -> None:
        self.ttl = ttl
        self.issued = 0

    def answer(self, writer: asyncio.StreamWriter) -> None:
        self.issued += 1
        body = {"access_token": f"tok-{self.issued}", "token_type": "Bearer", "expires_in": self.ttl}
        writer.write(response_bytes(200, json.dumps(body).encode()))

    def in_front_of(self, api: Callable[[asyncio.StreamWriter], Awaitable[bool]]) -> Answer:
        """A raw server's answer: tokens at ``/oauth/token``, ``api`` for every other target."""

        async def answer(target: str, writer: asyncio.StreamWriter) -> bool:
            if target == "/oauth/token":
                self.answer(writer)
                return True
            return await api(writer)

        return answer


def replying(status: int, body: bytes) -> Callable[[asyncio.StreamWriter], Awaitable[bool]]:
    """An API that answers every request with ``status`` and ``body``."""

    async def api(writer: asyncio.StreamWriter) -> bool:
        writer.write(response_bytes(status, body))
        return True

    return api


async def test_a_tab_post_that_meets_a_401_sends_exactly_one_post() -> None:
    expired = replying(401, b'{"error": {"code": "UNAUTHORISED", "message": "token expired"}}')
    async with (
        raw_server(TokenIssuer().in_front_of(expired)) as server,
        Client(create_server(betting_settings(server.url))) as client,
    ):
        first = await client.call_tool("tab_post", BET)
        assert server.requests("POST", BETS) == 1, "a POST that met a 401 must not be replayed"
        second = await client.call_tool("tab_post", BET)

    text = first.content[0].text
    assert first.is_error and "returned 401" in text and f"POST {BETS} was refused" in text, text
    assert "not sent again" in text, text
    # The stale token was dropped: the next call obtained a fresh one before sending, and also sent once.
    assert second.is_error and server.requests("POST", BETS) == 2
    assert [h.get("authorization") for t, h in zip(server.targets, server.headers, strict=True) if t == BETS] == [
        "Bearer tok-1",
        "Bearer tok-2",
    ]


async def test_a_token_near_expiry_is_refreshed_before_the_post_is_sent() -> None:
    issuer = TokenIssuer(ttl=1)  # refreshed at half its life, so stale after 0.5 s
    async with (
        raw_server(issuer.in_front_of(replying(200, b'{"placed": true}'))) as server,
        Client(create_server(betting_settings(server.url))) as client,
    ):
        warm = await client.call_tool("tab_get", {"path": "/v1/tab-info-service/racing/dates"})
        await asyncio.sleep(0.6)
        placed = await client.call_tool("tab_post", BET)

    assert not warm.is_error and not placed.is_error, placed.content[0].text
    assert server.targets == [
        "/oauth/token",
        "/v1/tab-info-service/racing/dates?jurisdiction=NSW",
        "/oauth/token",
        BETS,
    ]
    assert server.headers[-1]["authorization"] == "Bearer tok-2"
    assert server.bodies[-1] == b'{"stake":1}'


async def test_a_post_timeout_after_sending_says_the_outcome_is_unknown() -> None:
    async def never_answers(_writer: asyncio.StreamWriter) -> bool:
        await asyncio.sleep(3)  # the body has been read: TAB may be placing the bet, but never answers in time
        return False

    async with (
        raw_server(TokenIssuer().in_front_of(never_answers)) as server,
        Client(create_server(betting_settings(server.url))) as client,
    ):
        result = await client.call_tool("tab_post", BET)

    text = result.content[0].text
    assert result.is_error and server.requests("POST", BETS) == 1
    assert f"The outcome of POST {BETS} is unknown" in text and "did not answer after the request was sent" in text
    assert "check the account" in text and "before any retry" in text and "try again shortly" not in text


async def test_a_reset_after_the_post_was_sent_says_the_outcome_is_unknown() -> None:
    async def resets(writer: asyncio.StreamWriter) -> bool:
        sock = writer.get_extra_info("socket")
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))  # close with a TCP RST
        writer.transport.abort()
        return False

    async with (
        raw_server(TokenIssuer().in_front_of(resets)) as server,
        Client(create_server(betting_settings(server.url))) as client,
    ):
        result = await client.call_tool("tab_post", BET)

    text = result.content[0].text
    assert result.is_error and server.requests("POST", BETS) == 1
    assert f"The outcome of POST {BETS} is unknown" in text and "dropped the connection" in text, text
    assert "check the account" in text


async def test_a_post_that_could_not_connect_says_nothing_was_sent() -> None:
    async with raw_server() as server:
        url = server.url  # closed on exit: the port now refuses connections
    settings = betting_settings(url)
    async with Client(create_server(settings)) as client:
        result = await client.call_tool("tab_post", {**BET, "access_token": "caller-token"})

    text = result.content[0].text
    assert result.is_error and "Could not connect" in text and "nothing was sent" in text, text
