"""The monitor's Markdown health report (with Mermaid ``xychart-beta`` trends) and its alert-issue decision.

Both are pure functions of one run's evaluation and the history, so they are unit-tested without GitHub.
The issue policy (after Upptime): open ONE issue when health fails and none is open, comment on it while
it stays failing, and comment-then-close every open one on the first healthy run.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from tabmcp_ops.monitor.alert import (
    ERROR_RATE_LIMIT,
    P95_LIMIT_MS,
    Alert,
    LatencySummary,
    Probe,
    SmokeResult,
    error_count,
)
from tabmcp_ops.monitor.history import (
    AVAILABILITY_TARGET,
    ERROR_RATE_TARGET,
    HistoryRecord,
    TrendPoint,
    WindowStats,
    trend,
)
from tabmcp_ops.monitor.sessions import SessionGauge, gauge_row

ISSUE_TITLE = "tab-mcp health check failing"
ISSUE_LABEL = "tabmcp-monitor"


@dataclass(frozen=True)
class IssueAction:
    """What to do with the alert issue: ``open``, ``comment``, ``close`` or ``none``, and on which issues."""

    kind: str
    numbers: tuple[int, ...] = ()


def decide_issue_action(healthy: bool, open_issues: Sequence[int]) -> IssueAction:
    """Decide the alert-issue action from this run's health and the numbers of the open alert issues.

    failing + none open -> open; failing + open -> comment on the oldest; healthy + open -> close them all
    (a duplicate left by a race is closed too); healthy + none open -> nothing.
    """
    ordered = tuple(sorted(set(open_issues)))
    if not healthy:
        return IssueAction("comment", ordered[:1]) if ordered else IssueAction("open")
    return IssueAction("close", ordered) if ordered else IssueAction("none")


def _pct(value: float | None, digits: int = 2) -> str:
    return "n/a" if value is None else f"{value * 100:.{digits}f}%"


def _ms(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.0f} ms"


def _mark(ok: bool | None) -> str:
    return "⚪" if ok is None else ("✅" if ok else "❌")


def _quote(label: str) -> str:
    return '"' + label.replace('"', "'") + '"'


def mermaid_p95(points: list[TrendPoint], title: str) -> str:
    """Render p95 per bucket as an ``xychart-beta`` line chart, with the 5 s alert limit as a second line."""
    shown = [p for p in points if p.p95_ms is not None]
    if not shown:
        return "_No latency data in this window yet._\n"
    top = max(P95_LIMIT_MS, *(p.p95_ms or 0.0 for p in shown)) * 1.1
    labels = ", ".join(_quote(p.label) for p in shown)
    values = ", ".join(f"{p.p95_ms:.0f}" for p in shown)
    limit = ", ".join(f"{P95_LIMIT_MS:.0f}" for _ in shown)
    return (
        "```mermaid\nxychart-beta\n"
        f"    title {_quote(title)}\n"
        f"    x-axis [{labels}]\n"
        f'    y-axis "p95 (ms)" 0 --> {top:.0f}\n'
        f"    line [{values}]\n"
        f"    line [{limit}]\n"
        "```\n"
    )


def mermaid_availability(points: list[TrendPoint], title: str) -> str:
    """Render availability (%) per bucket as an ``xychart-beta`` bar chart, with the 99.9 % target as a line."""
    if not points:
        return "_No runs in this window yet._\n"
    lowest = min(p.availability for p in points) * 100
    bottom = max(0.0, min(lowest, AVAILABILITY_TARGET * 100) - 1.0)
    labels = ", ".join(_quote(p.label) for p in points)
    values = ", ".join(f"{p.availability * 100:.2f}" for p in points)
    target = ", ".join(f"{AVAILABILITY_TARGET * 100:.1f}" for _ in points)
    return (
        "```mermaid\nxychart-beta\n"
        f"    title {_quote(title)}\n"
        f"    x-axis [{labels}]\n"
        f'    y-axis "availability (%)" {bottom:.0f} --> 100\n'
        f"    bar [{values}]\n"
        f"    line [{target}]\n"
        "```\n"
    )


def render_charts(records: list[HistoryRecord], now: datetime) -> str:
    """Render the trend charts: p95 hourly over 24 h and daily over 7 d, availability daily over 7 d."""
    return "\n".join(
        [
            "#### p95 latency, last 24 h (hourly median; second line = 5 s alert limit)\n",
            mermaid_p95(trend(records, now, timedelta(hours=24), "hour"), "p95 latency (ms), last 24 h"),
            "#### p95 latency, last 7 days (daily median)\n",
            mermaid_p95(trend(records, now, timedelta(days=7), "day"), "p95 latency (ms), last 7 days"),
            "#### Availability, last 7 days (daily; line = 99.9 % target)\n",
            mermaid_availability(trend(records, now, timedelta(days=7), "day"), "availability (%), last 7 days"),
        ]
    )


def render_report(
    *,
    url: str,
    now: datetime,
    probe: Probe,
    smoke: SmokeResult | None,
    latency: LatencySummary | None,
    alerts: list[Alert],
    windows: list[WindowStats],
    records: list[HistoryRecord],
    run_url: str | None = None,
    sessions: SessionGauge | None = None,
) -> str:
    """Render the full health report (step summary and alert issue body)."""
    state = "✅ healthy" if not alerts else "❌ FAILING"
    lines = [f"## tab-mcp health: {state}", "", f"Checked `{url}` at {now.strftime('%Y-%m-%d %H:%M UTC')}."]
    if run_url:
        lines.append(f"Workflow run: {run_url}")
    lines.append("")
    if alerts:
        lines += ["### Alerts", ""] + [f"- **{a.code}**: {a.message}" for a in alerts] + [""]
    reach = "timed out" if probe.timed_out else ("yes" if probe.reachable else f"no ({probe.error})")
    counted = error_count(smoke, latency)
    calls = f"{counted.errors}/{counted.calls} calls" if counted.calls else "no calls"
    if counted.expected:
        calls += f"; {counted.expected} expected error(s) asserted by tests, not counted"
    rate = counted.rate if counted.calls else None
    tests = f"{smoke.passed} passed, {smoke.failures + smoke.errors} failed" if smoke else "not run"
    lines += [
        "### This run",
        "",
        "| Check | Value | Alert when |",
        "|---|---|---|",
        f"| Reachable | {reach} | unreachable or timeout |",
        f"| HTTP status of initialize | {probe.status if probe.status is not None else 'n/a'} | >= 500 |",
        f"| Probe time | {_ms(probe.elapsed_ms)} | |",
        f"| p95 latency | {_ms(latency.p95_ms if latency else None)} | > {P95_LIMIT_MS / 1000:.0f} s |",
        f"| Error rate | {_pct(rate)} ({calls}) | > {ERROR_RATE_LIMIT:.0%} |",
        f"| Smoke suite | {tests} | any failure |",
        *_slowest_row(latency),
        *gauge_row(sessions),
        "",
        "### Service level",
        "",
        f"| Window | Runs | Availability (target {AVAILABILITY_TARGET:.1%}) | Error rate (target < "
        f"{ERROR_RATE_TARGET:.1%}) | p95 median | p95 max |",
        "|---|---|---|---|---|---|",
    ]
    for w in windows:
        lines.append(
            f"| {w.name} | {w.runs} | {_mark(w.meets_availability)} {_pct(w.availability)} | "
            f"{_mark(w.meets_error_rate)} {_pct(w.error_rate, 3)} | {_ms(w.p95_median_ms)} | {_ms(w.p95_max_ms)} |"
        )
    lines += ["", "### Trends", "", render_charts(records, now)]
    return "\n".join(lines).rstrip() + "\n"


def _slowest_row(latency: LatencySummary | None) -> list[str]:
    """The slowest calls with their trace ids (search the server's tracing backend for them), when known."""
    if latency is None or not latency.slowest_traces:
        return []
    calls = "; ".join(f"`{tool}` {_ms(ms)} (trace `{trace}`)" for tool, ms, trace in latency.slowest_traces[:3])
    return [f"| Slowest calls | {calls} | |"]


def issue_comment(report: str, healthy: bool) -> str:
    """Return the comment text for a still-failing run or for the recovery that closes the issue."""
    head = "Recovered: the health check passed, closing this issue." if healthy else "Still failing."
    return f"{head}\n\n{report}"
