"""The fault-matrix harness: one real tab-mcp HTTP server per test, a fault, and the checks every fault shares.

For each fault :func:`run_fault` checks, besides what the test itself asserts:

- the faulted call returns ``isError`` with ``"Error executing tool <name>: <sentence>"`` (a ``TabError``
  sentence, never the SDK's generic text) within ``api_timeout + retry_max_seconds`` (+ slack);
- another session succeeds *while the fault is active* (unless the fault takes the whole upstream down) and
  a new session succeeds after it;
- nothing leaked: the stand-in has no request in flight, the server loop is back to its task count, and this
  process holds no more file descriptors than before the fault (sockets included).
"""

from __future__ import annotations

import contextlib
import dataclasses
import time
from collections.abc import Callable, Iterator
from typing import Any

import anyio

from pytest_tabmcp.standin import StandInHandle
from tab_mcp.server import create_http_app
from tab_mcp.settings import Settings
from tests.helpers.loopback_servers import (
    ThreadServer,
    await_until,
    open_fds,
    serve_in_thread,
    session,
    shared_http_client,
    text_of,
)

API_TIMEOUT = 0.5
RETRY_MAX = 2.0
TIME_BOUND = API_TIMEOUT + RETRY_MAX
SLACK = 1.5  # scheduling headroom on a loaded 2-core CI runner
MAX_BODY = 65_536
INFO = "/v1/tab-info-service"
JACKPOTS = f"{INFO}/racing/jackpots"
DATES = f"{INFO}/racing/dates"
FAULTED_TOOL = "racing_get_open_jackpots"  # GET /racing/jackpots: the path faults are scoped to
HEALTHY_TOOL = "racing_get_all_meeting_dates"  # GET /racing/dates: never faulted


def fault_settings(base_url: str, **overrides: Any) -> Settings:
    """Settings of the fault matrix: short timeout and retry budget, small body bound, a client token."""
    values: dict[str, Any] = {
        "base_url": base_url,
        "client_id": "fault-client",
        "client_secret": "fault-secret",
        "api_timeout": API_TIMEOUT,
        "retry_max_seconds": RETRY_MAX,
        "max_response_bytes": MAX_BODY,
    }
    return Settings(**(values | overrides))


@contextlib.contextmanager
def tab_server(settings: Settings) -> Iterator[ThreadServer]:
    """``create_http_app(settings)`` served by uvicorn on loopback in a thread."""
    with serve_in_thread(create_http_app(settings)) as server:
        yield server


@dataclasses.dataclass
class Outcome:
    """What a faulted call produced."""

    text: str
    is_error: bool
    elapsed: float
    stats: dict[str, Any]
    structured: Any = None

    def hits(self, path: str) -> int:
        """Requests the stand-in received for ``path`` during the faulted call."""
        return int(self.stats["requests_by_path"].get(path, 0))


async def healthy_call(server: ThreadServer) -> None:
    """Open a new session and make a call the faults never touch; it must succeed."""
    async with shared_http_client() as http, session(server.url, http) as client:
        result = await client.call_tool(HEALTHY_TOOL, {})
    assert not result.is_error, text_of(result)


async def remembered_failure_call(server: ThreadServer, standin: StandInHandle | None) -> None:
    """A new session's call while the server's own failed grant is remembered: fails at once, sends nothing."""
    before = standin.stats["requests"] if standin is not None else 0
    started = time.monotonic()
    async with shared_http_client() as http, session(server.url, http) as client:
        result = await client.call_tool(FAULTED_TOOL, {})
    assert result.is_error and "will not send these credentials again" in text_of(result), text_of(result)
    assert time.monotonic() - started < SLACK, "a remembered failure must fail at once"
    if standin is not None:
        assert standin.stats["requests"] == before, "nothing may reach the upstream within the wait"


