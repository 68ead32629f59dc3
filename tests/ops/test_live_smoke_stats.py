"""`make smoke-live` reads the stand-in's misses after the run: unreadable stats fail clearly, never pass as none."""

from __future__ import annotations

import json
import socket

import pytest

from tabmcp_ops import live_smoke


def test_unreadable_stand_in_stats_are_a_clear_error_not_no_misses() -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    with pytest.raises(live_smoke.StatsError) as excinfo:
        live_smoke.missed_requests(f"http://127.0.0.1:{port}")  # nothing listens there
    assert str(excinfo.value) == (
        f"could not read the stand-in's stats at http://127.0.0.1:{port}/__standin/stats (ConnectError), "
        "so its misses are unknown; check the stand-in's log below"
    )


def test_the_smoke_run_ignores_the_callers_tab_and_tabmcp_settings() -> None:
    # A real secret or a TABMCP_LIVE_URL in the shell must neither reach the suite nor change what it checks.
    caller = {
        "PATH": "/usr/bin",
        "TAB_CLIENT_SECRET": "real-secret",
        "TAB_PASSWORD": "hunter2",
        "TABMCP_LIVE_URL": "https://prod.example/mcp",
        "TABMCP_RECORD_MODE": "all",
    }
    assert live_smoke.smoke_env(caller) == {"PATH": "/usr/bin", **live_smoke.PLACEHOLDERS, **live_smoke.SUITE_ACCOUNT}


def test_report_and_response_transform_reach_each_data_set_run(monkeypatch: pytest.MonkeyPatch, tmp_path) -> None:
    # make mutants reads this report: each data set's pytest exit and its stand-in misses, and serves a drift.
    seen: list[tuple[str, list[str], list[str]]] = []

    def fake_run(cassette_dir, pytest_args, *, standin_args=(), report=None):
        seen.append((str(cassette_dir), list(pytest_args), list(standin_args)))
        report.update(pytest_exit=1, missed=["GET /v1/x?datez=1"])
        return 1

    monkeypatch.setattr(live_smoke, "run", fake_run)
    argv = ["--cassette-dir", "set1", "--response-transform", "m:d", "--report", str(tmp_path / "r.json"), "--", "-x"]
    assert live_smoke.main(argv) == 1
    assert seen == [("set1", ["-x"], ["--response-transform", "m:d"])]
    assert json.loads((tmp_path / "r.json").read_text()) == {
        "set1": {"pytest_exit": 1, "missed": ["GET /v1/x?datez=1"]}
    }
