"""The monitor's session gauge: where /readyz is, what counts as a gauge, and the report row."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from tabmcp_ops.monitor.alert import Probe
from tabmcp_ops.monitor.history import all_windows
from tabmcp_ops.monitor.report import render_report
from tabmcp_ops.monitor.sessions import SessionGauge, fetch_gauge, gauge_row, parse_gauge, readyz_url


@pytest.mark.parametrize(
    ("mcp_url", "expected"),
    [
        ("https://tab.example/mcp", "https://tab.example/readyz"),
        ("https://tab.example/mcp/?clientSecret=s3cret", "https://tab.example/readyz"),
        ("http://127.0.0.1:8000/prefix/mcp", "http://127.0.0.1:8000/prefix/readyz"),
        ("https://tab.example", "https://tab.example/readyz"),
    ],
)
def test_readyz_sits_beside_the_mcp_endpoint_without_the_query(mcp_url: str, expected: str) -> None:
    assert readyz_url(mcp_url) == expected


def test_parse_gauge_accepts_the_servers_figures_only() -> None:
    body = {"status": "ready", "sessions": {"open": 3, "busy": 1, "cap": 2000, "evicted": 4, "refused": 0}}
    assert parse_gauge(body) == SessionGauge(open=3, cap=2000, busy=1, evicted=4, refused=0)
    for bad in [{"status": "ready"}, {"sessions": {"open": "3", "cap": 10}}, {"sessions": {"open": 1, "cap": 0}},
                {"sessions": {"open": True, "cap": 5}}, ["sessions"], None]:  # fmt: skip
        assert parse_gauge(bad) is None


def test_fetch_gauge_refuses_non_http_urls() -> None:
    assert fetch_gauge("file:///etc/passwd", timeout=1) is None


def test_report_shows_sessions_only_when_exposed() -> None:
    now = datetime(2026, 3, 10, 12, tzinfo=UTC)
    common = {"url": "https://tab.example/mcp", "now": now, "probe": Probe(reachable=True, status=200),
              "smoke": None, "latency": None, "alerts": [], "windows": all_windows([], now), "records": []}  # fmt: skip
    gauge = SessionGauge(open=1500, cap=2000, busy=12, evicted=40, refused=2)
    shown = render_report(**common, sessions=gauge)
    assert "| Open sessions | 1500 / 2000 (75%; 12 busy; 40 idle evicted, 2 refused since start) | |" in shown
    assert "Open sessions" not in render_report(**common)
    assert gauge_row(None) == []