async def warm_up(server: ThreadServer, standin: StandInHandle | None) -> None:
    """Two overlapping healthy calls, so the token, two pooled upstream connections (the most the faulted
    phase needs: the faulted call plus one concurrent healthy call) and per-loop helpers exist before the
    baseline is taken; anything above that baseline afterwards is a leak, not pool warm-up."""
    if standin is not None:
        standin.standin.delay_ms = 50  # make the two calls overlap upstream
    try:
        async with anyio.create_task_group() as tg:
            tg.start_soon(healthy_call, server)
            tg.start_soon(healthy_call, server)
    finally:
        if standin is not None:
            standin.standin.delay_ms = 0


async def run_fault(
    server: ThreadServer,
    standin: StandInHandle | None,
    fault: str | None,
    *,
    tool: str = FAULTED_TOOL,
    args: dict[str, Any] | None = None,
    concurrent_healthy: bool = True,
    warm: bool = True,
    expect_error: bool = True,
    prepare: Callable[[], None] | None = None,
    bound: float = TIME_BOUND,
    recovers: bool = True,
) -> Outcome:
    """Warm up, set ``fault``, call ``tool`` in one session (and a healthy call in another), check for leaks.

    ``prepare`` runs after the baseline is taken and before the fault is set (e.g. to revoke the token);
    ``bound`` is the server's ``api_timeout + retry_max_seconds`` when a test changes them. ``recovers=False``
    is for a failed grant of the server's own: within its wait a new session's call must fail at once, with
    no request upstream, instead of succeeding.
    """
    if warm:
        await warm_up(server, standin)
    else:
        async with shared_http_client() as http, session(server.url, http) as client:
            await client.list_tools()
    await anyio.sleep(0.05)
    base_tasks, base_fds = server.task_count(), open_fds()
    if prepare is not None:
        prepare()
    if standin is not None:
        standin.reset_stats()
        standin.set_faults(fault)
    async with shared_http_client() as http:
        async with session(server.url, http) as faulted:
            started = time.monotonic()
            async with anyio.create_task_group() as tg:
                if concurrent_healthy:
                    tg.start_soon(healthy_call, server)
                with anyio.fail_after(bound + SLACK + 5):  # a hang here fails with a clear timeout
                    result = await faulted.call_tool(tool, args or {})
            elapsed = time.monotonic() - started
    stats = standin.stats if standin is not None else {}
    if standin is not None:
        standin.set_faults(None)
    text = text_of(result)
    if expect_error:
        assert result.is_error, f"{tool} should have failed under {fault!r}: {text[:200]}"
        assert text.startswith(f"Error executing tool {tool}: "), text
        assert len(text) <= 500 and "\n" not in text, f"not one bounded sentence: {text!r}"
        assert elapsed <= bound + SLACK, f"{elapsed:.2f} s is over api_timeout + retry_max_seconds"
    if not recovers:
        await remembered_failure_call(server, standin)
    elif warm:
        await healthy_call(server)
    else:  # no upstream works here: the server must still answer a new session
        async with shared_http_client() as http, session(server.url, http) as client:
            assert len((await client.list_tools()).tools) == 28
    await assert_no_leak(server, standin, base_tasks, base_fds)
    structured = getattr(result, "structured_content", None)
    return Outcome(text=text, is_error=bool(result.is_error), elapsed=elapsed, stats=stats, structured=structured)


async def assert_no_leak(server: ThreadServer, standin: StandInHandle | None, tasks: int, fds: int) -> None:
    """Nothing in flight upstream, the server loop back to ``tasks`` tasks, and at most ``fds`` open fds."""
    if standin is not None:
        assert await await_until(lambda: standin.stats["in_flight"] == 0), f"stand-in in flight: {standin.stats}"
    assert await await_until(lambda: server.task_count() <= tasks), f"tasks {server.task_count()} > {tasks}"
    assert await await_until(lambda: open_fds() <= fds), f"open fds {open_fds()} > {fds} before the fault"
