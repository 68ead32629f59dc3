"""The client side of the benchmark: one piece of code drives tab-mcp and the controls alike.

Every scenario uses ``mcp.Client`` over streamable HTTP with one shared ``httpx2.AsyncClient`` (so opening a
session costs no SSL context), and reads the stand-in's counters through its control API. Every loop is
bounded by a call count, and every wait by a timeout.
"""

from __future__ import annotations

import asyncio
import itertools
import time
from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import AsyncExitStack, asynccontextmanager
from dataclasses import dataclass, field
from typing import Any, cast

import httpx
import httpx2
from mcp import Client
from mcp.client.streamable_http import streamable_http_client

MAIN_TOOL = "racing_get_all_meeting_dates"
SLOW_TOOL = "racing_get_open_jackpots"
SLOW_PATH = "/v1/tab-info-service/racing/jackpots"
BIG_TOOL = "racing_get_race_form"
BIG_ARGS = {"meeting_date": "2026-09-23", "race_type": "R", "venue_mnemonic": "WFM", "race_number": 1}
CALL_TIMEOUT_S = 30.0
PHASE_TIMEOUT_S = 120.0


class CallFailed(RuntimeError):
    """A tool call answered is_error (the bench counts these; any error fails the run)."""


def http_client() -> httpx2.AsyncClient:
    """The driver's shared httpx2 client: a pool big enough never to be the bottleneck."""
    # Idle connections are dropped after 2 s, before uvicorn's 5 s keep-alive timeout closes them from the
    # server side: reusing a connection the server is closing at that moment fails with a ReadError.
    return httpx2.AsyncClient(
        limits=httpx2.Limits(max_connections=256, max_keepalive_connections=256, keepalive_expiry=2.0),
        timeout=httpx2.Timeout(CALL_TIMEOUT_S, read=120.0),
        trust_env=False,
    )


@asynccontextmanager
async def sessions(url: str, count: int, hc: httpx2.AsyncClient) -> AsyncIterator[list[Client]]:
    """Open ``count`` MCP sessions to ``url`` (all in this task, so they also close in it)."""
    async with AsyncExitStack() as stack:
        clients = []
        for _ in range(count):
            transport = streamable_http_client(url, http_client=hc)
            clients.append(await stack.enter_async_context(Client(transport, read_timeout_seconds=CALL_TIMEOUT_S)))
        yield clients


async def timed_call(client: Client, tool: str, args: dict[str, Any] | None = None) -> float:
    """Call ``tool`` once and return its latency in ms; raise CallFailed on an is_error result."""
    started = time.perf_counter()
    result = await client.call_tool(tool, args or {})
    elapsed = (time.perf_counter() - started) * 1e3
    if result.is_error:
        text = result.content[0].text if result.content else ""  # type: ignore[union-attr]
        raise CallFailed(f"{tool}: {text[:200]}")
    return elapsed


@dataclass
class Samples:
    """Latencies (ms) of one scenario on one server, plus the errors seen."""

    latencies: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    wall_s: float = 0.0
    calls: int = 0  # every call made, warm-up included (for per-1,000-call counters)
    round_per_s: list[float] = field(default_factory=list)
    cpu_s: float = 0.0  # server CPU seconds during the timed rounds (throughput only)
    max_idle_s: float = 0.0  # longest gap between this server's rounds
    round_conns: list[int] = field(default_factory=list)  # stand-in's distinct connections after each round

    async def call(self, client: Client, tool: str, args: dict[str, Any] | None = None, *, record: bool = True) -> None:
        """Make one call, recording its latency (or its error)."""
        self.calls += 1
        try:
            latency = await timed_call(client, tool, args)
        except CallFailed as exc:
            self.errors.append(str(exc))
            return
        except Exception as exc:  # a transport failure or timeout is a failed call too, counted and reported
            self.errors.append(f"{tool}: {type(exc).__name__}: {exc}")
            return
        if record:
            self.latencies.append(latency)


class Upstream:
    """The stand-in's control API: counters and faults."""

    def __init__(self, url: str) -> None:
        self.url = url
        self._http = httpx.AsyncClient(base_url=url, timeout=10.0, trust_env=False)

    async def aclose(self) -> None:
        """Close the control connection."""
        await self._http.aclose()

    async def reset(self) -> None:
        """Zero the stand-in's counters."""
        (await self._http.post("/__standin/reset-stats")).raise_for_status()

    async def stats(self) -> dict[str, Any]:
        """The stand-in's counters since the last reset."""
        response = await self._http.get("/__standin/stats")
        response.raise_for_status()
        return cast("dict[str, Any]", response.json())

    async def set_faults(self, faults: Sequence[str]) -> None:
        """Replace the active faults ([] clears them)."""
        (await self._http.post("/__standin/faults", json={"faults": list(faults)})).raise_for_status()


CpuProbe = Callable[[], float]


