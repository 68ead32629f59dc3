"""History: JSON lines, pruning, availability / error rate / p95 over 24 h, 7 d and 30 d, trend buckets."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest

from tabmcp_ops.monitor.alert import Alert, LatencySummary, Probe, SmokeResult
from tabmcp_ops.monitor.history import (
    AVAILABILITY_TARGET,
    ERROR_RATE_TARGET,
    all_windows,
    append_record,
    load_history,
    make_record,
    prune,
    record_issue,
    save_history,
    trend,
    window_stats,
)
from tests.ops._monitor_data import NOW, URL, every_15_minutes, record


def test_targets_are_the_documented_ones():
    assert (AVAILABILITY_TARGET, ERROR_RATE_TARGET) == (0.999, 0.001)


@pytest.mark.parametrize(("down", "availability", "meets"), [(0, 1.0, True), (1, 0.999, True), (2, 0.998, False)])
def test_availability_over_a_thousand_runs(down, availability, meets):
    stats = window_stats(every_15_minutes(1000, down=down), NOW, "all", timedelta(days=30))
    assert stats.runs == 1000
    assert stats.availability == pytest.approx(availability)
    assert stats.meets_availability is meets


@pytest.mark.parametrize(("errors", "rate", "meets"), [(0, 0.0, True), (9, 0.0009, True), (10, 0.001, False)])
def test_error_rate_is_failed_calls_over_calls(errors, rate, meets):
    stats = window_stats(every_15_minutes(100, calls=100, errors_total=errors), NOW, "all", timedelta(days=30))
    assert (stats.calls, stats.errors) == (10_000, errors)
    assert stats.error_rate == pytest.approx(rate)
    assert stats.meets_error_rate is meets


def test_windows_split_24_hours_7_days_and_30_days():
    records = [record(60, up=False), record(60 * 30, up=True), record(60 * 24 * 6), record(60 * 24 * 7 + 1)]
    day, week, month = all_windows([*records, record(60 * 24 * 30 + 1)], NOW)
    assert (day.name, day.runs, day.up_runs) == ("24 h", 1, 0)
    assert (week.name, week.runs, week.up_runs) == ("7 d", 3, 2)
    assert week.availability == pytest.approx(2 / 3)
    assert (month.name, month.runs, month.up_runs) == ("30 d", 4, 3)


def test_empty_window_has_no_figures():
    stats = window_stats([], NOW, "24 h", timedelta(hours=24))
    assert stats.availability is None and stats.error_rate is None and stats.meets_availability is None


def test_p95_median_and_max():
    records = [record(10, p95=100.0), record(20, p95=300.0), record(30, p95=200.0), record(40, p95=None)]
    stats = window_stats(records, NOW, "24 h", timedelta(hours=24))
    assert (stats.p95_median_ms, stats.p95_max_ms) == (200.0, 300.0)


def test_prune_keeps_thirty_one_days_in_time_order():
    records = [record(60 * 24 * 32), record(5), record(60 * 24 * 30.5), record(1)]
    kept = prune(records, NOW)
    assert [r.ts for r in kept] == [record(60 * 24 * 30.5).ts, record(5).ts, record(1).ts]


def test_record_issue_names_the_tracking_issue_on_the_run_once(tmp_path):
    path = tmp_path / "history.jsonl"
    save_history(path, [record(15), record(0)])
    assert record_issue(path, ts=record(0).ts, url=URL, number=12) is True
    assert [r.issue for r in load_history(path)[0]] == [None, 12]
    assert record_issue(path, ts=record(0).ts, url=URL, number=13) is True  # the first issue stays
    assert [r.issue for r in load_history(path)[0]] == [None, 12]
    assert record_issue(path, ts=record(0).ts, url="https://other/mcp", number=14) is False
    assert record_issue(tmp_path / "absent.jsonl", ts=record(0).ts, url=URL, number=1) is False


def test_append_load_round_trip_and_corrupt_lines_are_skipped(tmp_path):
    path = tmp_path / "h" / "history.jsonl"
    append_record(path, record(30), NOW)
    append_record(path, record(15), NOW)
    with path.open("a") as fh:
        fh.write('{"ts": "not a time"}\n{truncated\n\n')
    records, skipped = load_history(path)
    assert [r.ts for r in records] == [record(30).ts, record(15).ts]
    assert skipped == 2
    records = append_record(path, record(0), NOW)  # rewriting drops the corrupt lines
    assert len(path.read_text().splitlines()) == 3
    assert all(json.loads(line)["url"] == URL for line in path.read_text().splitlines())


def test_load_missing_history_is_empty(tmp_path):
    assert load_history(tmp_path / "none.jsonl") == ([], 0)


def test_save_is_atomic_and_leaves_no_temp_file(tmp_path):
    path = tmp_path / "history.jsonl"
    save_history(path, [record(1)])
    assert [p.name for p in tmp_path.iterdir()] == ["history.jsonl"]


def test_make_record_marks_outages_and_degradations():
    probe = Probe(reachable=True, status=200)
    smoke = SmokeResult(exit_code=0, tests=2, calls=10, unexpected_errors=1, expected_errors=2)
    slow = make_record(
        now=NOW,
        url=URL,
        probe=probe,
        smoke=smoke,
        latency=LatencySummary(
            calls=10,
            errors=3,
            p95_ms=6000.0,
            tools={"racing_get_race": {"calls": 4, "p95_ms": 6000.04}, "tab_get": {"calls": 1}},
        ),
        alerts=[Alert("slow", "p95")],
    )
    assert (slow.up, slow.healthy, slow.calls, slow.errors, slow.p95_ms) == (True, False, 10, 1, 6000.0)
    assert slow.tools_p95_ms == {"racing_get_race": 6000.0}  # a tool without a p95 is left out
    down = make_record(
        now=NOW,
        url=URL,
        probe=Probe(reachable=False),
        smoke=None,
        latency=None,
        alerts=[Alert("unreachable", "x")],
    )
    assert (down.up, down.healthy, down.calls, down.p95_ms, down.ts) == (False, False, 0, None, "2026-03-10T12:00:00Z")


def test_trend_buckets_by_clock_hour_and_day_and_skips_empty_buckets():
    records = [record(5, p95=100.0), record(20, p95=300.0, up=False), record(125, p95=50.0)]
    hourly = trend(records, NOW, timedelta(hours=24), "hour")
    assert [(p.label, p.p95_ms, p.availability) for p in hourly] == [("09:00", 50.0, 1.0), ("11:00", 200.0, 0.5)]
    daily = trend([*records, record(60 * 24 * 2)], NOW, timedelta(days=7), "day")
    assert [p.label for p in daily] == ["03-08", "03-10"]
    with pytest.raises(ValueError, match="unit"):
        trend(records, NOW, timedelta(hours=1), "minute")
