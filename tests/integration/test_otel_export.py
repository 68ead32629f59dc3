"""``tab-mcp serve`` with the otel extra and ``OTEL_EXPORTER_OTLP_ENDPOINT`` exports spans and metrics over OTLP/HTTP.

A loopback collector receives what the real exporters send; canaries planted in the credentials and in an
argument value must appear in none of it (OTLP protobuf keeps strings as raw UTF-8, so a byte search finds them).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from tabmcp_ops import processes
from tests.helpers.loopback_servers import session, shared_http_client, standin_process

pytestmark = pytest.mark.anyio

CANARIES = (b"CANARYCLIENTID", b"CANARYCLIENTSECRET", b"CANARYVENUE", b"standin-token-")
EXPORT_WAIT_S = 20.0


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


class _Collector(BaseHTTPRequestHandler):
    received: list[tuple[str, bytes]]

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        self.server.received.append((self.path, body))  # type: ignore[attr-defined]
        self.send_response(200)
        self.send_header("Content-Type", "application/x-protobuf")
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *_args: object) -> None:
        return


@pytest.fixture
def collector() -> Iterator[ThreadingHTTPServer]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Collector)
    server.received = []  # type: ignore[attr-defined]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()


def _wait_for(server: ThreadingHTTPServer, wanted: dict[str, list[bytes]]) -> dict[str, bytes]:
    """What the collector received per path, once each path's bodies hold every wanted name (spans and metric
    points arrive in several batches, so the first batch of each is not enough)."""
    paths = sorted(wanted)
    deadline = time.monotonic() + EXPORT_WAIT_S
    while time.monotonic() < deadline:
        got: dict[str, bytes] = {}
        for path, body in list(server.received):  # type: ignore[attr-defined]
            got[path] = got.get(path, b"") + body
        if all(all(name in got.get(path, b"") for name in names) for path, names in wanted.items()):
            return got
        time.sleep(0.2)
    pytest.fail(f"the collector got only {sorted(got)} within {EXPORT_WAIT_S:g} s; wanted {paths}")


async def test_a_served_tool_call_is_exported_as_spans_and_metrics_without_secrets(
    collector: ThreadingHTTPServer, tmp_path: Path
) -> None:
    host, port = collector.server_address[:2]
    otel = {
        "OTEL_EXPORTER_OTLP_ENDPOINT": f"http://{host}:{port}",
        "OTEL_BSP_SCHEDULE_DELAY": "100",
        "OTEL_METRIC_EXPORT_INTERVAL": "300",
        "TAB_CLIENT_ID": "CANARYCLIENTID",
        "TAB_CLIENT_SECRET": "CANARYCLIENTSECRET",
    }
    with standin_process() as upstream:
        server = processes.start_server(upstream.url, log_dir=tmp_path, extra_env=otel)
        try:
            async with shared_http_client() as http, session(server.url, http) as client:
                assert not (await client.call_tool("racing_get_all_meeting_dates", {})).is_error
                missed = await client.call_tool(
                    "racing_get_race",
                    {"meeting_date": "2026-12-05", "race_type": "R", "venue_mnemonic": "CANARYVENUE", "race_number": 1},
                )
                assert missed.is_error  # the stand-in has no such race: an upstream 404, traced like any answer
            got = _wait_for(
                collector,
                {
                    "/v1/traces": [
                        b"tools/call racing_get_race",
                        b"oauth token grant",
                        b"/racing/dates/{meeting_date}",
                    ],
                    "/v1/metrics": [b"http.client.request.duration", b"tab_mcp.oauth.grants"],
                },
            )
        finally:
            processes.stop(server)
    traces, metrics = got["/v1/traces"], got["/v1/metrics"]
    assert b"tools/call racing_get_all_meeting_dates" in traces  # the SDK's SERVER span
    assert b"/v1/tab-info-service/racing/dates/{meeting_date}/meetings/{race_type}/{venue_mnemonic}" in traces
    assert b"oauth token grant" in traces
    assert b"mcp.server.operation.duration" in metrics and b"tab_mcp.oauth.grants" in metrics
    for body in (traces, metrics):
        for canary in CANARIES:
            assert canary not in body
