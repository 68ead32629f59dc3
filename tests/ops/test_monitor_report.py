"""The health report (Markdown + Mermaid xychart-beta) and the alert-issue decision."""

from __future__ import annotations

import re

import pytest

from tabmcp_ops.monitor.alert import Alert, LatencySummary, Probe, SmokeResult
from tabmcp_ops.monitor.cli import apply_issue_action, open_alert_issues
from tabmcp_ops.monitor.history import TrendPoint, all_windows
from tabmcp_ops.monitor.report import (
    ISSUE_LABEL,
    ISSUE_TITLE,
    IssueAction,
    decide_issue_action,
    mermaid_availability,
    mermaid_p95,
    render_report,
)
from tests.ops._monitor_data import NOW, URL, every_15_minutes, record

MERMAID_LINE = re.compile(
    r'^    (title "[^"]*"|x-axis \[("[^"]*"(, )?)+\]|y-axis "[^"]*" \d+ --> \d+|(line|bar) \[[\d., ]+\])$'
)


@pytest.mark.parametrize(
    ("healthy", "open_issues", "expected"),
    [
        (False, [], IssueAction("open")),
        (False, [7], IssueAction("comment", (7,))),
        (False, [9, 7], IssueAction("comment", (7,))),
        (True, [7], IssueAction("close", (7,))),
        (True, [9, 7, 7], IssueAction("close", (7, 9))),
        (True, [], IssueAction("none")),
    ],
)
def test_issue_decision(healthy, open_issues, expected):
    assert decide_issue_action(healthy, open_issues) == expected


class FakeGitHub:
    """A stand-in for `gh` that keeps issues in memory and records every command."""

    def __init__(self) -> None:
        self.issues: dict[int, dict[str, object]] = {}
        self.commands: list[list[str]] = []

    def __call__(self, cmd):
        self.commands.append(list(cmd))
        if cmd[:2] == ["issue", "list"]:
            numbers = [n for n, i in self.issues.items() if i["open"]]
            return "[" + ",".join(f'{{"number": {n}}}' for n in numbers) + "]"
        if cmd[:2] == ["issue", "create"]:
            number = 100 + len(self.issues)
            self.issues[number] = {"open": True, "comments": 0, "body": cmd[cmd.index("--body") + 1]}
        elif cmd[:2] == ["issue", "comment"]:
            self.issues[int(cmd[2])]["comments"] += 1
        elif cmd[:2] == ["issue", "close"]:
            self.issues[int(cmd[2])]["open"] = False
        return ""


def test_one_issue_per_outage_commented_while_failing_and_closed_on_recovery():
    gh = FakeGitHub()
    for healthy in [True, False, False, False, True, True, False, True]:
        action = decide_issue_action(healthy, open_alert_issues(gh, None))
        apply_issue_action(action, f"report healthy={healthy}", gh, None)
    assert sorted(gh.issues) == [100, 101]  # two outages, two issues, never two at once
    assert gh.issues[100] == {
        "open": False,
        "comments": 3,
        "body": "report healthy=False",
    }  # 2 still-failing + recovery
    assert gh.issues[101]["open"] is False and gh.issues[101]["comments"] == 1


def test_open_creates_the_label_then_the_issue_and_repo_is_passed():
    gh = FakeGitHub()
    commands = apply_issue_action(IssueAction("open"), "the report", gh, "acme/tab-mcp")
    assert commands[0][:3] == ["label", "create", ISSUE_LABEL] and "--force" in commands[0]
    assert commands[1][:4] == ["issue", "create", "--title", ISSUE_TITLE]
    assert all(cmd[-2:] == ["--repo", "acme/tab-mcp"] for cmd in gh.commands)


def test_close_comments_with_the_recovery_report_first():
    gh = FakeGitHub()
    gh.issues[5] = {"open": True, "comments": 0, "body": ""}
    commands = apply_issue_action(IssueAction("close", (5,)), "all good", gh, None)
    assert [c[:3] for c in commands] == [["issue", "comment", "5"], ["issue", "close", "5"]]
    assert commands[0][4].startswith("Recovered:") and "all good" in commands[0][4]


def _check_mermaid(block: str) -> list[str]:
    lines = block.strip().splitlines()
    assert lines[0] == "```mermaid" and lines[1] == "xychart-beta" and lines[-1] == "```"
    for line in lines[2:-1]:
        assert MERMAID_LINE.match(line), line
    return lines


