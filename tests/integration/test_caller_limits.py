"""Per-caller limits over real HTTP (uvicorn on loopback): one caller's excess never costs another caller.

Two callers are two static bearer tokens ("token 1", "token 2"): one floods sessions or calls, the other's
idle session survives and its calls are served.
"""

from __future__ import annotations

from collections.abc import Iterator

import httpx2
import pytest

from tab_mcp import create_http_app
from tab_mcp.access import refusal_counts
from tab_mcp.settings import Settings
from tests.helpers.loopback_servers import ThreadServer, serve_in_thread, session, shared_http_client, text_of

pytestmark = pytest.mark.anyio

FIRST, SECOND = "first-token-0123456789", "second-token-0123456789"
HEADERS = {"content-type": "application/json", "accept": "application/json, text/event-stream"}
INITIALIZE = {
    "jsonrpc": "2.0", "id": 1, "method": "initialize",
    "params": {"protocolVersion": "2025-06-18", "capabilities": {}, "clientInfo": {"name": "limits", "version": "1"}},
}  # fmt: skip
PING = {"jsonrpc": "2.0", "id": 2, "method": "ping"}
RATE = 3
SHARE = 2
FLOOD = 6


def bearer(token: str) -> dict[str, str]:
    """The Authorization header for ``token``."""
    return {"Authorization": f"Bearer {token}"}


async def open_session(http: httpx2.AsyncClient, url: str, token: str) -> str:
    """Initialize a raw session as ``token``'s caller and return its id (it then sits idle)."""
    response = await http.post(url, json=INITIALIZE, headers={**HEADERS, **bearer(token)})
    assert response.status_code == 200, response.text[:200]
    session_id = response.headers["mcp-session-id"]
    initialized = {"jsonrpc": "2.0", "method": "notifications/initialized"}
    headers = {**HEADERS, **bearer(token), "mcp-session-id": session_id, "mcp-protocol-version": "2025-06-18"}
    assert (await http.post(url, json=initialized, headers=headers)).status_code == 202
    return session_id


async def ping(http: httpx2.AsyncClient, url: str, token: str, session_id: str) -> int:
    """The HTTP status of a ping on ``session_id`` as ``token``'s caller (404 once the session is gone)."""
    headers = {**HEADERS, **bearer(token), "mcp-session-id": session_id, "mcp-protocol-version": "2025-06-18"}
    return (await http.post(url, json=PING, headers=headers)).status_code


@pytest.fixture
def limited_server(standin) -> Iterator[ThreadServer]:
    """The real app with two callers, RATE tool calls a minute and SHARE sessions each, and room for more."""
    settings = Settings(
        base_url=standin.url,
        auth_tokens=f"{FIRST},{SECOND}",
        rate_limit=RATE,
        max_sessions=10,
        max_sessions_per_caller=SHARE,
        log_level="WARNING",
    )
    with serve_in_thread(create_http_app(settings)) as server:
        yield server


async def test_one_caller_flooding_sessions_never_evicts_another_callers_idle_session(limited_server) -> None:
    url = limited_server.url
    async with shared_http_client() as http:
        kept = await open_session(http, url, SECOND)
        flood = [await open_session(http, url, FIRST) for _ in range(FLOOD)]
        kept_status = await ping(http, url, SECOND, kept)
        flood_statuses = [await ping(http, url, FIRST, session_id) for session_id in flood]

    assert kept_status == 200, "the other caller's idle session must survive the flood"
    assert flood_statuses == [404] * (FLOOD - SHARE) + [200] * SHARE, "the flooder's own oldest sessions go first"


async def test_one_caller_over_its_rate_is_told_when_to_retry_and_the_other_is_served(limited_server) -> None:
    before = refusal_counts().get("rate_limited", 0)
    async with shared_http_client(headers=bearer(FIRST)) as http, session(limited_server.url, http) as client:
        results = [await client.call_tool("racing_get_all_meeting_dates", {}) for _ in range(RATE + 1)]
    async with shared_http_client(headers=bearer(SECOND)) as http, session(limited_server.url, http) as client:
        other = await client.call_tool("racing_get_all_meeting_dates", {})

    assert [r.is_error for r in results] == [False] * RATE + [True], [text_of(r)[:80] for r in results]
    refusal = text_of(results[-1])
    assert refusal.startswith(f"Rate limit reached: this caller may make {RATE} tool calls a minute; retry in ")
    assert refusal.rstrip(".").split()[-1] in ("second", "seconds")
    assert not other.is_error, text_of(other)
    assert refusal_counts().get("rate_limited", 0) == before + 1
