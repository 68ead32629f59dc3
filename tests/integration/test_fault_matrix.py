"""Fault matrix, part 1: upstream statuses, throttling, timeouts and broken connections, over real HTTP.

Every test runs ``create_http_app(settings)`` under uvicorn on loopback with ``TAB_BASE_URL`` at the
cassette stand-in, injects one fault with the stand-in's fault grammar, and lets :func:`run_fault` check the
common contract (clear ``isError`` in time, other sessions served, no leak). Each test then asserts the retry
policy of design.md §2 by counting requests at the stand-in: GETs retry on 429/502/503/504, timeouts and
connection failures, with backoff that honours ``Retry-After`` and stops at ``TAB_RETRY_MAX_SECONDS``
(here 2 s) or after ``MAX_RETRIES``; nothing else is retried.
"""

from __future__ import annotations

import logging
import re

import pytest

from tab_mcp.client import MAX_RETRIES
from tests.helpers.loopback_servers import refused_port
from tests.integration._faults import (
    API_TIMEOUT,
    JACKPOTS,
    SLACK,
    TIME_BOUND,
    fault_settings,
    run_fault,
    tab_server,
)

pytestmark = pytest.mark.anyio
ATTEMPTS = MAX_RETRIES + 1
ON_JACKPOTS = f"path={JACKPOTS}"
# Tests that count every attempt use a 4 s budget: the 3 backoffs total at most 0.25 + 0.5 + 1.0 s, so the
# retry count, not the clock, stops them, even when a loaded runner makes each request slow.
COUNT_BUDGET = 4.0


async def test_upstream_500_is_not_retried(standin) -> None:
    with tab_server(fault_settings(standin.url)) as server:
        out = await run_fault(server, standin, f"status=500,{ON_JACKPOTS}")
    assert out.hits(JACKPOTS) == 1, "a 500 is not transient by design and must not be retried"
    assert "Tabcorp API returned 500 for the open jackpots" in out.text
    assert "STANDIN_FAULT" in out.text and "try again shortly" in out.text


@pytest.mark.parametrize("status", [502, 503, 504])
async def test_upstream_gateway_errors_are_retried_up_to_the_cap(standin, status: int) -> None:
    with tab_server(fault_settings(standin.url, retry_max_seconds=COUNT_BUDGET)) as server:
        out = await run_fault(server, standin, f"status={status},{ON_JACKPOTS}", bound=API_TIMEOUT + COUNT_BUDGET)
    assert out.hits(JACKPOTS) == ATTEMPTS, out.stats  # 1 + MAX_RETRIES, never more
    assert f"Tabcorp API returned {status} for the open jackpots" in out.text
    assert "try again shortly" in out.text


async def test_429_retry_after_seconds_is_honoured_then_stops_at_the_budget(standin) -> None:
    with tab_server(fault_settings(standin.url)) as server:
        out = await run_fault(server, standin, f"status=429,retry-after=1,{ON_JACKPOTS}")
    # Attempt 1 at t=0, wait 1 s (Retry-After beats the ≤0.25 s jitter), attempt 2 at t≈1; another 1 s wait
    # would end past the 2 s budget, so it stops there.
    assert out.hits(JACKPOTS) == 2, out.stats
    assert out.elapsed >= 1.0, f"Retry-After: 1 not honoured ({out.elapsed:.2f} s)"
    assert "Tabcorp API returned 429" in out.text and "Retry after 1 s." in out.text


async def test_429_retry_after_http_date_is_honoured(standin) -> None:
    with tab_server(fault_settings(standin.url)) as server:
        out = await run_fault(server, standin, f"status=429,retry-after-date=1,{ON_JACKPOTS}")
    assert 2 <= out.hits(JACKPOTS) <= ATTEMPTS, out.stats
    assert re.search(r"Retry after \d+(\.\d+)? s\.", out.text), out.text


@pytest.mark.parametrize("header", ["retry-after=30", "retry-after-date=30"])
async def test_429_retry_after_beyond_the_budget_fails_at_once(standin, header: str) -> None:
    with tab_server(fault_settings(standin.url)) as server:
        out = await run_fault(server, standin, f"status=429,{header},{ON_JACKPOTS}")
    assert out.hits(JACKPOTS) == 1, "waiting 30 s would break the 2 s retry budget"
    assert out.elapsed < 1.0 + SLACK
    wait = re.search(r"Retry after (\d+(?:\.\d+)?) s\.", out.text)
    assert wait and 28 <= float(wait.group(1)) <= 30, out.text


async def test_read_timeout_on_a_hanging_upstream_is_retried_within_the_bound(standin) -> None:
    with tab_server(fault_settings(standin.url)) as server:
        out = await run_fault(server, standin, f"hang,{ON_JACKPOTS}")
    # Each attempt costs 0.5 s; the third one starts before the 2 s budget runs out, a fourth cannot.
    assert 2 <= out.hits(JACKPOTS) <= ATTEMPTS, out.stats
    assert out.elapsed >= 2 * API_TIMEOUT
    assert f"did not answer the open jackpots within {API_TIMEOUT:g} s" in out.text
    assert "TAB_API_TIMEOUT" in out.text


async def test_connection_reset_mid_body_is_retried_then_reported(standin) -> None:
    with tab_server(fault_settings(standin.url, retry_max_seconds=COUNT_BUDGET)) as server:
        out = await run_fault(server, standin, f"reset,{ON_JACKPOTS}", bound=API_TIMEOUT + COUNT_BUDGET)
    assert out.hits(JACKPOTS) == ATTEMPTS, out.stats
    assert "connection to the Tabcorp API was reset while handling the open jackpots" in out.text


async def test_connect_refused_is_retried_then_names_the_base_url(caplog) -> None:
    caplog.set_level(logging.INFO, logger="tab_mcp.client")
    with refused_port() as port:
        settings = fault_settings(f"http://127.0.0.1:{port}", client_id=None, retry_max_seconds=COUNT_BUDGET)
        with tab_server(settings) as server:
            out = await run_fault(
                server, None, None, warm=False, concurrent_healthy=False, bound=API_TIMEOUT + COUNT_BUDGET
            )
    retries = [r for r in caplog.records if r.name == "tab_mcp.client" and r.getMessage().startswith("retrying")]
    assert len(retries) == MAX_RETRIES, [r.getMessage() for r in retries]
    assert "Could not connect to the Tabcorp API for the open jackpots" in out.text
    assert "check TAB_BASE_URL" in out.text


async def test_slow_upstream_within_the_timeout_succeeds_without_retry(standin) -> None:
    with tab_server(fault_settings(standin.url, api_timeout=2.0)) as server:
        out = await run_fault(server, standin, f"delay-ms=400,{ON_JACKPOTS}", expect_error=False)
    assert not out.is_error, out.text
    assert out.structured and "jackpots" in out.structured
    assert out.hits(JACKPOTS) == 1
    assert 0.4 <= out.elapsed <= 2.0 + TIME_BOUND


async def test_slow_upstream_beyond_the_timeout_is_cut_at_the_bound(standin) -> None:
    # delay-ms is "slow but answers": every attempt is cut at api_timeout, and the whole call at the budget.
    with tab_server(fault_settings(standin.url)) as server:
        out = await run_fault(server, standin, f"delay-ms=1500,{ON_JACKPOTS}")
    assert 2 <= out.hits(JACKPOTS) <= ATTEMPTS
    assert "did not answer" in out.text
