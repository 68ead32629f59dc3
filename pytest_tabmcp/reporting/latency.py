"""The latency class plugin: merges timed calls from every test report and reports them once, at the end.

Each timed call rides on its test's report as a ``user_properties`` entry (see ``fixtures.call_tool``), and
xdist ships ``user_properties`` from workers to the controller. This plugin is registered only on the
controller (or a plain run), so the numbers with ``-n 2`` are the same as serially.
"""

from __future__ import annotations

import json
from collections.abc import Generator, Mapping
from typing import Any

import pytest

from pytest_tabmcp.latency import (
    CALL_PROPERTY,
    CallSample,
    build_report,
    format_budget,
    format_markdown,
    format_slowest,
    format_table,
)
from pytest_tabmcp.options import TabmcpOptions
from pytest_tabmcp.reporting.report_io import append_step_summary, teardown_properties


class LatencyReporter:
    """Collects :class:`CallSample` from test reports; prints, writes and enforces the latency report."""

    def __init__(self, config: pytest.Config, options: TabmcpOptions) -> None:
        self.config = config
        self.options = options
        self.samples: list[CallSample] = []
        self.report: dict[str, Any] | None = None

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        """Take the calls of a finished test from its teardown report (which carries them all, once)."""
        for value in teardown_properties(report, CALL_PROPERTY):
            if isinstance(value, Mapping):
                self.samples.append(CallSample.from_property(value))

    @pytest.hookimpl(wrapper=True)
    def pytest_runtestloop(self, session: pytest.Session) -> Generator[None, object, object]:
        """Build the report after the loop; a budget breach counts as a failure, like ``--cov-fail-under``."""
        # Bumping testsfailed here is what gives exit code 1: by pytest_sessionfinish it would be too late.
        # ``finally``: an -x stop or a KeyboardInterrupt still gets its report and JSON file.
        try:
            return (yield)
        finally:
            if not self.config.option.collectonly:
                self.report = self._finish()
                if self.report["breaches"]:
                    session.testsfailed += 1

    def _finish(self) -> dict[str, Any]:
        report = build_report(self.samples, mode=self.options.mode, budget=self.options.latency_budget)
        self.config.hook.pytest_tabmcp_latency_report(config=self.config, report=report)
        if self.options.latency_json is not None:
            path = self.options.latency_json
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(json.dumps(report, indent=2, sort_keys=False) + "\n", encoding="utf-8")
        if self.samples:
            append_step_summary(format_markdown(report))
        return report

    def pytest_terminal_summary(self, terminalreporter: Any) -> None:
        """Print the ``tab-mcp latency`` section: one row per tool, then the budget verdict."""
        report = self.report
        if report is None or not report["tools"]:
            return
        tr = terminalreporter
        tr.write_sep("=", f"tab-mcp latency ({report['mode']})")
        for line in format_table(report) + format_slowest(report):
            tr.write_line(line)
        if self.options.latency_budget:
            if report["breaches"]:
                tr.write_line(f"FAIL tab-mcp latency budget ({format_budget(self.options.latency_budget)}):", red=True)
                for breach in report["breaches"]:
                    tr.write_line(f"  {breach['message']}", red=True)
            else:
                tr.write_line(f"tab-mcp latency budget met: {format_budget(self.options.latency_budget)}", green=True)
        if self.options.latency_json is not None:
            tr.write_line(f"tab-mcp latency JSON written to {self.options.latency_json}")
