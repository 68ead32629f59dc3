"""``tab-mcp serve --stateless --json-response --workers 2``: the fleet configuration behind a load balancer."""

from __future__ import annotations

import os
import signal
from pathlib import Path

import anyio
import pytest

from tab_mcp.cli import EXIT_CONFIG, main
from tests.helpers.loopback_servers import cli_server, server_env, session, shared_http_client, text_of

pytestmark = [pytest.mark.anyio, pytest.mark.slow]
FLAGS = ("--stateless", "--json-response", "--workers", "2")
# Spawning two worker processes imports the server twice more; on a busy shared machine that takes a while.


def _children(pid: int) -> list[int]:
    """The worker processes of ``pid`` (multiprocessing also starts a resource tracker, which is not one)."""
    text = Path(f"/proc/{pid}/task/{pid}/children").read_text()
    found = []
    for child in text.split():
        try:
            if b"spawn_main" in Path(f"/proc/{child}/cmdline").read_bytes():
                found.append(int(child))
        except OSError:  # it exited between the two reads
            continue
    return found


def _alive(pid: int) -> bool:
    return Path(f"/proc/{pid}").exists()


async def test_two_stateless_workers_serve_tool_calls_and_stop_on_sigterm(standin, tmp_path) -> None:
    env = server_env(base_url=standin.url, client_id="workers-client", client_secret="workers-secret")
    with cli_server(env, tmp_path / "server.log", extra_args=FLAGS, start_timeout=60) as server:
        with anyio.fail_after(20):
            while len(_children(server.proc.pid)) < 2:  # noqa: ASYNC110 - polling /proc, bounded by fail_after
                await anyio.sleep(0.05)
        workers = _children(server.proc.pid)
        async with shared_http_client() as http, session(server.url, http) as client:
            results = [await client.call_tool("racing_get_all_meeting_dates", {}) for _ in range(8)]
        server.proc.send_signal(signal.SIGTERM)
        code = await anyio.to_thread.run_sync(server.proc.wait, 20)
        log = server.log()

    assert len(workers) == 2
    assert all(not r.is_error for r in results), [text_of(r) for r in results if r.is_error]
    assert all(isinstance(r.structured_content, dict) and r.structured_content for r in results)
    assert "with 2 worker processes" in log
    assert code in (0, -signal.SIGTERM), log[-1500:]
    assert not any(map(_alive, workers)), "a worker outlived the server"


def test_workers_without_stateless_is_a_configuration_error(monkeypatch, capsys) -> None:
    for name in [n for n in os.environ if n.startswith("TAB_")]:
        monkeypatch.delenv(name)
    code = main(["serve", "--transport", "http", "--workers", "2"])

    assert code == EXIT_CONFIG
    err = capsys.readouterr().err
    assert "--workers 2 needs --stateless" in err
    assert "Traceback" not in err
