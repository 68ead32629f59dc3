"""Scenario 6, the large list: a real-size meetings list through tab-mcp over HTTP, shaped answer vs TAB's body.

A stand-in serves one generated cassette (``tabmcp_ops.cassette_builders.real_day``: 100 meetings, about 1,000
races, written to a temporary directory, never committed) to a ``tab-mcp serve`` process. The driver calls
``racing_get_meetings`` alternately as a model does (the shaped default answer) and with ``detail="full"``
(TAB's body unchanged as text and structured content: what every call returned before answers were shaped,
the pass-through), in interleaved rounds (ABBA). Per call it reports the server's CPU (``/proc/<pid>/stat``)
and the bytes the server sent to the client (the HTTP response bodies, counted at the driver's transport).
Alone: ``python -m bench.large_list [--calls N --rounds N]``.
"""

from __future__ import annotations

import argparse
import asyncio
import shutil
import statistics
import sys
import tempfile
from collections.abc import AsyncIterator, Mapping
from pathlib import Path
from typing import Any

import httpx2
from mcp import Client
from mcp.client.streamable_http import streamable_http_client

from bench.procs import TAB_SERVER_ENV, Proc, Procs, clean_env, free_port, python_argv, wait_for_line, wait_http_ok
from tabmcp_ops.cassette_builders.build import render
from tabmcp_ops.cassette_builders.interactions import DATE, client_credentials, get, request_uri
from tabmcp_ops.cassette_builders.real_day import real_meetings
from tabmcp_ops.processes import LISTENING

__all__ = ["large_list", "large_list_table"]

TOOL = "racing_get_meetings"
ARGS = {"meeting_date": DATE}
VARIANTS = {"shaped": ARGS, "full": {**ARGS, "detail": "full"}}


class CountingTransport(httpx2.AsyncBaseTransport):
    """The driver's HTTP transport, counting every response body byte the server sends."""

    def __init__(self) -> None:
        self.inner = httpx2.AsyncHTTPTransport()
        self.received = 0

    async def handle_async_request(self, request: httpx2.Request) -> httpx2.Response:
        """Send ``request``; hand back its response with a stream that counts the bytes as they arrive."""
        response = await self.inner.handle_async_request(request)
        return httpx2.Response(
            response.status_code,
            headers=response.headers,
            stream=_Counted(response.stream, self),
            extensions=response.extensions,
        )

    async def aclose(self) -> None:
        """Close the wrapped transport."""
        await self.inner.aclose()


class _Counted(httpx2.AsyncByteStream):
    def __init__(self, stream: Any, counter: CountingTransport) -> None:
        self.stream = stream
        self.counter = counter

    async def __aiter__(self) -> AsyncIterator[bytes]:
        async for chunk in self.stream:
            self.counter.received += len(chunk)
            yield chunk

    async def aclose(self) -> None:
        await self.stream.aclose()


def write_cassette(directory: Path) -> int:
    """The real-size meetings cassette (and a token) in ``directory``; returns the body's size in bytes."""
    meetings = get(request_uri("racing", "dates", DATE, "meetings"), real_meetings())
    (directory / "large_list.yaml").write_text(render([client_credentials(), meetings]), encoding="utf-8")
    return len(meetings["response"]["body"]["string"].encode("utf-8"))


async def _rounds(url: str, server: Proc, calls: int, rounds: int) -> dict[str, dict[str, Any]]:
    counter = CountingTransport()
    per_round: dict[str, dict[str, list[float]]] = {name: {"cpu_ms": [], "bytes": []} for name in VARIANTS}
    async with httpx2.AsyncClient(transport=counter, timeout=httpx2.Timeout(60.0), trust_env=False) as hc:
        async with Client(streamable_http_client(url, http_client=hc), read_timeout_seconds=60) as client:
            for args in VARIANTS.values():  # warm-up: token, imports, the first parse
                await client.call_tool(TOOL, args)
            for number in range(rounds):
                names = list(VARIANTS) if number % 2 == 0 else list(reversed(VARIANTS))
                for name in names:
                    cpu, received = server.cpu() or 0.0, counter.received
                    for _ in range(calls):
                        result = await client.call_tool(TOOL, VARIANTS[name])
                        if result.is_error:
                            raise RuntimeError(f"{TOOL} ({name}) failed: {result.content}")
                    per_round[name]["cpu_ms"].append(((server.cpu() or 0.0) - cpu) * 1000 / calls)
                    per_round[name]["bytes"].append((counter.received - received) / calls)
    return {
        name: {"cpu_ms_per_call": statistics.median(v["cpu_ms"]), "bytes_per_call": statistics.median(v["bytes"]),
               "rounds_cpu_ms": v["cpu_ms"]}
        for name, v in per_round.items()
    }  # fmt: skip


