"""The latency class plugin end to end: terminal table, JSON, step summary, budget exit code, xdist, hook."""

from __future__ import annotations

import pytest

from tests.helpers.plugin_project import DEMO_CASSETTE, INNER_CONFTEST, read_json

CALLS = """
import pytest

pytestmark = pytest.mark.anyio
ARGS = {"meeting_date": "2026-09-23", "race_type": "R", "venue_mnemonic": "WFM", "race_number": 99}

@pytest.mark.parametrize("n", range(3))
async def test_dates(call_tool, n):
    await call_tool("racing_get_all_meeting_dates")

async def test_meetings_twice(call_tool):
    await call_tool("racing_get_meetings", {"meeting_date": "2026-09-23"})
    await call_tool("racing_get_meetings", {"meeting_date": "2026-09-23"})

async def test_missing_race(call_tool):
    await call_tool("racing_get_race", ARGS, expect_error=True)
"""
EXPECTED_COUNTS = {
    "racing_get_all_meeting_dates": (3, 0),
    "racing_get_meetings": (2, 0),
    "racing_get_race": (1, 1),
}


def counts(report: dict) -> dict[str, tuple[int, int]]:
    return {name: (row["calls"], row["errors"]) for name, row in report["tools"].items()}


def test_terminal_table_per_tool(project: pytest.Pytester) -> None:
    project.makepyfile(test_demo=CALLS)
    result = project.runpytest()
    result.assert_outcomes(passed=5)
    result.stdout.fnmatch_lines(
        [
            "*= tab-mcp latency (offline) =*",
            "tool                          calls  errors  p50 ms  p95 ms  max ms",
            "racing_get_all_meeting_dates      3       0  * * *",
            "racing_get_meetings               2       0  * * *",
            "racing_get_race                   1       1  * * *",
            "(all tools)                       6       1  * * *",
        ],
        consecutive=True,
    )


def test_json_report_has_the_documented_schema(project: pytest.Pytester) -> None:
    project.makepyfile(test_demo=CALLS)
    result = project.runpytest("--tabmcp-latency-json=out/latency.json", "--tabmcp-latency-budget=max=60000")
    result.assert_outcomes(passed=5)
    report = read_json(project.path / "out" / "latency.json")
    # "skipped" and "strict" come from the skip reporter (pytest_tabmcp.reporting.skips), "drift" from the contracts
    # reporter (pytest_tabmcp.reporting.drift), both through the report hook.
    assert set(report) == {"mode", "tools", "overall", "budget", "breaches", "slowest", "skipped", "strict", "drift"}
    # Every call carries a fresh trace id; the slowest ones are named, slowest first.
    assert report["slowest"] and {len(entry["trace_id"]) for entry in report["slowest"]} == {32}
    assert [e["ms"] for e in report["slowest"]] == sorted((e["ms"] for e in report["slowest"]), reverse=True)
    assert report["drift"] == {"violations": 0, "tools": {}, "tests": []}
    assert report["mode"] == "offline" and report["budget"] == {"max_ms": 60000.0} and report["breaches"] == []
    assert counts(report) == EXPECTED_COUNTS
    for row in report["tools"].values():
        assert set(row) == {"calls", "errors", "p50_ms", "p95_ms", "max_ms"}
        assert 0 < row["p50_ms"] <= row["p95_ms"] <= row["max_ms"]
    result.stdout.fnmatch_lines(
        ["tab-mcp latency budget met: max <= 60000 ms", "tab-mcp latency JSON written to */out/latency.json"]
    )


def test_budget_breach_fails_the_run_naming_tool_and_percentile(project: pytest.Pytester) -> None:
    """Acceptance: with a 0.001 ms budget the run fails with a message naming the tool."""
    project.makepyfile(test_demo=CALLS)
    result = project.runpytest("--tabmcp-latency-budget=p95=0.001", "--tabmcp-latency-json=latency.json")
    assert result.ret == pytest.ExitCode.TESTS_FAILED
    result.assert_outcomes(passed=5)  # every test passed: the budget alone fails the run
    result.stdout.fnmatch_lines(
        [
            "FAIL tab-mcp latency budget (p95 <= 0.001 ms):",
            "  racing_get_all_meeting_dates p95 * ms exceeds the budget of 0.001 ms",
            "  racing_get_meetings p95 * ms exceeds the budget of 0.001 ms",
            "  racing_get_race p95 * ms exceeds the budget of 0.001 ms",
        ],
        consecutive=True,
    )
    breaches = read_json(project.path / "latency.json")["breaches"]
    assert [(b["tool"], b["stat"], b["budget_ms"]) for b in breaches] == [
        ("racing_get_all_meeting_dates", "p95", 0.001),
        ("racing_get_meetings", "p95", 0.001),
        ("racing_get_race", "p95", 0.001),
    ]


