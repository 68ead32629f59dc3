"""Incidents from the history: outages, drift and skips as runs of checks, their recovery and their issue."""

from __future__ import annotations

import dataclasses
from datetime import timedelta

from tabmcp_ops.monitor.incidents import derive_incidents, within
from tests.helpers import monitor_history
from tests.ops._monitor_data import NOW, record


def check(minutes_ago, *, up=True, alerts=(), issue=None):
    base = record(minutes_ago, up=up)
    codes = list(alerts) or ([] if up else ["unreachable"])
    return dataclasses.replace(base, alerts=codes, healthy=not codes, issue=issue)


def test_an_outage_starts_at_its_first_down_check_and_ends_at_the_recovery():
    records = [check(60), check(45, up=False, issue=7), check(30, up=False, issue=7), check(15, issue=7), check(0)]
    [outage] = derive_incidents(records)
    assert (outage.kind, outage.start, outage.end, outage.checks, outage.issue) == (
        "outage",
        check(45).ts,
        check(15).ts,
        2,
        7,
    )
    assert outage.alerts == ("unreachable",) and not outage.ongoing


def test_an_incident_still_showing_at_the_newest_check_is_ongoing():
    [outage] = derive_incidents([check(30), check(15, up=False), check(0, up=False)])
    assert outage.ongoing and outage.end is None and outage.checks == 2


def test_the_recovery_checks_issue_is_used_when_the_failing_checks_name_none():
    # The alert job of the first failing run may have failed; the run that recovered closed the issue it found.
    [outage] = derive_incidents([check(30, up=False), check(15, issue=9), check(0)])
    assert outage.issue == 9
    [untracked] = derive_incidents([check(30, up=False), check(15), check(0)])
    assert untracked.issue is None


def test_kinds_are_independent_and_newest_first():
    records = [
        check(75, alerts=["contract_drift"]),
        check(60, up=False, alerts=["unreachable", "contract_drift"]),
        check(45, alerts=["contract_drift"]),
        check(30),
        check(15, alerts=["skipped"]),
        check(0, alerts=["slow"]),
    ]
    found = [(i.kind, i.start, i.end) for i in derive_incidents(records)]
    assert found == [
        ("degraded", check(0).ts, None),
        ("skips", check(15).ts, check(0).ts),
        ("outage", check(60).ts, check(45).ts),
        ("drift", check(75).ts, check(30).ts),
    ]


def test_records_out_of_order_are_sorted_first():
    [outage] = derive_incidents([check(0), check(15, up=False), check(30)])
    assert (outage.start, outage.end) == (check(15).ts, check(0).ts)


def test_within_keeps_ongoing_and_recently_recovered_incidents():
    old = derive_incidents([check(60 * 24 * 40, up=False), check(60 * 24 * 40 - 15)])
    recent = derive_incidents([check(60, up=False), check(45)])
    ongoing = derive_incidents([check(60 * 24 * 40), check(60 * 24 * 40 - 15, up=False)])
    since = NOW - timedelta(days=30)
    assert within([*old, *recent, *ongoing], since) == [*recent, *ongoing]


def test_the_generated_month_has_its_outage_and_drift_with_their_issues():
    incidents = derive_incidents(monitor_history.thirty_days())
    assert [(i.kind, i.checks, i.issue) for i in incidents] == [
        ("drift", monitor_history.DRIFT_CHECKS, monitor_history.DRIFT_ISSUE),
        ("outage", monitor_history.OUTAGE_CHECKS, monitor_history.OUTAGE_ISSUE),
    ]
    assert all(not i.ongoing for i in incidents)
