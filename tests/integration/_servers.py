"""Real servers on loopback for the integration and security tiers: threads, subprocesses, MCP sessions.

Everything binds 127.0.0.1 on a port the kernel picks, so the tests run in parallel under xdist. Every
server started here is stopped by the context manager that started it (threads are asked to exit, then
joined with a bound; subprocesses get SIGTERM by PID, then SIGKILL after a bound).
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import AsyncIterator, Callable, Iterator, Mapping
from pathlib import Path
from typing import Any

import httpx
import httpx2
import uvicorn
from mcp import Client
from mcp.client.streamable_http import streamable_http_client

from tests.helpers.data_sets import FIXED

ROOT = Path(__file__).resolve().parents[2]
CASSETTES = FIXED  # hand-built values the integration tests address by name; cassettes/ may hold recordings
TAB_MCP = Path(sys.executable).with_name("tab-mcp")
START_TIMEOUT_S = 15.0
STOP_TIMEOUT_S = 10.0


def open_fds() -> int:
    """Number of file descriptors this process has open (sockets included)."""
    return len(os.listdir("/proc/self/fd"))


def free_port() -> int:
    """A port that was free a moment ago (for the CLI, which needs a number; the kernel picks it)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


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
class ThreadServer:
    """An ASGI app served by uvicorn on its own event loop in a daemon thread."""

    server: uvicorn.Server
    loop: asyncio.AbstractEventLoop
    port: int

    @property
    def base(self) -> str:
        """``http://127.0.0.1:PORT`` (no trailing slash)."""
        return f"http://127.0.0.1:{self.port}"

    @property
    def url(self) -> str:
        """The MCP endpoint, ``http://127.0.0.1:PORT/mcp``."""
        return f"{self.base}/mcp"

    def task_count(self) -> int:
        """Number of asyncio tasks alive on the server's loop (read on that loop, so it is exact)."""

        async def count() -> int:
            return len(asyncio.all_tasks()) - 1  # minus this counting task

        return asyncio.run_coroutine_threadsafe(count(), self.loop).result(timeout=5)


def _run_loop(server: uvicorn.Server, box: dict[str, Any]) -> None:
    loop = asyncio.new_event_loop()
    box["loop"] = loop
    asyncio.set_event_loop(loop)
    try:
        loop.run_until_complete(server.serve())
    finally:
        # Cancel what outlives the server (e.g. sse-starlette's per-loop shutdown watcher), so the loop
        # closes without "Task was destroyed but it is pending".
        pending = asyncio.all_tasks(loop)
        for task in pending:
            task.cancel()
        if pending:
            loop.run_until_complete(asyncio.gather(*pending, return_exceptions=True))
        loop.close()


@contextlib.contextmanager
def serve_in_thread(app: Any, *, lifespan: str = "on") -> Iterator[ThreadServer]:
    """Serve ``app`` on 127.0.0.1 (kernel-chosen port) in a thread; stop and join it on exit."""
    config = uvicorn.Config(
        app,
        host="127.0.0.1",
        port=0,
        log_level="warning",
        log_config=None,  # leave the test process's logging alone (caplog keeps working)
        access_log=False,
        lifespan=lifespan,
        timeout_graceful_shutdown=2,
    )
    server = uvicorn.Server(config)
    box: dict[str, Any] = {}
    thread = threading.Thread(target=_run_loop, args=(server, box), name="tabmcp-test-server", daemon=True)
    thread.start()
    deadline = time.monotonic() + START_TIMEOUT_S
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            server.should_exit = True
            thread.join(STOP_TIMEOUT_S)
            raise RuntimeError("test server did not start on 127.0.0.1")
        time.sleep(0.005)
    port = int(server.servers[0].sockets[0].getsockname()[1])
    try:
        yield ThreadServer(server=server, loop=box["loop"], port=port)
    finally:
        server.should_exit = True
        thread.join(STOP_TIMEOUT_S)
        if thread.is_alive():
            server.force_exit = True
            thread.join(STOP_TIMEOUT_S)