async def sequential(
    urls: dict[str, str],
    hc: httpx2.AsyncClient,
    *,
    calls: int,
    rounds: int,
    warmup: int,
    tool: str = MAIN_TOOL,
    args: dict[str, Any] | None = None,
) -> dict[str, Samples]:
    """Sequential latency, one session per server, interleaved in ``rounds`` so noise hits every server alike."""
    out = {name: Samples() for name in urls}
    per_round = max(1, calls // rounds)
    async with AsyncExitStack() as stack:
        clients = {name: (await stack.enter_async_context(sessions(url, 1, hc)))[0] for name, url in urls.items()}
        for name, client in clients.items():
            for _ in range(warmup):
                await out[name].call(client, tool, args, record=False)
        for number in range(rounds):
            for name in _abba(list(clients), number):
                started = time.perf_counter()
                async with asyncio.timeout(PHASE_TIMEOUT_S):
                    for _ in range(per_round):
                        await out[name].call(clients[name], tool, args)
                out[name].wall_s += time.perf_counter() - started
    return out


def _abba(names: list[str], number: int) -> list[str]:
    """Forward order on even rounds, reversed on odd ones, so no server always runs first."""
    return names if number % 2 == 0 else names[::-1]


async def throughput(
    urls: dict[str, str],
    hc: httpx2.AsyncClient,
    *,
    calls: int,
    rounds: int,
    warmup: int,
    probes: dict[str, CpuProbe] | None = None,
    upstreams: dict[str, Upstream] | None = None,
    n_sessions: int = 10,
    per_session: int = 5,
) -> dict[str, Samples]:
    """``calls`` per server with ``n_sessions`` x ``per_session`` in flight, interleaved in ``rounds``.

    Every server first gets ``warmup`` untimed calls at the same concurrency (on a fresh tab-mcp that is
    the cold burst that must share one OAuth request). ``probes`` give each server's CPU seconds so far;
    ``upstreams`` let each round record the stand-in's connection count (to show reconnects per round).
    """
    out = {name: Samples() for name in urls}
    per_round = max(1, calls // rounds)
    probes = probes or {}
    async with AsyncExitStack() as stack:
        clients = {name: await stack.enter_async_context(sessions(url, n_sessions, hc)) for name, url in urls.items()}
        last_end: dict[str, float] = {}
        for name, group in clients.items():
            await _fan_out(group, per_session, warmup, out[name], record=False)
            last_end[name] = time.perf_counter()
        for number in range(rounds):
            for name in _abba(list(clients), number):
                probe = probes.get(name)
                cpu_before = probe() if probe else 0.0
                started = time.perf_counter()
                # Idle time since this server's last round: pooled upstream connections idle longer than
                # the server's keep-alive expiry (30 s for tab-mcp) would be reopened, inflating its count.
                out[name].max_idle_s = max(out[name].max_idle_s, started - last_end[name])
                await _fan_out(clients[name], per_session, per_round, out[name], record=True)
                last_end[name] = time.perf_counter()
                wall = last_end[name] - started
                out[name].wall_s += wall
                out[name].round_per_s.append(per_round / wall)
                if probe:
                    out[name].cpu_s += probe() - cpu_before
                if upstreams and name in upstreams:  # cumulative distinct connections after each round
                    out[name].round_conns.append((await upstreams[name].stats())["tcp_connections_opened"])
    return out


async def _fan_out(clients: list[Client], per_session: int, total: int, samples: Samples, *, record: bool) -> None:
    """Make ``total`` calls with ``per_session`` workers on each session (``len(clients) * per_session`` in flight)."""
    counter = itertools.count()

    async def worker(client: Client) -> None:
        while next(counter) < total:  # bounded: the shared counter hands out exactly ``total`` calls
            await samples.call(client, MAIN_TOOL, record=record)

    async with asyncio.timeout(PHASE_TIMEOUT_S):
        await asyncio.gather(*(worker(c) for c in clients for _ in range(per_session)))


async def head_of_line(
    url: str,
    hc: httpx2.AsyncClient,
    upstream: Upstream,
    *,
    slow_ms: int,
    unloaded: int,
    slow_calls: int = 1,
    same_session: bool = False,
) -> dict[str, Samples]:
    """Fast calls in one session while slow calls (a stand-in delay fault on their path) run in another.

    Returns ``unloaded`` (fast calls alone), ``loaded`` (fast calls that finished while a slow call was in
    flight) and ``slow``. ``slow_calls`` slow calls run one after another; with ``same_session`` they share
    the fast calls' session instead.
    """
    out = {"unloaded": Samples(), "loaded": Samples(), "slow": Samples()}
    loaded = out["loaded"]
    async with sessions(url, 2, hc) as (fast, other):
        slow_client = fast if same_session else other
        for _ in range(3):
            await out["unloaded"].call(fast, MAIN_TOOL, record=False)
        for _ in range(unloaded):
            await out["unloaded"].call(fast, MAIN_TOOL)
        await upstream.set_faults([f"delay-ms={slow_ms},path={SLOW_PATH}"])
        try:

            async def slow_chain() -> None:
                for _ in range(slow_calls):
                    await out["slow"].call(slow_client, SLOW_TOOL)

            slow = asyncio.create_task(slow_chain())
            await asyncio.sleep(0.1)  # let the slow call reach the upstream before timing the fast ones
            # Bounded: at most as many fast calls as fit in the slow calls' time at 10 ms each.
            for _ in range(max(1, slow_calls * slow_ms // 10)):
                if slow.done():
                    break
                loaded.calls += 1
                try:
                    latency = await timed_call(fast, MAIN_TOOL)
                except CallFailed as exc:
                    loaded.errors.append(str(exc))
                    continue
                if not slow.done():  # count only calls that finished while a slow call was still running
                    loaded.latencies.append(latency)
            async with asyncio.timeout(slow_calls * (slow_ms / 1000 + CALL_TIMEOUT_S)):
                await slow
        finally:
            await upstream.set_faults([])
    return out