def test_step_summary_gets_a_markdown_table(project: pytest.Pytester, monkeypatch: pytest.MonkeyPatch) -> None:
    summary = project.path / "summary.md"
    summary.write_text("# earlier step output\n", encoding="utf-8")
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    project.makepyfile(test_demo=CALLS)
    project.runpytest("--tabmcp-latency-budget=max=60000").assert_outcomes(passed=5)
    lines = summary.read_text(encoding="utf-8").splitlines()
    assert lines[0] == "# earlier step output", "the summary must be appended to, never overwritten"
    assert "### tab-mcp latency (offline)" in lines
    assert "| tool | calls | errors | p50 ms | p95 ms | max ms |" in lines
    assert any(line.startswith("| `racing_get_race` | 1 | 1 |") for line in lines)
    assert "Budget max <= 60000 ms: met" in lines


def test_no_timed_calls_means_no_section_and_no_summary(
    project: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    summary = project.path / "summary.md"
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    project.makepyfile(test_plain="def test_nothing(): pass\n")
    result = project.runpytest("--tabmcp-latency-json=latency.json")
    result.assert_outcomes(passed=1)
    assert "tab-mcp latency" not in result.stdout.str()
    assert not summary.exists()
    assert read_json(project.path / "latency.json")["tools"] == {}  # the monitor always gets a file


def test_collect_only_writes_nothing(project: pytest.Pytester) -> None:
    project.makepyfile(test_demo=CALLS)
    project.runpytest("--collect-only", "--tabmcp-latency-json=latency.json")
    assert not (project.path / "latency.json").exists()


HOOK_CONFTEST = (
    INNER_CONFTEST
    + """
import json, os

def pytest_tabmcp_latency_report(config, report):
    with open(os.path.join(str(config.rootpath), "hook-calls.txt"), "a") as fh:
        fh.write(json.dumps(sorted(report["tools"])) + "\\n")
    report["extra_sink"] = "seen"
"""
)


def test_latency_hook_is_called_once_and_can_extend_the_report(project: pytest.Pytester) -> None:
    project.makeconftest(HOOK_CONFTEST)
    project.makepyfile(test_demo=CALLS)
    project.runpytest("--tabmcp-latency-json=latency.json").assert_outcomes(passed=5)
    calls = (project.path / "hook-calls.txt").read_text(encoding="utf-8").splitlines()
    assert calls == ['["racing_get_all_meeting_dates", "racing_get_meetings", "racing_get_race"]']
    assert read_json(project.path / "latency.json")["extra_sink"] == "seen"


def test_xdist_gives_the_same_totals_as_serial(project: pytest.Pytester) -> None:
    """Acceptance: with -n 2 the totals are the same as serial; the hook still runs once, on the controller."""
    project.makeconftest(HOOK_CONFTEST)
    project.makepyfile(test_demo=CALLS, test_more=CALLS)
    (project.path / "cassettes" / "more.yaml").write_text(DEMO_CASSETTE, encoding="utf-8")
    serial = project.runpytest_subprocess("-p", "no:randomly", "--tabmcp-latency-json=serial.json")
    serial.assert_outcomes(passed=10)
    parallel = project.runpytest_subprocess("-p", "no:randomly", "-n", "2", "--tabmcp-latency-json=parallel.json")
    parallel.assert_outcomes(passed=10)
    doubled = {name: (calls * 2, errors * 2) for name, (calls, errors) in EXPECTED_COUNTS.items()}
    assert counts(read_json(project.path / "serial.json")) == doubled
    assert counts(read_json(project.path / "parallel.json")) == doubled
    assert len((project.path / "hook-calls.txt").read_text(encoding="utf-8").splitlines()) == 2  # one per run
    parallel.stdout.fnmatch_lines(["*= tab-mcp latency (offline) =*", "(all tools)   * 12       2  *"])
