"""`python -m tabmcp_ops.monitor check|issue` with the probe and pytest replaced (no sockets here)."""

from __future__ import annotations

import dataclasses
import json
import os
import subprocess
from pathlib import Path

import pytest
import yaml

from tabmcp_ops.monitor import cli as monitor
from tabmcp_ops.monitor.alert import Probe, SmokeResult, parse_junit
from tests.ops._monitor_data import junit, latency

ROOT = Path(__file__).resolve().parents[2]
URL = "http://127.0.0.1:9/mcp?api_key=SECRET123"


@pytest.fixture
def fake_run(monkeypatch):
    """Replace the probe and the smoke run; the smoke fake writes the files pytest would write."""
    state = {
        "probe": Probe(reachable=True, status=200, elapsed_ms=9.0),
        "p95": 80.0,
        "fail": None,
        "ran": 0,
        "skipped": [],
    }

    def probe(url, *, timeout, headers):
        return state["probe"]

    def smoke(url, out, extra, timeout):
        state["ran"] += 1
        report = latency({"racing_get_race": (4, 0, state["p95"])})
        report["skipped"] = [
            {"test": n, "reason": "no data: none listed", "excluded_by": None} for n in state["skipped"]
        ]
        (out / "latency.json").write_text(json.dumps(report))
        calls = [{"tool": "racing_get_race", "ms": 5.0, "error": bool(state["fail"])}]
        junit(out / "junit.xml", [("test_race", state["fail"], calls), ("test_other", None, [])])
        result = parse_junit(out / "junit.xml", 1 if state["fail"] else 0)
        return dataclasses.replace(result, tests=result.tests + len(state["skipped"]), skipped=len(state["skipped"]))

    monkeypatch.setattr(monitor, "probe_endpoint", probe)
    monkeypatch.setattr(monitor, "run_smoke", smoke)
    monkeypatch.delenv("GITHUB_STEP_SUMMARY", raising=False)
    monkeypatch.delenv("TABMCP_LIVE_HEADERS", raising=False)
    return state


def test_healthy_check_writes_status_report_and_history(fake_run, tmp_path, capsys):
    history = tmp_path / "history.jsonl"
    assert monitor.main(["check", "--url", URL, "--out", str(tmp_path / "o"), "--history", str(history)]) == 0
    status = json.loads((tmp_path / "o" / "status.json").read_text())
    assert status["healthy"] is True and status["alerts"] == []
    assert status["url"] == "http://127.0.0.1:9/mcp?***"  # the query may hold an API key
    assert "SECRET123" not in (tmp_path / "o" / "report.md").read_text() + history.read_text()
    assert len(history.read_text().splitlines()) == 1
    assert "## tab-mcp health: ✅ healthy" in capsys.readouterr().out


def test_failing_check_exits_1_with_annotations_and_summary(fake_run, tmp_path, monkeypatch, capsys):
    summary = tmp_path / "summary.md"
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    fake_run["fail"] = "tool racing_get_race returned an error: Tabcorp API returned 500 for the race"
    fake_run["p95"] = 7000.0
    assert monitor.main(["check", "--url", URL, "--out", str(tmp_path / "o")]) == 1
    status = json.loads((tmp_path / "o" / "status.json").read_text())
    assert [a["code"] for a in status["alerts"]] == ["server_error", "slow", "error_rate", "smoke_failed"]
    out = capsys.readouterr().out
    assert "::error::server_error: HTTP status >= 500 seen: 500" in out
    assert summary.read_text().startswith("## tab-mcp health: ❌ FAILING")


def test_unreachable_server_skips_the_smoke_run(fake_run, tmp_path):
    fake_run["probe"] = Probe(reachable=False, error="[Errno 111] Connection refused")
    assert monitor.main(["check", "--url", URL, "--out", str(tmp_path / "o")]) == 1
    assert fake_run["ran"] == 0
    status = json.loads((tmp_path / "o" / "status.json").read_text())
    assert [a["code"] for a in status["alerts"]] == ["unreachable"]


