"""The latency, drift and skip reporters share one run: each section appears once, in the terminal summary, the
``--tabmcp-latency-json`` file and the GitHub step summary, and none overwrites another."""

from __future__ import annotations

import pytest

from tests.helpers.plugin_project import read_json
from tests.plugin.test_drift_reporter import DRIFTED, RETYPED

# One drifted call (dates), one clean call (meetings), one skip for lack of data.
CALLS = """
import pytest

pytestmark = pytest.mark.anyio

async def test_dates(call_tool):
    await call_tool("racing_get_all_meeting_dates")

async def test_meetings(call_tool):
    await call_tool("racing_get_meetings", {"meeting_date": "2026-09-23"})

def test_no_data():
    pytest.skip("no data: no open match today")
"""
SECTIONS = ("tab-mcp latency", "tab-mcp upstream contract drift", "tab-mcp skipped tests (1)")


def test_drift_skips_and_latency_all_reach_every_report(
    project: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    (project.path / "cassettes" / "demo.yaml").write_text(DRIFTED, encoding="utf-8")
    project.makepyfile(test_demo=CALLS)
    summary = project.path / "summary.md"
    summary.write_text("# earlier step\n", encoding="utf-8")  # the step summary is appended to, never replaced
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    result = project.runpytest_subprocess("--tabmcp-latency-json=out.json", "--tabmcp-strict")
    result.assert_outcomes(passed=1, failed=1, skipped=1)
    assert result.ret == 1

    terminal = result.stdout.str()
    for title in SECTIONS:
        assert terminal.count(f" {title} ") == 1, title
    assert "FAIL --tabmcp-strict: 1 test(s) skipped:" in terminal and f"  {RETYPED}" in terminal

    report = read_json(project.path / "out.json")
    assert set(report["tools"]) == {"racing_get_all_meeting_dates", "racing_get_meetings"}
    assert report["drift"]["violations"] == 2 and report["drift"]["tests"] == ["test_demo.py::test_dates"]
    assert report["skipped"] == [
        {"test": "test_demo.py::test_no_data", "reason": "no data: no open match today", "excluded_by": None}
    ]

    markdown = summary.read_text(encoding="utf-8")
    assert markdown.startswith("# earlier step\n")
    for title in SECTIONS:
        assert markdown.count(f"### {title}") == 1, title
    assert f"- {RETYPED}" in markdown
    assert "| `test_demo.py::test_no_data` | no data: no open match today |" in markdown
    assert "**FAIL --tabmcp-strict: 1 test(s) skipped.**" in markdown
