"""Alert conditions: unreachable/timeout, status >= 500, p95 > 5 s, error rate > 1 %, smoke failures."""

from __future__ import annotations

import pytest

from pytest_tabmcp.reporting.skipped import SkippedTest
from tabmcp_ops.monitor.alert import (
    ERROR_RATE_LIMIT,
    P95_LIMIT_MS,
    LatencySummary,
    Probe,
    SmokeResult,
    error_count,
    evaluate,
    parse_junit,
    parse_latency,
    statuses_in,
)
from tabmcp_ops.monitor.skips import persistent_skip_alert, skip_alert, unexcused, unexcused_names
from tests.ops._monitor_data import junit, latency

UP = Probe(reachable=True, status=200, elapsed_ms=12.0)
PASSED = SmokeResult(exit_code=0, tests=20, calls=40)
FAST = LatencySummary(calls=40, errors=0, p95_ms=150.0)


def codes(alerts):
    return [a.code for a in alerts]


def test_a_healthy_run_raises_no_alert():
    assert evaluate(UP, PASSED, FAST) == []


def test_unreachable_and_timeout_are_distinct_alerts_without_a_smoke_verdict():
    refused = Probe(reachable=False, error="[Errno 111] Connection refused")
    assert codes(evaluate(refused, None, None)) == ["unreachable"]
    hung = Probe(reachable=False, timed_out=True, error="no answer in 10 s")
    assert codes(evaluate(hung, None, None)) == ["timeout"]


def test_a_smoke_run_that_never_finishes_is_a_timeout():
    hung = SmokeResult(exit_code=1, messages=("the smoke suite did not finish in 900 s",), timed_out=True)
    alerts = evaluate(UP, hung, None)
    assert codes(alerts) == ["timeout", "smoke_failed"]
    assert alerts[0].message == "the smoke suite did not finish in 900 s"


def test_a_5xx_from_the_endpoint_is_a_server_error():
    alerts = evaluate(Probe(reachable=True, status=502), None, None)
    assert codes(alerts) == ["server_error", "smoke_failed"]
    assert "502" in alerts[0].message


def test_a_5xx_reported_by_a_tool_call_is_a_server_error():
    smoke = SmokeResult(
        exit_code=1,
        tests=20,
        failures=1,
        messages=("test_x: tool racing_get_race returned an error: Tabcorp API returned 503 for the race",),
    )
    alerts = evaluate(UP, smoke, FAST)
    assert codes(alerts) == ["server_error", "smoke_failed"]
    assert "503" in alerts[0].message


def test_a_4xx_is_never_healthy():
    """The earlier monitor passed 4xx answers; a 4xx on initialize is a failed health check."""
    alerts = evaluate(Probe(reachable=True, status=421), PASSED, FAST)
    assert codes(alerts) == ["smoke_failed"]
    assert "HTTP 421" in alerts[0].message


@pytest.mark.parametrize(("p95", "slow"), [(P95_LIMIT_MS, False), (P95_LIMIT_MS + 1, True), (6000.0, True)])
def test_p95_above_five_seconds_is_slow(p95, slow):
    alerts = evaluate(UP, PASSED, LatencySummary(calls=40, p95_ms=p95, slowest_tool="racing_get_race"))
    assert ("slow" in codes(alerts)) is slow
    if slow:
        assert "racing_get_race" in alerts[0].message


@pytest.mark.parametrize(("errors", "alert"), [(0, False), (1, False), (2, True)])
def test_error_rate_above_one_percent_alerts(errors, alert):
    assert ERROR_RATE_LIMIT == 0.01
    smoke = SmokeResult(exit_code=0, tests=50, calls=100, unexpected_errors=errors)
    assert ("error_rate" in codes(evaluate(UP, smoke, FAST))) is alert


def test_errors_asserted_by_passing_tests_do_not_count(tmp_path):
    path = junit(
        tmp_path / "j.xml",
        [
            ("test_404_is_clear", None, [{"tool": "racing_get_race", "ms": 5.0, "error": True}]),
            ("test_dates", None, [{"tool": "racing_get_all_meeting_dates", "ms": 4.0, "error": False}]),
        ],
    )
    smoke = parse_junit(path, 0)
    assert (smoke.calls, smoke.unexpected_errors, smoke.expected_errors) == (2, 0, 1)
    # The latency JSON alone would count the asserted 404 (1 of 2 calls = 50 %).
    lat = parse_latency(latency({"racing_get_race": (1, 1, 5.0), "racing_get_all_meeting_dates": (1, 0, 4.0)}))
    assert error_count(None, lat).rate == 0.5
    assert error_count(smoke, lat).rate == 0.0
    assert evaluate(UP, smoke, lat) == []


def test_errors_in_failed_tests_count(tmp_path):
    path = junit(
        tmp_path / "j.xml",
        [("test_dates", "tool returned an error", [{"tool": "racing_get_all_meeting_dates", "ms": 4, "error": True}])],
    )
    smoke = parse_junit(path, 1)
    assert (smoke.tests, smoke.failures, smoke.unexpected_errors) == (1, 1, 1)
    assert codes(evaluate(UP, smoke, FAST)) == ["error_rate", "smoke_failed"]


