"""What the reporters share (``reporting.report_io``): a report's properties, once, and the step summary."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal

import pytest

from pytest_tabmcp.reporting.report_io import SUMMARY_ENV, append_step_summary, teardown_properties


def report(when: Literal["setup", "call", "teardown"], properties: Any) -> pytest.TestReport:
    return pytest.TestReport("t.py::x", ("t.py", 0, "x"), {}, "passed", None, when, user_properties=properties)


def test_properties_are_read_from_the_teardown_report_only() -> None:
    properties = [("tabmcp_call", {"tool": "a"}), ("other", 1), ("tabmcp_call", {"tool": "b"})]
    assert list(teardown_properties(report("teardown", properties), "tabmcp_call")) == [{"tool": "a"}, {"tool": "b"}]
    # setup and call reports carry the same entries; reading them too would count each call twice
    assert list(teardown_properties(report("call", properties), "tabmcp_call")) == []
    assert list(teardown_properties(report("teardown", properties), "absent")) == []


def test_the_step_summary_is_appended_to_only_under_actions(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    summary = tmp_path / "summary.md"
    monkeypatch.delenv(SUMMARY_ENV, raising=False)
    append_step_summary("## ignored")
    assert not summary.exists()
    summary.write_text("## before\n", encoding="utf-8")
    monkeypatch.setenv(SUMMARY_ENV, str(summary))
    append_step_summary("## latency")
    append_step_summary("## drift")
    assert summary.read_text(encoding="utf-8") == "## before\n## latency\n## drift\n"
