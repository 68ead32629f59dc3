"""`python -m tabmcp_ops.monitor check` (what `make monitor-check` and the monitor job run) against real servers.

Every process runs on 127.0.0.1 with a free port and is stopped by its PID. The faulty runs select one smoke
test (`-k test_meeting_dates`) so a 6 s delay costs seconds, not one delay per tool of the whole suite.
"""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from tab_mcp.settings import Settings
from tabmcp_ops import processes
from tabmcp_ops.monitor.alert import probe_endpoint
from tabmcp_ops.monitor.sessions import fetch_gauge

ROOT = Path(__file__).resolve().parents[2]
CASSETTES = ROOT / "cassettes"
CHECK_TIMEOUT_S = 300
# Server-side credentials, as a real deployment has: the stand-in issues tokens for these placeholders.
PLACEHOLDERS = {"TAB_CLIENT_ID": "PLACEHOLDER_CLIENT_ID", "TAB_CLIENT_SECRET": "PLACEHOLDER_CLIENT_SECRET"}


def run_check(url: str, out: Path, *pytest_args: str) -> tuple[int, dict]:
    """Run the monitor CLI in a subprocess (as the workflow does) and return its exit code and status.json."""
    cmd = [sys.executable, "-m", "tabmcp_ops.monitor", "check", "--url", url, "--out", str(out)]
    cmd += ["--history", str(out / "history.jsonl"), "--probe-timeout", "5"]
    if pytest_args:
        cmd += ["--", *pytest_args]
    env = processes.server_env("http://127.0.0.1:1")  # no TAB_* credentials from the caller
    # The nested pytest must not inherit the outer run's options (CI passes --cov --cov-append that way: two
    # runs writing one .coverage file at once would corrupt it) or write into this job's step summary.
    for name in ("GITHUB_STEP_SUMMARY", "PYTEST_ADDOPTS"):
        env.pop(name, None)
    proc = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, timeout=CHECK_TIMEOUT_S, check=False)  # noqa: S603
    status = json.loads((out / "status.json").read_text()) if (out / "status.json").exists() else {}
    assert status, (
        f"the monitor wrote no status.json (exit {proc.returncode}):\n{proc.stdout[-3000:]}\n{proc.stderr[-3000:]}"
    )
    return proc.returncode, status


def codes(status: dict) -> list[str]:
    return [alert["code"] for alert in status["alerts"]]


@pytest.fixture
def stack(tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[tuple[processes.Proc, processes.Proc]]:
    """The stand-in (with the faults given by indirect parametrisation, if any) and tab-mcp serving HTTP over it."""
    faults = getattr(request, "param", ())
    upstream = processes.start_standin(CASSETTES, log_dir=tmp_path / "logs", faults=faults)
    try:
        server = processes.start_server(upstream.url, log_dir=tmp_path / "logs", extra_env=PLACEHOLDERS)
        try:
            yield upstream, server
        finally:
            processes.stop(server)
    finally:
        processes.stop(upstream)


def test_healthy_local_server_passes(stack, tmp_path):
    _, server = stack
    code, status = run_check(server.url, tmp_path / "out")
    assert status["healthy"] is True, status["alerts"]
    assert code == 0
    report = (tmp_path / "out" / "report.md").read_text()
    assert report.startswith("## tab-mcp health: ✅ healthy") and "```mermaid\nxychart-beta" in report
    history = (tmp_path / "out" / "history.jsonl").read_text().splitlines()
    assert len(history) == 1 and json.loads(history[0])["up"] is True


def test_stopped_server_is_an_unreachable_alert(tmp_path):
    port = processes.free_port()  # nothing listens here
    code, status = run_check(f"http://127.0.0.1:{port}/mcp", tmp_path / "out")
    assert code == 1
    assert codes(status) == ["unreachable"]
    assert not (tmp_path / "out" / "junit.xml").exists(), "the smoke suite must not run against a dead server"


@pytest.mark.parametrize("stack", [("status=500",)], indirect=True)
def test_upstream_500s_raise_a_server_error_alert(stack, tmp_path):
    _, server = stack
    code, status = run_check(server.url, tmp_path / "out", "-k", "test_meeting_dates")
    assert code == 1
    assert "server_error" in codes(status), status["alerts"]
    assert "500" in next(a["message"] for a in status["alerts"] if a["code"] == "server_error")


@pytest.mark.parametrize("stack", [("delay-ms=6000",)], indirect=True)
def test_six_second_upstream_delays_raise_a_slow_alert(stack, tmp_path):
    _, server = stack
    code, status = run_check(server.url, tmp_path / "out", "-k", "test_meeting_dates")
    assert code == 1
    assert "slow" in codes(status), status["alerts"]
    assert status["record"]["p95_ms"] > 5000


def test_probe_classifies_refused_and_silent_endpoints():
    refused = probe_endpoint(f"http://127.0.0.1:{processes.free_port()}/mcp", timeout=2)
    assert (refused.reachable, refused.timed_out) == (False, False)

    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.bind(("127.0.0.1", 0))
    listener.listen(1)
    accepted: list[socket.socket] = []
    thread = threading.Thread(target=lambda: accepted.append(listener.accept()[0]), daemon=True)
    thread.start()
    try:
        silent = probe_endpoint(f"http://127.0.0.1:{listener.getsockname()[1]}/mcp", timeout=0.5)
    finally:
        thread.join(timeout=5)
        for conn in accepted:
            conn.close()
        listener.close()
    assert (silent.reachable, silent.timed_out) == (False, True)


def test_probe_reads_the_status_of_a_live_server(stack):
    _, server = stack
    ok = probe_endpoint(server.url, timeout=5)
    assert (ok.reachable, ok.status) == (True, 200)
    foreign_host = probe_endpoint(server.url, timeout=5, headers={"Host": "evil.example"})
    assert foreign_host.status == 421  # the DNS-rebinding check answers, and a 4xx is never healthy


def test_session_gauge_reads_the_live_servers_readyz(stack, tmp_path):
    _, server = stack
    before = fetch_gauge(server.url, timeout=5)
    assert before is not None and before.cap == Settings().max_sessions
    probe_endpoint(server.url, timeout=5)  # opens a session and deletes it again
    after = fetch_gauge(server.url, timeout=5)
    assert after is not None and after.open == before.open and after.refused == 0
    assert fetch_gauge(f"http://127.0.0.1:{processes.free_port()}/mcp", timeout=2) is None  # nothing listens
