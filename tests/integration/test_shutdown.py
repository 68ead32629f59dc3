"""Graceful shutdown of ``tab-mcp serve --transport http``, and the HTTP keep-alive it offers clients.

SIGTERM (what Docker, Kubernetes and Smithery send) must let a call that is already in flight finish and
reach its client, then the process must exit within a bound. Both protocol eras are tested: 2025-11-25
(``legacy``: what the JS clients, the inspector and Claude Desktop speak; tool results travel on an SSE
stream) and 2026-07-28 (``auto``).

uvicorn re-raises the captured SIGTERM after its graceful shutdown, so the exit status is -SIGTERM
(shell 143), not 0; the log lines prove the shutdown was the graceful path rather than a kill.
"""

from __future__ import annotations

import logging
import os
import signal
import time

import anyio
import pytest

from pytest_tabmcp.standin import StandInHandle
from tests.helpers.loopback_servers import CliServer, cli_server, server_env, session, shared_http_client, text_of

pytestmark = [pytest.mark.anyio, pytest.mark.slow]
SLOW_PATH = "/v1/tab-info-service/racing/jackpots"
SLOW_MS = 1500
EXIT_BOUND_S = SLOW_MS / 1000 + 6  # the in-flight call, then uvicorn's drain and lifespan shutdown


async def _call_through_sigterm(server: CliServer, standin: StandInHandle, mode: str, outcome: dict) -> None:
    """Start a slow call, SIGTERM the server once the call waits on the upstream, record what the call got."""
    async with shared_http_client() as http, session(server.url, http, mode=mode) as client:
        await client.list_tools()  # cached, so the client needs nothing from the server after the call
        standin.set_faults(f"delay-ms={SLOW_MS},path={SLOW_PATH}")

        async def terminate_when_upstream_is_busy() -> None:
            while standin.stats["in_flight"] == 0:  # noqa: ASYNC110 - a counter the stand-in thread updates
                await anyio.sleep(0.005)
            outcome["signalled_at"] = time.monotonic()
            server.proc.send_signal(signal.SIGTERM)

        async def call() -> None:
            try:
                result = await client.call_tool("racing_get_open_jackpots", {})
                outcome["result"] = (result.is_error, text_of(result)[:200], result.structured_content)
            except Exception as exc:  # the failure under test: the result stream is cut by the shutdown
                outcome["result"] = ("exception", repr(exc)[:300], None)

        with anyio.fail_after(EXIT_BOUND_S + 5):
            async with anyio.create_task_group() as tg:
                tg.start_soon(terminate_when_upstream_is_busy)
                tg.start_soon(call)


@pytest.mark.parametrize("mode", ["legacy", "auto"])
async def test_sigterm_lets_the_in_flight_call_finish(standin, tmp_path, mode: str) -> None:
    env = server_env(base_url=standin.url, client_id="shutdown-client", client_secret="shutdown-secret")
    with cli_server(env, tmp_path / "server.log") as server:
        outcome: dict[str, object] = {}
        try:
            await _call_through_sigterm(server, standin, mode, outcome)
        except Exception as exc:  # e.g. the ExceptionGroup of a session whose stream was cut
            outcome.setdefault("result", ("exception", repr(exc)[:300], None))
        code = await anyio.to_thread.run_sync(server.proc.wait, EXIT_BOUND_S)
        exited_after = time.monotonic() - float(outcome["signalled_at"])  # type: ignore[arg-type]
        log = server.log()
    is_error, text, structured = outcome["result"]  # type: ignore[misc]
    assert is_error is False, f"the in-flight call did not survive SIGTERM ({mode}): {text}"
    assert isinstance(structured, dict) and "jackpots" in structured
    assert code in (0, -signal.SIGTERM), f"exit status {code}"
    assert "Application shutdown complete" in log and "Finished server process" in log, log[-1500:]
    assert exited_after <= EXIT_BOUND_S


def test_http_keep_alive_outlasts_client_and_proxy_pools(monkeypatch) -> None:
    """uvicorn's default keep-alive (5 s) equals httpx's pool expiry and is below every proxy's idle timeout.

    A client or proxy that reuses a connection the server is closing at that moment gets a reset on a POST,
    which it cannot retry: seen in this suite as ``httpx2.ReadError`` on a session's first request under
    load. The server should keep idle connections longer than its clients do (proxies idle out after 60 s).
    """
    import uvicorn

    from tab_mcp.cli import main

    seen: dict[str, object] = {}
    monkeypatch.setattr(uvicorn, "run", lambda app, **kw: seen.update(kw))
    for key in [k for k in os.environ if k.startswith("TAB_")]:
        monkeypatch.delenv(key)
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    try:
        assert main(["serve", "--transport", "http", "--port", "8000"]) == 0
    finally:  # main() installs its stderr handler on the root logger: leave this process's logging as it was
        root.handlers[:] = handlers
        root.setLevel(level)
    keep_alive = seen.get("timeout_keep_alive", 5)  # uvicorn's default when the CLI does not set it
    assert isinstance(keep_alive, int | float) and keep_alive > 60, f"timeout_keep_alive={keep_alive}"