def test_history_accumulates_and_reports_on_this_url_only(fake_run, tmp_path):
    history = tmp_path / "history.jsonl"
    for url in (URL, URL, "https://other.example/mcp"):
        monitor.main(["check", "--url", url, "--out", str(tmp_path / "o"), "--history", str(history)])
    assert len(history.read_text().splitlines()) == 3
    assert "| 24 h | 1 |" in (tmp_path / "o" / "report.md").read_text()  # only the other URL's single run


def test_skips_are_reported_and_alert_when_too_many_twice_in_a_row(fake_run, tmp_path):
    history = tmp_path / "history.jsonl"
    fake_run["skipped"] = ["test_a", "test_b", "test_c"]  # 3 of 5 tests skipped
    args = ["check", "--url", URL, "--out", str(tmp_path / "o"), "--history", str(history)]
    assert monitor.main(args) == 0  # the first such run is reported, not alerted
    report = (tmp_path / "o" / "report.md").read_text()
    assert "### Skipped tests (3)" in report and "| `test_a` | no data: none listed |" in report
    assert monitor.main(args) == 1
    status = json.loads((tmp_path / "o" / "status.json").read_text())
    assert [a["code"] for a in status["alerts"]] == ["skipped"]
    assert status["alerts"][0]["message"].startswith("3 of 5 smoke tests skipped (60%), and 60% in the previous run")
    assert monitor.main([*args[:1], "--skip-share", "0.7", "--skip-runs", "4", *args[1:]]) == 0  # configurable


def test_one_test_skipped_in_three_consecutive_runs_alerts_whatever_the_share(fake_run, tmp_path):
    # 1 of 3 skipped is under this share limit, but the same test unchecked three runs in a row is blind.
    history = tmp_path / "history.jsonl"
    args = ["check", "--url", URL, "--out", str(tmp_path / "o"), "--history", str(history), "--skip-share", "0.5"]
    fake_run["skipped"] = ["tests/smoke/test_sports.py::test_tournament"]
    assert [monitor.main(args) for _ in range(2)] == [0, 0]
    fake_run["probe"] = Probe(reachable=False, error="[Errno 111] Connection refused")
    assert monitor.main(args) == 1  # down: the suite did not run, which neither breaks nor extends the streak
    fake_run["probe"] = Probe(reachable=True, status=200, elapsed_ms=9.0)
    assert monitor.main(args) == 1
    status = json.loads((tmp_path / "o" / "status.json").read_text())
    assert [a["code"] for a in status["alerts"]] == ["skipped_persistently"]
    assert status["alerts"][0]["message"].startswith(
        "1 smoke test(s) skipped in 3 consecutive runs: tests/smoke/test_sports.py::test_tournament;"
    )
    records = [json.loads(line) for line in history.read_text().splitlines()]
    assert [r["skipped_tests"] for r in records] == [["tests/smoke/test_sports.py::test_tournament"]] * 2 + [None] + [
        ["tests/smoke/test_sports.py::test_tournament"]
    ]
    fake_run["skipped"] = []
    assert monitor.main(args) == 0  # it ran again: the streak is over
    fake_run["skipped"] = ["tests/smoke/test_sports.py::test_tournament"]
    assert monitor.main([*args[:1], "--skip-runs", "1", *args[1:]]) == 1  # N is configurable


def test_missing_url_is_a_usage_error(tmp_path, monkeypatch, capsys):
    monkeypatch.delenv("TABMCP_LIVE_URL", raising=False)
    assert monitor.main(["check", "--out", str(tmp_path)]) == 2
    assert "no URL to monitor" in capsys.readouterr().out


def test_pytest_command_is_the_documented_health_run(tmp_path):
    cmd = monitor.pytest_command("https://h/mcp", tmp_path, ["-k", "dates"])
    joined = " ".join(cmd[1:])
    assert joined.startswith("-m pytest -m smoke --live-url https://h/mcp --tabmcp-latency-json ")
    assert f"--junitxml={tmp_path / 'junit.xml'}" in cmd and cmd[-3:] == ["tests/smoke", "-k", "dates"]


def test_run_smoke_times_out_as_a_failure(tmp_path, monkeypatch):
    def slow_run(cmd, check, timeout):
        raise subprocess.TimeoutExpired(cmd, timeout)

    monkeypatch.setattr(monitor.subprocess, "run", slow_run)
    result = monitor.run_smoke("https://h/mcp", tmp_path, timeout=1)
    assert result == SmokeResult(exit_code=None, messages=("the smoke suite did not finish in 1 s",), timed_out=True)