def test_no_test_run_is_a_failure():
    assert codes(evaluate(UP, SmokeResult(exit_code=5), None)) == ["smoke_failed"]
    assert "ran no test" in evaluate(UP, SmokeResult(exit_code=0, tests=0), None)[0].message


def test_a_run_where_every_test_skipped_is_a_failure():
    # pytest exits 0 when everything is skipped; that says nothing about the server's health.
    alerts = evaluate(UP, SmokeResult(exit_code=0, tests=20, skipped=20), None)
    assert codes(alerts) == ["smoke_failed"] and "all 20 were skipped" in alerts[0].message


def test_19_of_20_skipped_in_two_consecutive_runs_alerts():
    # A monitor that checks 1 test of 20 is mostly blind: more than 20 % skipped twice in a row is an alert.
    nineteen = SmokeResult(exit_code=0, tests=20, skipped=19)
    alert = skip_alert(nineteen, previous_share=19 / 20)
    assert alert is not None and alert.code == "skipped"
    assert alert.message.startswith("19 of 20 smoke tests skipped (95%), and 95% in the previous run")


def test_skips_a_mode_marker_excuses_do_not_count_towards_the_share():
    # Five offline_only tests skip live by design; one real skip of the other fifteen is under the limit.
    skipped = [SkippedTest(f"t{i}", "offline_only", "offline_only") for i in range(5)]
    skipped.append(SkippedTest("t5", "no data: no open match", None))
    counted = unexcused(SmokeResult(exit_code=0, tests=20, skipped=6), skipped)
    assert counted is not None and (counted.tests, counted.skipped) == (15, 1)
    assert skip_alert(counted, previous_share=0.9) is None
    assert skip_alert(SmokeResult(exit_code=0, tests=20, skipped=6), previous_share=0.9) is not None  # raw: 30 %
    assert unexcused(None, skipped) is None


def test_one_run_with_many_skips_or_a_share_at_the_limit_does_not_alert():
    nineteen = SmokeResult(exit_code=0, tests=20, skipped=19)
    assert skip_alert(nineteen, previous_share=None) is None  # the first run against this URL
    assert skip_alert(nineteen, previous_share=0.1) is None  # the previous run was fine
    assert skip_alert(SmokeResult(exit_code=0, tests=20, skipped=4), previous_share=0.5) is None  # 20 % is the limit
    assert skip_alert(SmokeResult(exit_code=0, tests=20, skipped=5), previous_share=0.5, limit=0.3) is None
    assert skip_alert(None, previous_share=0.9) is None


def test_parse_junit_missing_file_keeps_the_exit_code(tmp_path):
    assert parse_junit(tmp_path / "absent.xml", 3) == SmokeResult(exit_code=3)


def test_parse_latency_prefers_the_overall_p95_and_names_the_slowest_tool():
    data = latency({"a": (2, 0, 100.0), "b": (3, 1, 900.0)}, overall_p95=400.0)
    summary = parse_latency(data)
    assert (summary.calls, summary.errors, summary.p95_ms, summary.slowest_tool) == (5, 1, 400.0, "b")
    without_overall = parse_latency(latency({"a": (2, 0, 100.0), "b": (3, 1, 900.0)}))
    assert without_overall.p95_ms == 900.0  # worst tool: can over-state, never hide
    assert parse_latency(None) == LatencySummary()


def test_statuses_are_found_in_failure_texts_only_when_5xx():
    texts = (
        "Tabcorp API returned 500 for the racing dates",
        "HTTP 503 Service Unavailable",
        "status: 504",
        "Tabcorp API returned 404 for the race",
        "took 5003 ms",
    )
    assert statuses_in(texts) == [500, 503, 504]


def test_any_one_test_skipped_in_n_consecutive_runs_alerts():
    # 1 of 24 skipping forever stays under the share rule; the streak rule names it.
    assert skip_alert(SmokeResult(exit_code=0, tests=24, skipped=1), previous_share=1 / 24) is None
    alert = persistent_skip_alert(["t_jackpots"], [["t_jackpots", "t_x"], ["t_jackpots"]], runs=3)
    assert alert is not None and alert.code == "skipped_persistently"
    assert alert.message.startswith("1 smoke test(s) skipped in 3 consecutive runs: t_jackpots;")
    assert persistent_skip_alert(["t_jackpots"], [["t_jackpots"]], runs=3) is None  # only two runs so far
    assert persistent_skip_alert(["t_jackpots"], [["t_jackpots"], [], ["t_jackpots"]], runs=3) is None  # it ran
    assert persistent_skip_alert(["t_a"], [["t_a"], ["t_a"], []], runs=3) is not None  # older runs do not matter
    many = persistent_skip_alert([f"t{i}" for i in range(7)], [[f"t{i}" for i in range(7)]], runs=2)
    assert many is not None and "t0, t1, t2, t3, t4 and 2 more" in many.message


def test_a_streak_counts_only_skips_no_mode_marker_excuses():
    skipped = [SkippedTest("t_offline", "offline_only", "offline_only"), SkippedTest("t_real", "no data", None)]
    assert unexcused_names(skipped) == ["t_real"]
