"""Builders for monitor test data: JUnit files, latency reports and synthetic histories."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from tabmcp_ops.monitor.history import HistoryRecord, format_ts

NOW = datetime(2026, 3, 10, 12, 0, tzinfo=UTC)
URL = "https://mcp.example.com/mcp"


def junit(path: Path, cases: list[tuple[str, str | None, list[dict[str, object]]]]) -> Path:
    """Write a pytest-style JUnit file; each case is (name, failure message or None, tabmcp_call dicts)."""
    failures = sum(1 for _, failure, _ in cases if failure)
    body = []
    for name, failure, calls in cases:
        props = "".join(f'<property name="tabmcp_call" value="{call!r}" />' for call in calls)
        inner = f"<properties>{props}</properties>" if props else ""
        if failure:
            inner += f'<failure message="{failure}">trace</failure>'
        body.append(f'<testcase classname="tests.smoke.t" name="{name}" time="0.1">{inner}</testcase>')
    path.write_text(
        '<?xml version="1.0" encoding="utf-8"?><testsuites name="pytest tests">'
        f'<testsuite name="pytest" errors="0" failures="{failures}" skipped="0" tests="{len(cases)}">'
        + "".join(body)
        + "</testsuite></testsuites>",
        encoding="utf-8",
    )
    return path


def latency(tools: dict[str, tuple[int, int, float]], overall_p95: float | None = None) -> dict[str, object]:
    """A latency report: tools maps name -> (calls, errors, p95_ms)."""
    report: dict[str, object] = {
        "mode": "live",
        "tools": {
            name: {"calls": c, "errors": e, "p50_ms": p95 / 2, "p95_ms": p95, "max_ms": p95 * 1.2}
            for name, (c, e, p95) in tools.items()
        },
        "budget": {},
        "breaches": [],
    }
    if overall_p95 is not None:
        report["overall"] = {"calls": 1, "errors": 0, "p95_ms": overall_p95, "max_ms": overall_p95}
    return report


def record(minutes_ago: float, *, up: bool = True, calls: int = 40, errors: int = 0, p95: float | None = 120.0):
    """One history record ``minutes_ago`` before NOW."""
    return HistoryRecord(
        ts=format_ts(NOW - timedelta(minutes=minutes_ago)),
        url=URL,
        up=up,
        healthy=up and not errors,
        alerts=[] if up else ["unreachable"],
        calls=calls,
        errors=errors,
        p95_ms=p95,
        status=200 if up else None,
    )


def every_15_minutes(count: int, *, down: int = 0, calls: int = 40, errors_total: int = 0) -> list[HistoryRecord]:
    """``count`` runs 15 minutes apart ending at NOW; the first ``down`` of them down; errors spread one per run."""
    records = []
    for i in range(count):
        records.append(record(15 * i, up=i >= down, calls=calls, errors=1 if i < errors_total else 0))
    return records