def large_list(*, calls: int, rounds: int) -> dict[str, Any]:
    """Run scenario 6: start a stand-in and tab-mcp on 127.0.0.1, measure, stop both by PID."""
    work = Path(tempfile.mkdtemp(prefix="tabmcp-bench-large-"))
    procs = Procs(work)
    try:
        (work / "cassettes").mkdir()
        body_bytes = write_cassette(work / "cassettes")
        standin = procs.spawn("standin-large", python_argv(
            "-m", "pytest_tabmcp.standin", "--host", "127.0.0.1", "--cassette-dir", str(work / "cassettes"),
            "--port", "0", "--keep-alive", "120"), clean_env())  # fmt: skip
        standin.url = wait_for_line(standin, LISTENING.pattern).group(1)
        port = free_port()
        server = procs.spawn("tab-large", python_argv(
            "-m", "tab_mcp", "serve", "--transport", "http", "--host", "127.0.0.1", "--port", str(port)),
            clean_env(TAB_BASE_URL=standin.url, **TAB_SERVER_ENV))  # fmt: skip
        server.url = f"http://127.0.0.1:{port}"
        wait_http_ok(server, server.url + "/healthz")
        measured = asyncio.run(_rounds(server.url + "/mcp", server, calls, rounds))
    finally:
        procs.close()
        shutil.rmtree(work, ignore_errors=True)
    shaped, full = measured["shaped"], measured["full"]
    return {
        "tool": TOOL,
        "upstream_body_bytes": body_bytes,
        "calls": calls,
        "rounds": rounds,
        **measured,
        "cpu_ratio": shaped["cpu_ms_per_call"] / full["cpu_ms_per_call"],
        "bytes_ratio": shaped["bytes_per_call"] / full["bytes_per_call"],
    }


def large_list_table(results: Mapping[str, Any]) -> str:
    """Scenario 6 as Markdown: server CPU and bytes sent per call, shaped vs pass-through, and the ratios."""
    large = results.get("large_list")
    if not large:
        return ""
    rows = [
        f"Real-size meetings list (`{large['tool']}`, upstream body {large['upstream_body_bytes']:,} bytes), "
        f"{large['calls']} calls x {large['rounds']} interleaved rounds per variant, one session over HTTP.",
        "",
        "| answer | server CPU ms / call | bytes sent to the client / call |",
        "|---|---:|---:|",
    ]
    for name, label in (("full", 'TAB\'s body (`detail="full"`, the pass-through)'), ("shaped", "shaped default")):
        row = large[name]
        rows.append(f"| {label} | {row['cpu_ms_per_call']:.1f} | {row['bytes_per_call']:,.0f} |")
    rows.append(f"| **shaped ÷ pass-through** | **{large['cpu_ratio']:.2f}** | **{large['bytes_ratio']:.3f}** |")
    return "\n".join(rows)


def main(argv: list[str] | None = None) -> int:
    """Run scenario 6 alone and print its table."""
    parser = argparse.ArgumentParser(prog="bench.large_list", description=__doc__.splitlines()[0] if __doc__ else "")
    parser.add_argument("--calls", type=int, default=10, help="calls per variant per round")
    parser.add_argument("--rounds", type=int, default=4, help="interleaved rounds")
    options = parser.parse_args(argv)
    results = {"large_list": large_list(calls=options.calls, rounds=options.rounds)}
    print(large_list_table(results))
    return 0 if results["large_list"]["bytes_ratio"] < 1 else 1


if __name__ == "__main__":
    sys.exit(main())
