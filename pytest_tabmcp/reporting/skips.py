"""The skip class plugin: lists every skipped test with its reason, and fails the run under ``--tabmcp-strict``.

A skip is how a live smoke test says "the data had nothing to check" (no meeting, no open match). Counted
silently, eleven such skips look like a green run; listed, the terminal summary, the latency JSON (key
``skipped``), the GitHub step summary and the monitor all show what was not checked. Under ``--tabmcp-strict``
every skip fails the run, except a test whose ``offline_only``/``live_only``/``destructive`` marker excludes
it from this mode on purpose. Registered on the controller only; xdist ships each report's ``user_properties`` there.
"""

from __future__ import annotations

from collections.abc import Generator
from typing import Any

import pytest

from pytest_tabmcp.markers import EXCLUDED_PROPERTY
from pytest_tabmcp.options import TabmcpOptions
from pytest_tabmcp.reporting.report_io import append_step_summary
from pytest_tabmcp.reporting.skipped import SkippedTest, markdown_table


def skip_reason(report: pytest.TestReport) -> str:
    """The reason text of a skipped report, without pytest's ``Skipped: `` prefix."""
    longrepr = report.longrepr
    text = longrepr[2] if isinstance(longrepr, tuple) and len(longrepr) == 3 else str(longrepr)
    return str(text).removeprefix("Skipped: ")


def format_markdown(skipped: list[SkippedTest], *, strict: bool) -> str:
    """The skipped tests as a GitHub step summary section (appended beside the latency and drift sections)."""
    lines = [f"### tab-mcp skipped tests ({len(skipped)})", "", *markdown_table(skipped)]
    failing = strict_failures(skipped)
    if strict and failing:
        lines += ["", f"**FAIL --tabmcp-strict: {len(failing)} test(s) skipped.**"]
    return "\n".join(lines) + "\n"


def strict_failures(skipped: list[SkippedTest]) -> list[SkippedTest]:
    """The skips ``--tabmcp-strict`` does not forgive: every one not excluded by the mode on purpose."""
    return [s for s in skipped if s.excluded_by is None]


class SkipReporter:
    """Collects skipped tests; reports them and, when strict, counts unexcused ones as a failure."""

    def __init__(self, config: pytest.Config, options: TabmcpOptions) -> None:
        self.config = config
        self.options = options
        self.skipped: list[SkippedTest] = []

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        """Record a skip (at setup or in the call); an xfail also reports ``skipped`` and is left out."""
        if not report.skipped or hasattr(report, "wasxfail"):
            return
        excluded = next((str(v) for k, v in report.user_properties if k == EXCLUDED_PROPERTY), None)
        self.skipped.append(SkippedTest(report.nodeid, skip_reason(report), excluded))

    @pytest.hookimpl(wrapper=True)
    def pytest_runtestloop(self, session: pytest.Session) -> Generator[None, object, object]:
        """After the loop: under --tabmcp-strict an unexcused skip counts as a failure (exit code 1)."""
        try:
            return (yield)
        finally:
            if self.options.strict and strict_failures(self.skipped):
                session.testsfailed += 1

    def pytest_tabmcp_latency_report(self, config: pytest.Config, report: dict[str, Any]) -> None:
        """Add the skipped tests to the latency report, so ``--tabmcp-latency-json`` and the monitor see them."""
        report["skipped"] = [s.to_dict() for s in self.skipped]
        report["strict"] = self.options.strict
        if self.skipped:
            append_step_summary(format_markdown(self.skipped, strict=self.options.strict))

    def pytest_terminal_summary(self, terminalreporter: Any) -> None:
        """Print the ``tab-mcp skipped tests`` section, and the strict verdict naming each failing skip."""
        if not self.skipped:
            return
        tr = terminalreporter
        tr.write_sep("=", f"tab-mcp skipped tests ({len(self.skipped)})")
        for skip in self.skipped:
            note = f" [excluded by {skip.excluded_by}]" if skip.excluded_by else ""
            tr.write_line(f"{skip.nodeid}: {skip.reason}{note}")
        failing = strict_failures(self.skipped)
        if self.options.strict and failing:
            tr.write_line(f"FAIL --tabmcp-strict: {len(failing)} test(s) skipped:", red=True)
            for skip in failing:
                tr.write_line(f"  {skip.nodeid} skipped: {skip.reason}", red=True)
