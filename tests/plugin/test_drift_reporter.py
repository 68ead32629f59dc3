"""The drift class plugin end to end: a call whose result breaks its contract fails its test with one
sentence per difference, and the run's drift section reaches the terminal, the JSON file and the step summary,
the same with ``-n 2`` as serially."""

from __future__ import annotations

import json

import pytest

from tests.helpers.plugin_project import DEMO_CASSETTE, ROUTES, read_json, yaml_interaction

# The demo upstream with the dates list drifted: dateName renamed, meetingDate turned into a number.
DRIFTED_DATES = {"dates": [{"meetingDate": 20260923, "dateLabel": "today", "_links": {"meetings": "x"}}]}
DRIFTED = (
    "interactions:\n"
    + "".join(
        yaml_interaction(method, path, status, DRIFTED_DATES if path.endswith("/racing/dates") else body)
        for (method, path), (status, body) in ROUTES.items()
    )
    + "version: 1\n"
)
CALLS = """
import pytest

pytestmark = pytest.mark.anyio

@pytest.mark.parametrize("n", range(2))
async def test_dates(call_tool, n):
    await call_tool("racing_get_all_meeting_dates")

async def test_meetings(call_tool):
    await call_tool("racing_get_meetings", {"meeting_date": "2026-09-23"})
"""
MISSING = (
    "racing_get_all_meeting_dates: at $.dates[*].dateName the contract expects a string, but the field is missing."
)
RETYPED = (
    "racing_get_all_meeting_dates: at $.dates[*].meetingDate the contract expects a YYYY-MM-DD date, "
    "but got an integer."
)


@pytest.mark.parametrize("workers", [(), ("-n", "2")], ids=["serial", "xdist"])
def test_drift_fails_the_calls_and_is_reported_once(
    project: pytest.Pytester, monkeypatch: pytest.MonkeyPatch, workers: tuple[str, ...]
) -> None:
    assert DRIFTED != DEMO_CASSETTE
    (project.path / "cassettes" / "demo.yaml").write_text(DRIFTED, encoding="utf-8")
    project.makepyfile(test_demo=CALLS)
    summary = project.path / "summary.md"
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    result = project.runpytest_subprocess("-p", "no:randomly", *workers, "--tabmcp-latency-json=out.json")
    result.assert_outcomes(passed=1, failed=2)
    lines = result.outlines  # plain comparisons: "[*]" in the paths is a character class to fnmatch
    headline = "upstream contract drift: the result of racing_get_all_meeting_dates differs from its contract in 2"
    assert sum(line.startswith(headline) for line in lines) == 2  # each failing test says it
    section = lines.index(next(line for line in lines if "= tab-mcp upstream contract drift =" in line))
    assert lines[section + 1 : section + 4] == [
        "2 difference(s) in 1 tool(s), in 2 test(s):",
        f"  {MISSING}",
        f"  {RETYPED}",
    ]
    drift = read_json(project.path / "out.json")["drift"]
    assert drift == {
        "violations": 2,
        "tools": {"racing_get_all_meeting_dates": [MISSING, RETYPED]},
        "tests": ["test_demo.py::test_dates[0]", "test_demo.py::test_dates[1]"],
    }
    markdown = summary.read_text(encoding="utf-8")
    assert "### tab-mcp upstream contract drift" in markdown and f"- {RETYPED}" in markdown
    assert "20260923" not in result.stdout.str() + json.dumps(drift) + markdown  # no values, only types
