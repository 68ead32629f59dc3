"""Serve the upstream stand-in for the bench with a longer HTTP keep-alive than uvicorn's 5 s default.

``tabmcp-upstream`` serves ``pytest_tabmcp.upstream.StandIn`` with uvicorn's default ``timeout_keep_alive``
of 5 s. The bench runs servers in interleaved rounds, so a server's pooled upstream connections sit idle
longer than that between its rounds; the stand-in would close them and the connection counter would charge
the reconnects to the pool. Real upstreams keep idle connections for a minute or more, so this wrapper
serves the same app (its public Python API, same options and listening line) with a 120 s keep-alive.
``python -m bench.standin --cassette-dir DIR --port 0 --delay-ms 50 [--keep-alive 120]``.
"""

from __future__ import annotations

import argparse
import asyncio
import time

import uvicorn

from pytest_tabmcp.upstream import StandIn

STARTUP_TIMEOUT_S = 10.0


async def _serve(server: uvicorn.Server) -> None:
    task = asyncio.ensure_future(server.serve())
    deadline = time.monotonic() + STARTUP_TIMEOUT_S
    # uvicorn offers a flag, not an event, for "bound and serving": poll it, bounded by the deadline.
    while not server.started and not task.done() and time.monotonic() < deadline:  # noqa: ASYNC110
        await asyncio.sleep(0.01)
    if server.started:
        port = server.servers[0].sockets[0].getsockname()[1]
        print(f"tabmcp-upstream listening on http://127.0.0.1:{port}", flush=True)
    await task


def main(argv: list[str] | None = None) -> int:
    """Serve the stand-in on 127.0.0.1 (loopback only)."""
    parser = argparse.ArgumentParser(prog="bench.standin")
    parser.add_argument("--cassette-dir", required=True)
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--delay-ms", type=int, default=0)
    parser.add_argument("--keep-alive", type=int, default=120, help="idle keep-alive seconds (uvicorn default 5)")
    args = parser.parse_args(argv)
    standin = StandIn(args.cassette_dir, delay_ms=args.delay_ms)
    config = uvicorn.Config(
        standin.app,
        host="127.0.0.1",
        port=args.port,
        log_level="warning",
        access_log=False,
        lifespan="off",
        timeout_keep_alive=args.keep_alive,
    )
    asyncio.run(_serve(uvicorn.Server(config)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
