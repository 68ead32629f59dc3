"""The drift class plugin: gathers contract violations from test reports and reports them once, at the end.

Registered next to the latency reporter, on the controller only (xdist ships ``user_properties``). The
section joins the latency report through the ``pytest_tabmcp_latency_report`` hook, so it is written into
the ``--tabmcp-latency-json`` file under ``"drift"`` (see :mod:`pytest_tabmcp.contracts.drift`).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pytest

from pytest_tabmcp.contracts.drift import (
    DRIFT_PROPERTY,
    DriftEntry,
    build_section,
    entry_from_property,
    format_lines,
    format_markdown,
)
from pytest_tabmcp.reporting.report_io import append_step_summary, teardown_properties


class DriftReporter:
    """Collects :class:`DriftEntry` from test reports; adds the drift section to the run's report."""

    def __init__(self) -> None:
        self.entries: list[DriftEntry] = []
        self.checked = 0
        self.section: dict[str, Any] | None = None
        self.calls_checked = False

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        """Take a finished test's violations from its teardown report (which carries them all, once)."""
        for value in teardown_properties(report, DRIFT_PROPERTY):
            if isinstance(value, Mapping):
                self.entries.append(entry_from_property(report.nodeid, value))

    def pytest_tabmcp_latency_report(self, config: pytest.Config, report: dict[str, Any]) -> None:
        """Add ``drift`` to the run report (and so to its JSON file) and to the GitHub step summary."""
        self.section = build_section(self.entries)
        self.calls_checked = bool(report.get("tools"))
        report["drift"] = self.section
        if self.section["violations"] or report.get("tools"):
            append_step_summary(format_markdown(self.section))

    def pytest_terminal_summary(self, terminalreporter: Any) -> None:
        """Print the ``tab-mcp upstream contract drift`` section when any tool was called."""
        section = self.section
        if section is None or not (self.calls_checked or section["violations"]):
            return
        terminalreporter.write_sep("=", "tab-mcp upstream contract drift")
        for line in format_lines(section):
            terminalreporter.write_line(line, red=bool(section["violations"]), green=not section["violations"])
