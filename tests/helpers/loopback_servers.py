"""Real servers on loopback for the integration and security tiers: threads, subprocesses, MCP sessions.

Everything binds 127.0.0.1 on a port the kernel picks, so the tests run in parallel under xdist. Every
server started here is stopped by the context manager that started it (threads are asked to exit, then
joined with a bound; subprocesses get SIGTERM by PID, then SIGKILL after a bound). Threads are served by the
stand-in's runner (:mod:`pytest_tabmcp.standin.runner`), subprocesses by the process layer
(:mod:`tabmcp_ops.processes`); this module adds what only tests need.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import os
import socket
import subprocess
import tempfile
import time
from collections.abc import AsyncIterator, Callable, Iterator, Mapping
from pathlib import Path
from typing import Any

import httpx
import httpx2
from mcp import Client
from mcp.client.streamable_http import streamable_http_client

from pytest_tabmcp.standin.runner import STOP_TIMEOUT_S, ThreadServer, serve_in_thread
from tabmcp_ops import processes
from tabmcp_ops.processes import free_port, server_env
from tests.helpers.data_sets import FIXED

ROOT = Path(__file__).resolve().parents[2]
CASSETTES = FIXED  # hand-built values the integration tests address by name; cassettes/ may hold recordings
START_TIMEOUT_S = 15.0

__all__ = [
    "CASSETTES",
    "ROOT",
    "CliServer",
    "StandInProcess",
    "ThreadServer",
    "await_until",
    "cli_server",
    "free_port",
    "open_fds",
    "refused_port",
    "serve_in_thread",
    "server_env",
    "session",
    "shared_http_client",
    "standin_process",
    "text_of",
]


def open_fds() -> int:
    """Number of file descriptors this process has open (sockets included)."""
    return len(os.listdir("/proc/self/fd"))


@contextlib.contextmanager
def refused_port() -> Iterator[int]:
    """A loopback port that refuses connections: bound (so nobody else takes it) but never listening."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    try:
        sock.bind(("127.0.0.1", 0))
        yield int(sock.getsockname()[1])
    finally:
        sock.close()


async def await_until(predicate: Callable[[], bool], *, within: float = 3.0, interval: float = 0.02) -> bool:
    """Poll ``predicate`` (without blocking the event loop) until it is true or ``within`` s pass; return it."""
    deadline = time.monotonic() + within
    while not predicate():
        if time.monotonic() > deadline:
            return bool(predicate())
        await asyncio.sleep(interval)
    return True


@dataclasses.dataclass
class CliServer:
    """A ``tab-mcp serve --transport http`` subprocess started by the process layer; its output goes to ``log_path``."""

    handle: processes.Proc
    port: int

    @property
    def proc(self) -> subprocess.Popen[bytes]:
        """The server's process (signal it, wait for it, read its PID)."""
        return self.handle.popen

    @property
    def log_path(self) -> Path:
        """The file the server's stdout and stderr go to."""
        return self.handle.log

    @property
    def url(self) -> str:
        """The MCP endpoint."""
        return f"http://127.0.0.1:{self.port}/mcp"

    @property
    def base(self) -> str:
        """``http://127.0.0.1:PORT``."""
        return f"http://127.0.0.1:{self.port}"

    def rss_bytes(self) -> int:
        """Resident set size of the server process (``VmRSS`` from /proc)."""
        for line in Path(f"/proc/{self.proc.pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
        raise RuntimeError("VmRSS missing from /proc status")

    def log(self) -> str:
        """Everything the server wrote so far."""
        return self.log_path.read_text(encoding="utf-8", errors="replace")


@contextlib.contextmanager
def cli_server(
    env: Mapping[str, str], log_path: Path, *, extra_args: tuple[str, ...] = (), start_timeout: float = START_TIMEOUT_S
) -> Iterator[CliServer]:
    """Start ``tab-mcp serve --transport http`` on a free loopback port and wait for ``/healthz``; stop it on exit."""
    port = free_port()
    handle = processes.start_server(
        None,
        log_dir=log_path.parent,
        log_name=log_path.name,
        port=port,
        env=env,
        extra_args=extra_args,
        timeout=start_timeout,
    )
    try:
        yield CliServer(handle=handle, port=port)
    finally:
        processes.stop(handle, timeout=STOP_TIMEOUT_S)


def shared_http_client(max_connections: int = 100, *, headers: Mapping[str, str] | None = None) -> httpx2.AsyncClient:
    """One httpx2 client for many MCP sessions (a URL Client would build an SSL context per session).

    Idle connections are dropped after 2 s, well before the server's keep-alive timeout closes them from its
    side: a pool that outlives the server's keep-alive can reuse a connection as it closes and fail a POST.
    """
    limits = httpx2.Limits(
        max_connections=max_connections, max_keepalive_connections=max_connections, keepalive_expiry=2.0
    )
    return httpx2.AsyncClient(
        limits=limits, timeout=httpx2.Timeout(30, read=60), headers=dict(headers or {}), trust_env=False
    )


@contextlib.asynccontextmanager
async def session(url: str, http: httpx2.AsyncClient, *, mode: str = "legacy") -> AsyncIterator[Client]:
    """An MCP session over streamable HTTP; legacy mode runs the initialize handshake."""
    async with Client(streamable_http_client(url, http_client=http), mode=mode) as client:
        yield client


def text_of(result: Any) -> str:
    """The joined text content of a CallToolResult."""
    return " ".join(getattr(block, "text", "") for block in result.content)


@dataclasses.dataclass
class StandInProcess:
    """The stand-in as a ``tabmcp-standin`` subprocess, driven through its control API.

    Load tests use it instead of the in-thread stand-in: in a subprocess it neither competes with the load
    generator for this process's GIL nor runs under the coverage tracer (pytest_tabmcp is measured source).
    """

    handle: processes.Proc

    @property
    def url(self) -> str:
        """The stand-in's base URL (no trailing slash)."""
        return self.handle.url

    @property
    def stats(self) -> dict[str, Any]:
        """The stand-in's counters (``GET /__standin/stats``)."""
        stats: dict[str, Any] = httpx.get(f"{self.url}/__standin/stats", timeout=5).raise_for_status().json()
        return stats

    def set_faults(self, faults: str | None) -> None:
        """Replace the active faults (``POST /__standin/faults``); None clears them."""
        body = {"faults": [] if faults is None else [faults]}
        httpx.post(f"{self.url}/__standin/faults", json=body, timeout=5).raise_for_status()


@contextlib.contextmanager
def standin_process(cassette_dir: Path = CASSETTES) -> Iterator[StandInProcess]:
    """Start ``tabmcp-standin`` on a kernel-chosen loopback port; stop it by PID on exit."""
    with tempfile.TemporaryDirectory(prefix="tabmcp-standin-") as log_dir:
        handle = processes.start_standin(cassette_dir, log_dir=Path(log_dir), timeout=START_TIMEOUT_S)
        try:
            yield StandInProcess(handle=handle)
        finally:
            processes.stop(handle, timeout=STOP_TIMEOUT_S)
