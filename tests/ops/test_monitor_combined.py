"""One monitor run that sees drift, too many skips and an outage at once: every alert kind is raised once,
drift never hides an outage, and a stale report never raises drift or skips for a server that is down."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from tabmcp_ops.monitor import cli as monitor
from tabmcp_ops.monitor.alert import Probe, SmokeResult
from tabmcp_ops.monitor.drift import DRIFT_ALERT
from tabmcp_ops.monitor.skips import SKIP_ALERT

URL = "http://127.0.0.1:9/mcp"
START = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)
SENTENCE = "racing_get_race: at $.raceStartTime the contract expects an ISO 8601 timestamp, but the field is missing."
DRIFT = {"violations": 1, "tools": {"racing_get_race": [SENTENCE]}, "tests": ["tests/smoke/test_racing.py::t_race"]}
SKIPPED = [
    {"test": f"tests/smoke/test_sports.py::t{i}", "reason": "no data: no open match", "excluded_by": None}
    for i in range(3)
]
TOOLS = {"racing_get_race": {"calls": 4, "errors": 0, "p95_ms": 40.0, "max_ms": 50.0}}


def fake_run(smoke: SmokeResult, latency: dict[str, object]) -> Callable[..., SmokeResult]:
    """A smoke run that writes ``latency`` as the plugin would and reports ``smoke`` from its JUnit file."""

    def run(url: str, out: Path, extra: Sequence[str] = (), timeout: float = 0.0) -> SmokeResult:
        (out / "latency.json").write_text(json.dumps(latency), encoding="utf-8")
        return smoke

    return run


@pytest.fixture
def reachable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(monitor, "probe_endpoint", lambda url, timeout, headers: Probe(reachable=True, status=200))
    monkeypatch.setattr(monitor, "fetch_gauge", lambda url, timeout, headers: None)


def check_twice(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, smoke: SmokeResult) -> dict[str, object]:
    """Two consecutive runs with the same outcome (skips alert only when two runs in a row skipped too many)."""
    latency = {"tools": TOOLS, "drift": DRIFT, "skipped": SKIPPED, "strict": False}
    monkeypatch.setattr(monitor, "run_smoke", fake_run(smoke, latency))
    history = tmp_path / "history.jsonl"
    first = monitor.run_check(URL, tmp_path / "out", history=history, now=START)
    assert [a["code"] for a in first["alerts"]].count(SKIP_ALERT) == 0  # one run alone is not a trend
    return monitor.run_check(URL, tmp_path / "out", history=history, now=START + timedelta(minutes=15))


@pytest.mark.usefixtures("reachable")
def test_drift_skips_and_a_server_error_each_raise_their_own_alert(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    message = "t_card: racing_get_race_form failed: Tabcorp API returned 502 for /racing/...: BAD_GATEWAY."
    smoke = SmokeResult(exit_code=1, tests=10, failures=2, skipped=3, messages=(message,))
    status = check_twice(tmp_path, monkeypatch, smoke)
    codes = [a["code"] for a in status["alerts"]]  # type: ignore[index]
    assert sorted(codes) == sorted(["server_error", "smoke_failed", DRIFT_ALERT, SKIP_ALERT])
    assert status["healthy"] is False and status["record"]["up"] is False  # type: ignore[index]
    report = (tmp_path / "out" / "report.md").read_text(encoding="utf-8")
    for code in codes:
        assert report.count(f"- **{code}**:") == 1, code
    assert f"  - {SENTENCE}" in report and "### Skipped tests (3)" in report
    assert "3 of 10 smoke tests skipped (30%), and 30% in the previous run" in report


@pytest.mark.usefixtures("reachable")
def test_drift_and_skips_alone_alert_without_an_outage(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    smoke = SmokeResult(exit_code=1, tests=10, failures=1, skipped=3)  # the one failure is the drifted test
    status = check_twice(tmp_path, monkeypatch, smoke)
    assert [a["code"] for a in status["alerts"]] == [DRIFT_ALERT, SKIP_ALERT]  # type: ignore[index]
    assert status["healthy"] is False and status["record"]["up"] is True  # type: ignore[index]


def test_a_down_server_gets_no_drift_or_skip_alert_from_a_stale_report(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "out"
    out.mkdir()
    stale = {"tools": TOOLS, "drift": DRIFT, "skipped": SKIPPED}
    (out / "latency.json").write_text(json.dumps(stale), encoding="utf-8")  # left by an earlier run
    down = Probe(reachable=False, error="connection refused")
    monkeypatch.setattr(monitor, "probe_endpoint", lambda url, timeout, headers: down)
    monkeypatch.setattr(monitor, "run_smoke", pytest.fail)
    status = monitor.run_check(URL, out, now=START)
    assert [a["code"] for a in status["alerts"]] == ["unreachable"]  # type: ignore[index]
    assert "Skipped tests" not in (out / "report.md").read_text(encoding="utf-8")
