"""The one threaded-uvicorn runner: serve an ASGI app on 127.0.0.1 in a daemon thread, with bounded start and stop.

The stand-in (:func:`pytest_tabmcp.standin.serve.run_standin`), the integration tests and the plugin's own
tests all serve their apps through :func:`serve_in_thread`. The server runs on its own event loop, which the
handle keeps so a test can inspect it (:meth:`ThreadServer.task_count`).
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import threading
import time
from collections.abc import Iterator
from typing import Any

import uvicorn

__all__ = ["START_TIMEOUT_S", "STOP_TIMEOUT_S", "ThreadServer", "bound_port", "serve_in_thread"]

START_TIMEOUT_S = 15.0
STOP_TIMEOUT_S = 10.0
HOST = "127.0.0.1"


def bound_port(server: uvicorn.Server) -> int:
    """The port a started uvicorn server is listening on (the kernel picks it when asked for port 0)."""
    return int(server.servers[0].sockets[0].getsockname()[1])


@dataclasses.dataclass
class ThreadServer:
    """An ASGI app served by uvicorn on its own event loop in a daemon thread."""

    server: uvicorn.Server
    loop: asyncio.AbstractEventLoop
    port: int

    @property
    def base(self) -> str:
        """``http://127.0.0.1:PORT`` (no trailing slash)."""
        return f"http://{HOST}:{self.port}"

    @property
    def url(self) -> str:
        """The MCP endpoint, ``http://127.0.0.1:PORT/mcp``."""
        return f"{self.base}/mcp"

    def task_count(self) -> int:
        """Number of asyncio tasks alive on the server's loop (read on that loop, so it is exact)."""

        async def count() -> int:
            return len(asyncio.all_tasks()) - 1  # minus this counting task

        return asyncio.run_coroutine_threadsafe(count(), self.loop).result(timeout=5)


def _run_loop(server: uvicorn.Server, box: dict[str, asyncio.AbstractEventLoop]) -> None:
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


def _stop(server: uvicorn.Server, thread: threading.Thread) -> None:
    server.should_exit = True
    thread.join(STOP_TIMEOUT_S)
    if thread.is_alive():  # still draining connections: stop waiting for them
        server.force_exit = True
        thread.join(STOP_TIMEOUT_S)


@contextlib.contextmanager
def serve_in_thread(app: Any, *, name: str = "tabmcp-thread-server", **config: Any) -> Iterator[ThreadServer]:
    """Serve ``app`` on 127.0.0.1 (kernel-chosen port) in a thread; stop and join it on exit.

    ``config`` overrides the :class:`uvicorn.Config` defaults used here (lifespan on, warnings only, no access
    log, the caller's logging configuration left alone, 2 s graceful shutdown). Raises RuntimeError when the
    server has not started within ``START_TIMEOUT_S``.
    """
    settings: dict[str, Any] = {
        "log_level": "warning",
        "log_config": None,  # leave the caller's logging alone (caplog keeps working)
        "access_log": False,
        "lifespan": "on",
        "timeout_graceful_shutdown": 2,  # a hanging request must not block the stop
        **config,
        "host": HOST,
        "port": 0,
    }
    server = uvicorn.Server(uvicorn.Config(app, **settings))
    box: dict[str, asyncio.AbstractEventLoop] = {}
    thread = threading.Thread(target=_run_loop, args=(server, box), name=name, daemon=True)
    thread.start()
    deadline = time.monotonic() + START_TIMEOUT_S
    while not server.started:  # uvicorn offers a flag, not an event, for "bound and serving"
        if not thread.is_alive() or time.monotonic() > deadline:
            _stop(server, thread)
            raise RuntimeError(f"{name} did not start on {HOST}")
        time.sleep(0.005)
    try:
        yield ThreadServer(server=server, loop=box["loop"], port=bound_port(server))
    finally:
        _stop(server, thread)
