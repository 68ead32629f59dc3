"""Process helpers: start with a log, wait with a bound, stop by PID (TERM, then KILL). No sockets here."""

from __future__ import annotations

import re
import signal
import sys

import pytest

from tabmcp_ops import processes

READY = re.compile(r"ready (\d+)")


def python(code: str) -> list[str]:
    return [sys.executable, "-u", "-c", code]


def test_start_wait_and_stop_by_pid(tmp_path):
    proc = processes.start("sleeper", python("import time; print('ready 42'); time.sleep(60)"), log_dir=tmp_path)
    try:
        assert processes.wait_for_log(proc, READY, timeout=20)[1] == "42"
        assert proc.log == tmp_path / "sleeper.log"
    finally:
        code = processes.stop(proc)
    assert code == -signal.SIGTERM
    assert processes.stop(proc) == code  # stopping twice is harmless


def test_a_process_that_ignores_sigterm_is_killed(tmp_path):
    code = "import signal, time; signal.signal(signal.SIGTERM, signal.SIG_IGN); print('ready 1'); time.sleep(60)"
    proc = processes.start("stubborn", python(code), log_dir=tmp_path)
    processes.wait_for_log(proc, READY, timeout=20)
    assert processes.stop(proc, timeout=0.5) == -signal.SIGKILL


def test_early_exit_and_timeout_raise_with_the_log_tail(tmp_path):
    dead = processes.start("dead", python("print('boom: bad config'); raise SystemExit(3)"), log_dir=tmp_path)
    with pytest.raises(processes.StartError, match=r"(?s)dead exited with 3 before it was ready.*boom: bad config"):
        processes.wait_for_log(dead, READY, timeout=20)

    quiet = processes.start("quiet", python("import time; time.sleep(60)"), log_dir=tmp_path)
    with processes.running(quiet), pytest.raises(processes.StartError, match=r"not ready after 0\.3 s"):
        processes.wait_for_log(quiet, READY, timeout=0.3)
    assert quiet.popen.poll() is not None  # running() stopped it on the way out


def test_server_env_drops_caller_credentials(monkeypatch):
    monkeypatch.setenv("TAB_CLIENT_SECRET", "real-secret")
    env = processes.server_env("http://127.0.0.1:5", {"TAB_JURISDICTION": "VIC"})
    assert "TAB_CLIENT_SECRET" not in env
    assert (env["TAB_BASE_URL"], env["TAB_JURISDICTION"], env["PYTHONUNBUFFERED"]) == ("http://127.0.0.1:5", "VIC", "1")


def test_bin_path_prefers_the_venv_script():
    assert processes.bin_path("tab-mcp").endswith("/tab-mcp") and processes.bin_path("tab-mcp") != "tab-mcp"
    assert processes.bin_path("no-such-tool-xyz") == "no-such-tool-xyz"


def test_server_env_is_the_one_builder_for_tests_and_tooling(monkeypatch):
    """Keywords become ``TAB_<KEY>``; a caller's ``PORT`` (a host's setting) never reaches the server either."""
    monkeypatch.setenv("PORT", "8000")
    monkeypatch.setenv("TAB_BASE_URL", "https://api.beta.tab.com.au")
    env = processes.server_env(base_url="http://127.0.0.1:6", client_id="load-client", max_sessions=3)
    assert "PORT" not in env
    wanted = ("http://127.0.0.1:6", "load-client", "3")
    assert (env["TAB_BASE_URL"], env["TAB_CLIENT_ID"], env["TAB_MAX_SESSIONS"]) == wanted
    assert "TAB_BASE_URL" not in processes.server_env()  # no base URL given: none inherited either


def test_the_ready_line_is_read_under_either_command_name():
    for name in ("tabmcp-standin", "tabmcp-upstream"):
        match = processes.LISTENING.search(f"{name} listening on http://127.0.0.1:4321\n")
        assert match is not None and match[1] == "http://127.0.0.1:4321"
    assert processes.LISTENING.search("tabmcp-other listening on http://127.0.0.1:4321") is None
