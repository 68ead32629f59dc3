"""No secret header crosses a redirect: the monitor (urllib) and the plugin's live clients (httpx, httpx2).

A loopback redirector answers every request with a 307 to a trap on another host name and port
(``localhost`` rather than ``127.0.0.1``). The monitor's probe, its ``/readyz`` gauge and the plugin's live
check and MCP client all send ``TABMCP_LIVE_HEADERS``-style credentials; none of them may follow the redirect,
so the trap must receive nothing, and each report names the host the redirect pointed at.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from pytest_tabmcp._live import check_live_server, open_live_client
from tabmcp_ops.monitor.alert import evaluate, probe_endpoint
from tabmcp_ops.monitor.sessions import fetch_gauge

SECRETS = {"Authorization": "Bearer canary-monitor-token", "X-Api-Key": "canary-api-key"}


@dataclass
class Loopback:
    """A threaded HTTP server: the redirector answers 307 to ``location``; without one it answers 200 (the trap)."""

    location: str | None = None
    seen: list[tuple[str, str, dict[str, str]]] = field(default_factory=list)
    url: str = ""


@pytest.fixture
def trap() -> Iterator[Loopback]:
    yield from _serve(Loopback(), host_name="localhost")


@pytest.fixture
def redirector(trap: Loopback) -> Iterator[Loopback]:
    yield from _serve(Loopback(location=f"{trap.url}/mcp"), host_name="127.0.0.1")


def _serve(state: Loopback, *, host_name: str) -> Iterator[Loopback]:
    class Handler(BaseHTTPRequestHandler):
        def _answer(self) -> None:
            length = int(self.headers.get("content-length") or 0)
            if length:
                self.rfile.read(length)
            state.seen.append((self.command, self.path, dict(self.headers.items())))
            body = b'{"jsonrpc": "2.0", "id": 1, "result": {}}'
            self.send_response(307 if state.location else 200)
            if state.location:
                self.send_header("Location", state.location)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        do_GET = do_POST = do_DELETE = _answer

        def log_message(self, *_args: object) -> None:
            return None

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    state.url = f"http://{host_name}:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def trap_host(trap: Loopback) -> str:
    return trap.url.removeprefix("http://")


def test_the_monitor_probe_reports_the_redirect_and_sends_nothing_to_its_target(redirector, trap) -> None:
    probe = probe_endpoint(f"{redirector.url}/mcp", timeout=5, headers=SECRETS)

    assert trap.seen == [], "the monitor's credentials crossed the redirect"
    assert [(method, path) for method, path, _ in redirector.seen] == [("POST", "/mcp")]
    assert probe.reachable and probe.status == 307
    assert probe.error is not None and f"to host {trap_host(trap)!r}" in probe.error and "not followed" in probe.error
    assert "canary" not in probe.error
    alerts = {alert.code: alert.message for alert in evaluate(probe, None, None)}
    assert trap_host(trap) in alerts["smoke_failed"], alerts


def test_the_monitor_session_gauge_does_not_follow_a_redirect(redirector, trap) -> None:
    assert fetch_gauge(f"{redirector.url}/mcp", timeout=5, headers=SECRETS) is None
    assert trap.seen == []
    assert [path for _, path, _ in redirector.seen] == ["/readyz"]


def test_the_plugin_live_check_reports_the_redirect_and_sends_nothing_to_its_target(redirector, trap) -> None:
    problem = check_live_server(f"{redirector.url}/mcp", SECRETS)

    assert trap.seen == []
    assert problem is not None and f"to host {trap_host(trap)!r}" in problem and "TABMCP_LIVE_HEADERS" in problem
    assert "canary" not in problem


@pytest.mark.anyio
async def test_the_plugin_live_client_reports_the_redirect_and_sends_nothing_to_its_target(redirector, trap) -> None:
    with pytest.raises(ConnectionError) as refused:
        async with open_live_client(f"{redirector.url}/mcp", SECRETS):
            pytest.fail("the client connected through a redirect")

    assert trap.seen == []
    assert redirector.seen and all(path == "/mcp" for _, path, _ in redirector.seen)
    assert f"to host {trap_host(trap)!r}" in str(refused.value) and "canary" not in str(refused.value)


def test_the_trap_does_receive_credentials_when_addressed_directly(trap) -> None:
    # The control: the trap records what reaches it, so its emptiness above means something.
    probe_endpoint(f"{trap.url}/mcp", timeout=5, headers=SECRETS)
    assert trap.seen and trap.seen[0][2].get("X-Api-Key") == "canary-api-key"
