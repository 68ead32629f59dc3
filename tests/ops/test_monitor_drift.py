"""The monitor's drift alert: its own kind, replacing smoke_failed only when drift caused every failure."""

from __future__ import annotations

from tabmcp_ops.monitor.alert import Alert, SmokeResult
from tabmcp_ops.monitor.drift import DRIFT_ALERT, parse_drift, with_drift_alert

SENTENCES = [f"racing_get_race: at $.f{i} the contract expects an integer, but got a string." for i in range(7)]
SECTION = {"violations": 7, "tools": {"racing_get_race": SENTENCES}, "tests": ["t::a"]}
FAILED = Alert("smoke_failed", "the smoke suite failed (exit 1; 1 failed, 0 errors, 3 passed): ...")


def test_drift_alone_is_drift_not_an_outage() -> None:
    drift = parse_drift({"tools": {}, "drift": SECTION})
    alerts = with_drift_alert([FAILED], SmokeResult(exit_code=1, tests=4, failures=1), drift)
    assert [a.code for a in alerts] == [DRIFT_ALERT]
    lines = alerts[0].message.splitlines()
    assert lines[0] == "upstream contract drift: 7 difference(s) in racing_get_race"
    assert lines[1:6] == [f"  - {s}" for s in SENTENCES[:5]]
    assert lines[6] == "  - ... and 2 more (see the run's drift report)"


def test_other_failures_keep_smoke_failed_beside_drift() -> None:
    drift = parse_drift({"drift": SECTION})
    alerts = with_drift_alert([FAILED], SmokeResult(exit_code=1, tests=4, failures=2), drift)
    assert [a.code for a in alerts] == ["smoke_failed", DRIFT_ALERT]


def test_no_drift_changes_nothing() -> None:
    clean = {"violations": 0, "tools": {}, "tests": []}
    assert with_drift_alert([FAILED], None, parse_drift({"drift": clean})) == [FAILED]
    assert parse_drift({"tools": {}}) is None and parse_drift(None) is None
    assert parse_drift({"drift": SECTION}).tests == ("t::a",)  # type: ignore[union-attr]


def test_the_drift_alert_code_is_one_of_the_documented_alert_codes() -> None:
    from tabmcp_ops.monitor.alert import ALERT_CODES
    from tabmcp_ops.monitor.skips import SKIP_ALERT

    assert {DRIFT_ALERT, SKIP_ALERT} <= set(ALERT_CODES)