def server_env(**tab: object) -> dict[str, str]:
    """This process's environment without any ``TAB_*``/``PORT`` variable, plus ``TAB_<KEY>`` for each item."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("TAB_") and k != "PORT"}
    env.update({f"TAB_{key.upper()}": str(value) for key, value in tab.items()})
    env["PYTHONUNBUFFERED"] = "1"
    return env


@dataclasses.dataclass
class CliServer:
    """A ``tab-mcp serve --transport http`` subprocess; stderr goes to ``log_path``."""

    proc: subprocess.Popen[bytes]
    port: int
    log_path: Path

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
        """Everything the server wrote to stderr so far."""
        return self.log_path.read_text(encoding="utf-8", errors="replace")

    def terminate(self, timeout: float = STOP_TIMEOUT_S) -> int:
        """SIGTERM the server by PID and wait for it; SIGKILL it if it outlives ``timeout``. Returns the code."""
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
        try:
            return self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(STOP_TIMEOUT_S)
            raise


@contextlib.contextmanager
def cli_server(
    env: Mapping[str, str], log_path: Path, *, extra_args: tuple[str, ...] = (), start_timeout: float = START_TIMEOUT_S
) -> Iterator[CliServer]:
    """Start ``tab-mcp serve --transport http`` on a free loopback port and wait for ``/healthz``."""
    port = free_port()
    args = [str(TAB_MCP), "serve", "--transport", "http", "--host", "127.0.0.1", "--port", str(port), *extra_args]
    with log_path.open("wb") as log:
        proc = subprocess.Popen(args, env=dict(env), stdout=subprocess.DEVNULL, stderr=log, cwd=ROOT)  # noqa: S603
    server = CliServer(proc=proc, port=port, log_path=log_path)
    try:
        deadline = time.monotonic() + start_timeout
        while True:
            if proc.poll() is not None:
                raise RuntimeError(f"tab-mcp serve exited with {proc.returncode}: {server.log()[-2000:]}")
            with contextlib.suppress(httpx.HTTPError):
                if httpx.get(f"{server.base}/healthz", timeout=1).status_code == 200:
                    break
            if time.monotonic() > deadline:
                raise RuntimeError(f"tab-mcp serve did not become healthy: {server.log()[-2000:]}")
            time.sleep(0.05)
        yield server
    finally:
        if proc.poll() is None:
            with contextlib.suppress(subprocess.TimeoutExpired):
                server.terminate()


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
    """The stand-in as a ``tabmcp-upstream`` subprocess, driven through its control API.

    Load tests use it instead of the in-thread stand-in: in a subprocess it neither competes with the load
    generator for this process's GIL nor runs under the coverage tracer (pytest_tabmcp is measured source).
    """

    proc: subprocess.Popen[bytes]
    url: str

    @property
    def stats(self) -> dict[str, Any]:
        """The stand-in's counters (``GET /__standin/stats``)."""
        return httpx.get(f"{self.url}/__standin/stats", timeout=5).raise_for_status().json()

    def set_faults(self, faults: str | None) -> None:
        """Replace the active faults (``POST /__standin/faults``); None clears them."""
        body = {"faults": [] if faults is None else [faults]}
        httpx.post(f"{self.url}/__standin/faults", json=body, timeout=5).raise_for_status()


@contextlib.contextmanager
def standin_process(cassette_dir: Path = CASSETTES) -> Iterator[StandInProcess]:
    """Start ``tabmcp-upstream`` on a kernel-chosen loopback port; SIGTERM it by PID on exit."""
    binary = Path(sys.executable).with_name("tabmcp-upstream")
    args = [str(binary), "--cassette-dir", str(cassette_dir), "--host", "127.0.0.1", "--port", "0"]
    proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, cwd=ROOT)  # noqa: S603
    try:
        assert proc.stdout is not None
        line = proc.stdout.readline().decode()  # "tabmcp-upstream listening on http://127.0.0.1:PORT"
        if "listening on" not in line:
            raise RuntimeError(f"tabmcp-upstream did not start: {line!r}")
        yield StandInProcess(proc=proc, url=line.split()[-1])
    finally:
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
            try:
                proc.wait(STOP_TIMEOUT_S)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(STOP_TIMEOUT_S)
        if proc.stdout is not None:
            proc.stdout.close()