def test_p95_chart_is_a_valid_xychart_with_the_limit_line():
    points = [TrendPoint("10:00", 120.0, 1.0), TrendPoint("11:00", 6200.0, 0.5), TrendPoint("12:00", None, 0.0)]
    lines = _check_mermaid(mermaid_p95(points, 'p95 "quoted"'))
    assert '    x-axis ["10:00", "11:00"]' in lines  # the bucket without latency data is left out
    assert "    line [120, 6200]" in lines and "    line [5000, 5000]" in lines
    assert '    y-axis "p95 (ms)" 0 --> 6820' in lines
    assert "    title \"p95 'quoted'\"" in lines


def test_availability_chart_bars_against_the_target():
    lines = _check_mermaid(mermaid_availability([TrendPoint("03-09", 1.0, 1.0), TrendPoint("03-10", 1.0, 0.5)], "a"))
    assert "    bar [100.00, 50.00]" in lines and "    line [99.9, 99.9]" in lines
    assert '    y-axis "availability (%)" 49 --> 100' in lines


def test_charts_without_data_say_so():
    assert mermaid_p95([], "t") == "_No latency data in this window yet._\n"
    assert mermaid_availability([], "t") == "_No runs in this window yet._\n"


def test_report_shows_alerts_run_figures_service_levels_and_charts():
    records = [*every_15_minutes(96, down=1), record(60 * 24 * 3, up=False)]
    report = render_report(
        url=URL,
        now=NOW,
        probe=Probe(reachable=True, status=200, elapsed_ms=35.0),
        smoke=SmokeResult(exit_code=1, tests=10, failures=1, calls=20, unexpected_errors=1, expected_errors=2),
        latency=LatencySummary(calls=22, errors=3, p95_ms=6100.0),
        alerts=[Alert("slow", "p95 latency 6100 ms is above 5000 ms")],
        windows=all_windows(records, NOW),
        records=records,
        run_url="https://github.com/acme/tab-mcp/actions/runs/9",
    )
    assert report.startswith("## tab-mcp health: ❌ FAILING\n")
    assert "- **slow**: p95 latency 6100 ms is above 5000 ms" in report
    assert "| p95 latency | 6100 ms | > 5 s |" in report
    assert "| Error rate | 5.00% (1/20 calls; 2 expected error(s) asserted by tests, not counted) | > 1% |" in report
    assert "| Smoke suite | 9 passed, 1 failed | any failure |" in report
    assert "| 24 h | 96 | ❌ 98.96% |" in report  # 95 of 96 runs up
    assert "| 7 d | 97 | ❌ 97.94% |" in report
    assert report.count("```mermaid") == 3
    assert "https://github.com/acme/tab-mcp/actions/runs/9" in report


def test_healthy_report_has_no_alert_section():
    report = render_report(
        url=URL,
        now=NOW,
        probe=Probe(reachable=True, status=200),
        smoke=None,
        latency=None,
        alerts=[],
        windows=all_windows([], NOW),
        records=[],
    )
    assert report.startswith("## tab-mcp health: ✅ healthy") and "### Alerts" not in report
    assert "| 24 h | 0 | ⚪ n/a |" in report


def test_the_report_names_the_slowest_calls_trace_ids_from_the_latency_json():
    from tabmcp_ops.monitor.alert import parse_latency

    trace = "4bf92f3577b34da6a3ce929d0e0e4736"
    latency = parse_latency(
        {
            "tools": {"racing_get_race": {"calls": 1, "errors": 0, "p95_ms": 2500.0}},
            "slowest": [{"tool": "racing_get_race", "ms": 2500.0, "trace_id": trace}, {"tool": "broken"}],
        }
    )
    assert latency.slowest_traces == (("racing_get_race", 2500.0, trace),)  # the incomplete entry is dropped
    report = render_report(
        url=URL,
        now=NOW,
        probe=Probe(reachable=True, status=200),
        smoke=SmokeResult(exit_code=0, tests=1, calls=1),
        latency=latency,
        alerts=[],
        windows=[],
        records=[],
    )
    assert f"| Slowest calls | `racing_get_race` 2500 ms (trace `{trace}`) | |" in report