def test_issue_dry_run_decides_from_the_status(tmp_path, capsys):
    status, report = tmp_path / "status.json", tmp_path / "report.md"
    status.write_text(json.dumps({"healthy": False}))
    report.write_text("## failing\n")
    assert monitor.main(["issue", "--status", str(status), "--report", str(report), "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert "alert issue: open" in out and "gh issue create --title" in out


def test_make_monitor_check_runs_the_same_cli():
    # Inside `make test`, MAKEFLAGS would leak the outer make's flags into this dry run.
    env = {k: v for k, v in os.environ.items() if k not in {"MAKEFLAGS", "MFLAGS", "MAKELEVEL"}}
    out = subprocess.run(
        ["make", "-n", "--no-print-directory", "monitor-check", "LIVE_URL=https://h/mcp"],  # noqa: S607
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert '-m tabmcp_ops.monitor check --url "${LIVE_URL}" --out .monitor --history .monitor/history.jsonl' in out


def test_monitor_workflow_health_job_runs_make_monitor_check():
    workflow = yaml.safe_load((ROOT / ".github/workflows/monitor.yml").read_text())
    runs = [step.get("run", "") for step in workflow["jobs"]["health"]["steps"]]
    assert "make monitor-check" in runs
    alert_runs = " ".join(step.get("run", "") for step in workflow["jobs"]["alert"]["steps"])
    assert "python -m tabmcp_ops.monitor issue" in alert_runs


class FakeGh:
    """`gh` with one repository's alert issues in memory: list, create (prints the URL), comment, close, label."""

    def __init__(self) -> None:
        self.open: list[int] = []
        self.next = 40

    def __call__(self, cmd):
        if cmd[:2] == ["issue", "list"]:
            return json.dumps([{"number": n} for n in self.open])
        if cmd[:2] == ["issue", "create"]:
            self.next += 1
            self.open.append(self.next)
            return f"https://github.com/acme/tab-mcp/issues/{self.next}\n"
        if cmd[:2] == ["issue", "close"]:
            self.open.remove(int(cmd[2]))
        return ""


def test_issue_records_the_tracking_issue_and_the_page_links_it(fake_run, tmp_path, monkeypatch, capsys):
    gh = FakeGh()
    monkeypatch.setattr(monitor, "_gh", gh)
    monkeypatch.delenv("GITHUB_OUTPUT", raising=False)
    history, out = tmp_path / "history.jsonl", tmp_path / "o"
    for fail in ["AssertionError: wrong", "AssertionError: still wrong", None]:
        fake_run["fail"] = fail
        monitor.main(["check", "--url", URL, "--out", str(out), "--history", str(history)])
        status, report = str(out / "status.json"), str(out / "report.md")
        assert monitor.main(["issue", "--status", status, "--report", report, "--history", str(history)]) == 0
    assert "history: issue #41 recorded" in capsys.readouterr().out
    records, _ = monitor.load_history(history)
    assert [r.issue for r in records] == [41, 41, 41] and gh.open == []  # opened, commented on, closed
    page = tmp_path / "index.html"
    issues = "https://github.com/acme/tab-mcp/issues/{number}"
    assert monitor.main(["page", str(history), str(page), "--issue-url", issues]) == 0
    html = page.read_text(encoding="utf-8")
    assert 'class="incident incident-outage"' in html and 'href="https://github.com/acme/tab-mcp/issues/41"' in html
    assert "SECRET123" not in html  # the page shows the redacted URL the history keeps


def test_tracking_issue_is_the_one_acted_on():
    gh = FakeGh()
    gh.open = [7]
    assert monitor.tracking_issue(monitor.IssueAction("open"), gh, None) == 7
    assert monitor.tracking_issue(monitor.IssueAction("comment", (5,)), gh, None) == 5
    assert monitor.tracking_issue(monitor.IssueAction("close", (3, 4)), gh, None) == 3
    assert monitor.tracking_issue(monitor.IssueAction("none"), gh, None) is None
