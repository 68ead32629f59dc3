"""`make mutants`: each run's verdict comes from pytest's JUnit XML and the live report, never the exit code alone."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from tabmcp_ops.mutants import runs
from tabmcp_ops.mutants.runs import Run, execute, smoke_run, verdict


def junit(cases: str) -> str:
    return f'<?xml version="1.0"?><testsuites><testsuite name="pytest">{cases}</testsuite></testsuites>'


PASSED = '<testcase classname="tests.smoke.test_a" name="test_ok"/>'
FAILED = '<testcase classname="tests.smoke.test_a" name="test_x"><failure message="{}">text</failure></testcase>'
SETUP = """<testcase classname="tests.smoke.test_a" name="test_y"><error message='{}'>text</error></testcase>"""
SKIPPED = '<testcase classname="tests.smoke.test_a" name="test_z"><skipped message="no data"/></testcase>'


def run_with(tmp_path: Path, mode: str, xml: str | None, report: dict | None = None) -> Run:
    run = smoke_run(mode, tmp_path, tmp_path, "request-x")
    if xml is not None:
        run.path(".xml").write_text(xml)
    if report is not None:
        run.path(".json").write_text(json.dumps(report))
    return run


@pytest.mark.parametrize(
    ("message", "reason"),
    [
        ("AssertionError: assert [] == [1]", "assertion: tests.smoke.test_a::test_x"),
        (
            "Failed: upstream contract drift: the result of racing_get_race differs",
            "contract: tests.smoke.test_a::test_x",
        ),
        ("Failed: tab-mcp: the cassette has no recorded response for 1 request(s)", "miss: tests.smoke.test_a::test_x"),
        ("KeyError: 'markets'", "KeyError in the test: tests.smoke.test_a::test_x"),
    ],
)
def test_a_failing_test_kills_and_says_how(tmp_path: Path, message: str, reason: str) -> None:
    outcome = verdict(run_with(tmp_path, "offline", junit(PASSED + FAILED.format(message))), 1)
    assert (outcome.verdict, outcome.reason) == ("killed", reason)
    assert outcome.log == str(tmp_path / "request-x.offline.log")


def test_an_assertion_in_a_fixture_kills_but_another_setup_exception_is_an_error(tmp_path: Path) -> None:
    noticed = SETUP.format('failed on setup with "AssertionError: no meeting"')
    assert verdict(run_with(tmp_path, "offline", junit(noticed)), 1).verdict == "killed"
    crashed = SETUP.format('failed on setup with "ConnectionRefusedError: [Errno 111]"')
    outcome = verdict(run_with(tmp_path, "offline", junit(crashed)), 1)
    assert outcome.verdict == "error" and outcome.reason.startswith("setup error in tests.smoke.test_a::test_y")


@pytest.mark.parametrize(
    ("xml", "exit_code", "expected"),
    [
        (junit(PASSED), 0, ("survived", "1 tests passed")),
        (junit(PASSED + SKIPPED), 1, ("killed", "strict skip: tests.smoke.test_a::test_z")),
        (junit(PASSED), 1, ("error", "pytest exit 1 with no failing or skipped test")),
        (junit(FAILED.format("AssertionError")), 2, ("error", "pytest exit 2 (internal, usage or collection error)")),
        (None, 1, ("error", "no readable JUnit XML (exit 1)")),
        ("<not xml", 1, ("error", "no readable JUnit XML (exit 1)")),
        (junit(""), 0, ("error", "the JUnit XML holds no test")),
    ],
)
def test_the_exit_code_alone_never_decides(tmp_path: Path, xml: str | None, exit_code: int, expected: tuple) -> None:
    outcome = verdict(run_with(tmp_path, "offline", xml), exit_code)
    assert (outcome.verdict, outcome.reason) == expected


def test_live_reads_the_pytest_exit_and_the_stand_in_misses_from_its_report(tmp_path: Path) -> None:
    missed = {"cassettes": {"pytest_exit": 0, "missed": ["GET /v1/x?datez=1"]}}
    outcome = verdict(run_with(tmp_path, "live", junit(PASSED), missed), 1)
    assert (outcome.verdict, outcome.reason) == ("killed", "stand-in miss: GET /v1/x?datez=1")
    clean = {"cassettes": {"pytest_exit": 0, "missed": []}}
    assert verdict(run_with(tmp_path, "live", junit(PASSED), clean), 0).verdict == "survived"


@pytest.mark.parametrize("report", [None, {"cassettes": {}}])
def test_a_live_run_that_never_reached_pytest_is_an_error(tmp_path: Path, report: dict | None) -> None:
    assert verdict(run_with(tmp_path, "live", junit(PASSED), report), 2).verdict == "error"


def test_commands_serve_the_drift_in_each_mode_and_write_junit(tmp_path: Path) -> None:
    offline = smoke_run("offline", tmp_path, tmp_path / "logs", "response-d", drift="runners_emptied")
    assert offline.command[offline.command.index("--tabmcp-drift") + 1] == "runners_emptied"
    assert "tabmcp_ops.mutants.drift_plugin" in offline.command and "--tabmcp-strict" in offline.command
    assert f"--junitxml={tmp_path / 'logs' / 'response-d.offline.xml'}" in offline.command
    live = smoke_run("live", tmp_path, tmp_path / "logs", "response-d", drift="runners_emptied")
    assert "tabmcp_ops.mutants.response_side:runners_emptied" in live.command
    assert live.command[live.command.index("--report") + 1] == str(tmp_path / "logs" / "response-d.live.json")
    assert live.command[live.command.index("--") + 1 :][:2] == ["-x", "-q"]


def test_execute_keeps_the_output_and_a_timeout_is_an_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    said = Run("offline", [sys.executable, "-c", "print('hello from the run')"], tmp_path, tmp_path, "r")
    assert execute(said).verdict == "error"  # exit 0 but no JUnit XML: never a survivor by default
    assert "hello from the run" in (tmp_path / "r.offline.log").read_text()
    monkeypatch.setattr(runs, "RUN_TIMEOUT_S", 0.5)
    slow = Run("offline", [sys.executable, "-c", "import time; time.sleep(5)"], tmp_path, tmp_path, "s")
    outcome = execute(slow)
    assert (outcome.verdict, outcome.reason) == ("error", "timeout after 0.5 s")
