"""Fault matrix, part 2: stale tokens, the OAuth endpoint down, bad bodies, and POSTs (never retried).

Same harness as part 1 (:mod:`tests.integration._faults`): a real HTTP server per test, the stand-in's
faults, request counts at the upstream, and the shared checks for time bound, other sessions and leaks.
"""

from __future__ import annotations

import pytest

from tab_mcp.client import MAX_RETRIES
from tests.helpers.asgi_upstreams import ChunkedHugeApp
from tests.helpers.loopback_servers import serve_in_thread
from tests.integration._faults import (
    API_TIMEOUT,
    JACKPOTS,
    MAX_BODY,
    SLACK,
    fault_settings,
    run_fault,
    tab_server,
)

pytestmark = pytest.mark.anyio
ATTEMPTS = MAX_RETRIES + 1
ON_JACKPOTS = f"path={JACKPOTS}"
OAUTH = "/oauth/token"
BETS = "/v1/betting-service/bets"


async def test_401_on_a_stale_token_refreshes_once_and_replays(standin) -> None:
    standin.standin.require_auth = True  # the stand-in accepts only the token it issued last
    with tab_server(fault_settings(standin.url)) as server:
        # Revoking makes the server's cached token stale: the faulted call and the concurrent healthy call
        # both get a 401 and must share a single refresh.
        out = await run_fault(server, standin, None, prepare=standin.standin.oauth.revoke, expect_error=False)
    assert not out.is_error, out.text
    assert out.structured and "jackpots" in out.structured
    assert out.stats["oauth_requests"] == 1, "one refresh for every caller that saw the 401"
    assert out.hits(JACKPOTS) == 2, "the 401, then exactly one replay"


async def test_401_that_persists_after_the_refresh_is_reported_not_looped(standin) -> None:
    with tab_server(fault_settings(standin.url)) as server:
        out = await run_fault(server, standin, f"status=401,{ON_JACKPOTS}")
    assert out.stats["oauth_requests"] == 1, "exactly one refresh"
    assert out.hits(JACKPOTS) == 2, "exactly one replay, and a 401 is not retried after it"
    assert "Tabcorp API returned 401 for the open jackpots" in out.text
    assert "check TAB_CLIENT_ID/TAB_CLIENT_SECRET" in out.text


async def test_oauth_endpoint_down_while_refreshing(standin) -> None:
    standin.standin.require_auth = True
    with tab_server(fault_settings(standin.url)) as server:
        out = await run_fault(
            server,
            standin,
            "oauth-down",
            prepare=standin.standin.oauth.revoke,
            concurrent_healthy=False,
            recovers=False,
        )
    # The failed grant is remembered for the operator's identity: the GET is not retried into more grants, and
    # a new session's call in the wait fails at once without a grant (run_fault checks it with recovers=False).
    assert out.hits(JACKPOTS) == 1, out.stats
    assert out.stats["oauth_requests"] == 1, out.stats
    assert "Tabcorp API returned 503 for the server's OAuth token request" in out.text
    assert "temporarily_unavailable" in out.text and "try again shortly" in out.text
    assert "the server will not send these credentials again for 30 s" in out.text


async def test_oauth_tool_post_is_never_retried_when_the_endpoint_is_down(standin) -> None:
    with tab_server(fault_settings(standin.url)) as server:
        own = {"client_id": "caller-client", "client_secret": "caller-secret"}
        out = await run_fault(server, standin, "oauth-down", tool="tab_oauth_client_credentials", args=own)
    assert out.stats["oauth_requests"] == 1, "the token POST is not retried"
    assert "Tabcorp API returned 503 for the client_credentials grant" in out.text


@pytest.mark.parametrize(
    ("fault", "fragment"),
    [
        ("malformed-json", "with malformed JSON (status 200)"),
        ("html", "with an HTML page instead of JSON"),
    ],
    ids=["malformed-json", "html-200"],
)
async def test_bad_bodies_are_reported_and_not_retried(standin, fault: str, fragment: str) -> None:
    with tab_server(fault_settings(standin.url)) as server:
        out = await run_fault(server, standin, f"{fault},{ON_JACKPOTS}")
    assert f"The Tabcorp API answered the open jackpots {fragment}" in out.text
    # design.md §2 retries GETs on 429/502/503/504, connect errors and timeouts only: a complete response
    # with a broken or HTML body is not transient, and retrying it only multiplies the load and the wait.
    assert out.hits(JACKPOTS) == 1, f"retried {out.hits(JACKPOTS) - 1} times: {out.stats}"


async def test_html_error_page_is_one_sentence_not_markup(standin) -> None:
    with tab_server(fault_settings(standin.url)) as server:
        out = await run_fault(server, standin, f"html=403,{ON_JACKPOTS}")
    assert out.hits(JACKPOTS) == 1
    assert "Tabcorp API returned 403 for the open jackpots: an HTML error page" in out.text
    assert "<" not in out.text


async def test_html_gateway_page_is_retried_like_its_status(standin) -> None:
    with tab_server(fault_settings(standin.url, retry_max_seconds=4.0)) as server:  # the count stops it, not the clock
        out = await run_fault(server, standin, f"html=502,{ON_JACKPOTS}", bound=API_TIMEOUT + 4.0)
    assert out.hits(JACKPOTS) == ATTEMPTS
    assert "Tabcorp API returned 502 for the open jackpots: an HTML error page" in out.text


async def test_huge_body_is_refused_from_its_declared_length(standin) -> None:
    with tab_server(fault_settings(standin.url)) as server:
        out = await run_fault(server, standin, f"huge=50000000,{ON_JACKPOTS}")
    assert out.hits(JACKPOTS) == 1
    assert f"more than {MAX_BODY} bytes" in out.text and "TAB_MAX_RESPONSE_BYTES" in out.text
    assert out.elapsed < 1.0 + SLACK, "50 MB must not be downloaded to be refused"


async def test_huge_chunked_body_is_cut_off_at_the_bound() -> None:
    # The stand-in always declares Content-Length; this upstream streams 50 MB without one, so the bound
    # must hold while reading.
    upstream = ChunkedHugeApp(50_000_000)
    with serve_in_thread(upstream, lifespan="off") as up, tab_server(fault_settings(up.base, client_id=None)) as server:
        out = await run_fault(server, None, None, concurrent_healthy=False, warm=False)
    assert len(upstream.seen) == 1
    assert f"more than {MAX_BODY} bytes" in out.text
    assert out.elapsed < 1.0 + SLACK


@pytest.mark.parametrize(
    ("fault", "fragment"), [("status=503", "returned 503"), ("hang", "is unknown: the Tabcorp API did not answer")]
)
async def test_post_is_never_retried(standin, fault: str, fragment: str) -> None:
    settings = fault_settings(standin.url, enable_betting=True)
    with tab_server(settings) as server:
        out = await run_fault(server, standin, f"{fault},path={BETS}", tool="tab_post", args={"path": BETS})
    assert out.hits(BETS) == 1, "a POST may place a bet: one attempt only"
    assert fragment in out.text
    assert out.elapsed < API_TIMEOUT + SLACK
