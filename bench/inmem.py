"""Scenario 4: in-process per-call overhead, tab-mcp vs control A, through the in-memory ``mcp.Client``.

Both servers get the same ``httpx.MockTransport`` upstream, answering from the cassettes with zero delay
(and a token for ``/oauth/token``), so what is left is the work each server does per call. The two run in
interleaved rounds and the per-call figure is the median over rounds.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
from mcp import Client
from mcp.server.mcpserver import MCPServer

from bench.controls import build_upstream_control
from bench.drive import BIG_ARGS, BIG_TOOL, MAIN_TOOL
from pytest_tabmcp.standin.cassettes import load_cassettes
from tab_mcp.server import create_server
from tab_mcp.settings import Settings

BASE_URL = "https://api.beta.tab.com.au"
TOKEN_BODY = b'{"access_token": "bench-inmem-token", "token_type": "Bearer", "expires_in": 10800}'


def cassette_transport(cassette_dir: Path) -> tuple[httpx.MockTransport, dict[str, int]]:
    """A zero-delay upstream answering from the cassettes, and its request counters (by path)."""
    index = load_cassettes(cassette_dir)
    counts: dict[str, int] = {}

    def handler(request: httpx.Request) -> httpx.Response:
        path = request.url.raw_path.decode("ascii").split("?", 1)[0]
        counts[path] = counts.get(path, 0) + 1
        if path == "/oauth/token":
            return httpx.Response(200, content=TOKEN_BODY, headers={"content-type": "application/json"})
        recorded = index.lookup(request.method, path, request.url.query.decode("ascii"))
        if recorded is None:
            return httpx.Response(404, json={"error": {"code": "RESOURCE_NOT_FOUND_ERROR", "message": path}})
        return httpx.Response(recorded.status, content=recorded.body, headers=dict(recorded.headers))

    return httpx.MockTransport(handler), counts


def tab_server(transport: httpx.AsyncBaseTransport) -> MCPServer:
    """tab-mcp with placeholder credentials (so the OAuth path runs) over ``transport``."""
    settings = Settings(
        client_id="PLACEHOLDER_CLIENT_ID",
        client_secret="PLACEHOLDER_CLIENT_SECRET",  # noqa: S106 - a placeholder
        base_url=BASE_URL,
        log_level="WARNING",
    )
    return create_server(settings, transport=transport)


async def _round(client: Client, tool: str, args: dict[str, Any], calls: int) -> float:
    """Mean CPU µs per call over ``calls`` sequential calls; raises if any call fails.

    CPU time of this process, not wall time: in memory everything runs on this thread, and CPU time does
    not count the time other tenants of a shared machine hold the cores.
    """
    started = time.process_time()
    for _ in range(calls):
        result = await client.call_tool(tool, args)
        if result.is_error:
            raise RuntimeError(f"in-memory {tool} failed: {result.content}")
    return (time.process_time() - started) * 1e6 / calls


async def compare(
    servers: dict[str, Callable[[], MCPServer]],
    *,
    tool: str = MAIN_TOOL,
    args: dict[str, Any] | None = None,
    calls: int,
    rounds: int,
    warmup: int = 50,
    mode: str = "auto",
) -> dict[str, dict[str, Any]]:
    """Per-call µs of each server, measured in interleaved rounds (ABBA order); median over rounds."""
    per_round: dict[str, list[float]] = {name: [] for name in servers}
    built = {name: factory() for name, factory in servers.items()}
    clients: dict[str, Client] = {}
    names = list(built)
    try:
        for name in names:
            clients[name] = Client(built[name], mode=mode)
            await clients[name].__aenter__()
            await _round(clients[name], tool, args or {}, warmup)
        for number in range(rounds):
            for name in names if number % 2 == 0 else reversed(names):
                per_round[name].append(await _round(clients[name], tool, args or {}, calls))
    finally:
        for name in reversed(list(clients)):
            await clients[name].__aexit__(None, None, None)
    return {name: {"per_call_us": statistics.median(v), "rounds_us": v} for name, v in per_round.items()}


async def in_memory(cassette_dir: Path, *, calls: int, rounds: int, extra: bool) -> dict[str, Any]:
    """Scenario 4: tab-mcp vs control A in memory; ``extra`` adds the legacy-framing and big-payload variants."""
    transport, counts = cassette_transport(cassette_dir)

    def factories() -> dict[str, Callable[[], MCPServer]]:
        return {
            "tab": lambda: tab_server(transport),
            "A": lambda: build_upstream_control(BASE_URL, transport=transport),
        }

    out: dict[str, Any] = {}
    main = await compare(factories(), calls=calls, rounds=rounds)
    out.update(main)
    out["ratio"] = main["tab"]["per_call_us"] / main["A"]["per_call_us"]
    if extra:
        variants: dict[str, dict[str, Any]] = {
            "legacy": {"mode": "legacy"},
            "big": {"tool": BIG_TOOL, "args": BIG_ARGS},
        }
        for label, kwargs in variants.items():
            res = await compare(factories(), calls=max(20, calls // 2), rounds=rounds, warmup=10, **kwargs)
            out[label] = {**res, "ratio": res["tab"]["per_call_us"] / res["A"]["per_call_us"]}
    out["upstream_oauth_requests"] = counts.get("/oauth/token", 0)
    return out
