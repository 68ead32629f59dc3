"""One smoke run of one mutant in one mode, and its verdict read from pytest's JUnit XML (never the exit code alone).

- *killed*: a test failed (an assertion, a contract check, an offline replay miss, or an exception of the test's
  own code on the drifted data, named in the reason), a fixture's assertion failed at setup, the run failed a
  strict skip, or (live) the stand-in had no cassette for a request;
- *survived*: pytest passed and nothing missed;
- *error*: anything that says nothing about the suite's assertions: a timeout, an exit code pytest uses for an
  internal, usage or collection error, a missing or unreadable JUnit XML, an exception at setup that is not an
  assertion, a live process that did not start. An error fails ``make mutants``.

Every run's output goes to ``<log_dir>/<slug>.<mode>.log`` next to its ``.xml`` (and live, ``.json``).
"""

from __future__ import annotations

import json
import os
import re
import subprocess  # nosec B404
import sys
import xml.etree.ElementTree as ET  # nosec B405 - our own pytest's output, not untrusted input
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

Verdict = Literal["killed", "survived", "error"]
RUN_TIMEOUT_S = 300
#: Failures that mean the suite noticed: an assertion or ``pytest.fail`` (contracts, replay misses) at setup.
_NOTICED_AT_SETUP = re.compile(r'failed on (setup|teardown) with "(AssertionError|Failed)\b')
_DRIFT = "upstream contract drift"
_MISS = "the cassette has no recorded response"


@dataclass(frozen=True)
class Outcome:
    """A mode's verdict, why (the first failing test, the miss, the error) and the log that shows it."""

    verdict: Verdict
    reason: str
    log: str


@dataclass(frozen=True)
class Run:
    """One mode of one mutant: the command, its working tree, and where its log and reports go."""

    mode: str
    command: list[str]
    root: Path
    log_dir: Path
    slug: str

    def path(self, suffix: str) -> Path:
        """``<log_dir>/<slug>.<mode><suffix>``."""
        return self.log_dir / f"{self.slug}.{self.mode}{suffix}"


def pytest_reporting(run_path: Any) -> list[str]:
    """The pytest arguments every run gets: its JUnit XML (xunit1, which keeps the plugin's properties)."""
    return [f"--junitxml={run_path('.xml')}", "-o", "junit_family=xunit1"]


def smoke_run(mode: str, root: Path, log_dir: Path, slug: str, *, drift: str | None = None) -> Run:
    """The run of ``mode`` (``offline`` or ``live``) in ``root``, serving ``drift`` if given; strict, stop at first."""
    run = Run(mode, [], root, log_dir, slug)
    python = sys.executable
    if mode == "offline":
        command = [python, "-m", "pytest", "-m", "smoke", "--tabmcp-strict", "-x", "-q", "-p", "no:cacheprovider"]
        if drift:
            command += ["-p", "tabmcp_ops.mutants.drift_plugin", "--tabmcp-drift", drift]
        command += [*pytest_reporting(run.path), "tests/smoke"]
    else:
        command = [python, "-m", "tabmcp_ops.live_smoke", "--cassette-dir", str(root / "cassettes")]
        if drift:
            command += ["--response-transform", f"tabmcp_ops.mutants.response_side:{drift}"]
        command += ["--report", str(run.path(".json")), "--", "-x", "-q", *pytest_reporting(run.path)]
    return Run(mode, command, root, log_dir, slug)


def execute(run: Run) -> Outcome:
    """Run it (bounded by ``RUN_TIMEOUT_S``) with its output in its log, then read the verdict."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TAB_", "TABMCP_"))}
    env["PYTHONPATH"] = str(run.root)  # the scratch copy's packages win over the editable install of the checkout
    log = run.path(".log")
    with log.open("wb") as out:
        try:
            done = subprocess.run(  # noqa: S603 # nosec B603 - fixed argv
                run.command, cwd=run.root, env=env, stdout=out, stderr=subprocess.STDOUT, timeout=RUN_TIMEOUT_S
            )
        except subprocess.TimeoutExpired:
            return Outcome("error", f"timeout after {RUN_TIMEOUT_S} s", str(log))
    return verdict(run, done.returncode)


def verdict(run: Run, exit_code: int) -> Outcome:
    """Read the run's JUnit XML (and, live, its report of stand-in misses) into an :class:`Outcome`."""
    log = str(run.path(".log"))
    missed: list[str] = []
    if run.mode == "live":
        try:
            reports = json.loads(run.path(".json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return Outcome("error", f"no live report (exit {exit_code}): a process did not start?", log)
        missed = [line for report in reports.values() for line in report.get("missed", [])]
        if any("pytest_exit" not in report for report in reports.values()):
            return Outcome("error", f"the live run did not reach pytest (exit {exit_code})", log)
        exit_code = max(int(report["pytest_exit"]) for report in reports.values())
    if exit_code not in (0, 1):
        return Outcome("error", f"pytest exit {exit_code} (internal, usage or collection error)", log)
    try:
        cases = ET.parse(run.path(".xml")).getroot().iter("testcase")  # noqa: S314 # nosec B314
    except (OSError, ET.ParseError):
        return Outcome("error", f"no readable JUnit XML (exit {exit_code})", log)
    return judge(list(cases), exit_code, missed, log)


def judge(cases: list[ET.Element], exit_code: int, missed: list[str], log: str) -> Outcome:
    """The verdict from the test cases: the first failure or setup error decides, then misses, then the exit."""
    for case in cases:
        name = f"{case.get('classname', '')}::{case.get('name', '')}"
        failure, error = case.find("failure"), case.find("error")
        if failure is not None:
            return Outcome("killed", f"{_kind(failure)}: {name}", log)
        if error is not None:
            message = error.get("message", "")
            if _NOTICED_AT_SETUP.search(message):
                return Outcome("killed", f"{_kind(error)} at setup: {name}", log)
            return Outcome("error", f"setup error in {name}: {message[:160]}", log)
    if missed:
        return Outcome("killed", f"stand-in miss: {missed[0]}", log)
    if exit_code == 1:
        # pytest failed with no failing test: --tabmcp-strict refused a skip (the data no longer has what a
        # test needs), which is the suite noticing.
        skipped = next((c for c in cases if c.find("skipped") is not None), None)
        if skipped is not None:
            return Outcome("killed", f"strict skip: {skipped.get('classname')}::{skipped.get('name')}", log)
        return Outcome("error", "pytest exit 1 with no failing or skipped test", log)
    if not cases:
        return Outcome("error", "the JUnit XML holds no test", log)
    return Outcome("survived", f"{len(cases)} tests passed", log)


def _kind(element: ET.Element) -> str:
    text = f"{element.get('message', '')}\n{element.text or ''}"
    if _DRIFT in text:
        return "contract"
    if _MISS in text or "STANDIN_NO_CASSETTE" in text:
        return "miss"
    raised = re.match(r"([\w.]+(Error|Exception)|Failed)\b", element.get("message", ""))
    if raised is None or raised.group(1) in ("AssertionError", "Failed"):
        return "assertion"
    # A test that stumbles on the drifted data (a KeyError on a renamed field) noticed it too: named, not hidden.
    return f"{raised.group(1)} in the test"
