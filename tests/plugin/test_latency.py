"""latency.py on its own: nearest-rank percentiles, budget parsing, the report schema and its renderings."""

from __future__ import annotations

import pytest

from pytest_tabmcp.latency import (
    BUDGET_FORM,
    CallSample,
    build_report,
    format_budget,
    format_markdown,
    format_slowest,
    format_table,
    parse_budget,
    percentile,
)


def samples(tool: str, *ms: float, error: bool = False) -> list[CallSample]:
    return [CallSample(tool=tool, ms=value, error=error) for value in ms]


@pytest.mark.parametrize(
    ("pct", "expected"),
    [(50, 5.0), (90, 9.0), (95, 10.0), (100, 10.0), (10, 1.0), (1, 1.0), (51, 6.0)],
)
def test_percentile_is_nearest_rank(pct: float, expected: float) -> None:
    """The p-th percentile is the sample at rank ceil(p/100*n): always a measured value, never interpolated."""
    assert percentile([float(v) for v in range(10, 0, -1)], pct) == expected


def test_percentile_rejects_nothing_to_measure_and_bad_ranks() -> None:
    with pytest.raises(ValueError, match="no samples"):
        percentile([], 50)
    with pytest.raises(ValueError, match=r"\(0, 100\]"):
        percentile([1.0], 0)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("p50=500,p95=2000,max=5000", {"p50": 500.0, "p95": 2000.0, "max": 5000.0}),
        (" P95 = 2000ms , MAX=5000 ", {"p95": 2000.0, "max": 5000.0}),
        ("p99.9=0.001", {"p99.9": 0.001}),
        ("p100=1.5", {"p100": 1.5}),
    ],
)
def test_parse_budget_accepts_the_documented_form(text: str, expected: dict[str, float]) -> None:
    assert parse_budget(text) == expected


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("", "it is empty"),
        ("p95", "'p95' is not STAT=MS"),
        ("p95=", "'p95=' is not STAT=MS"),
        ("avg=10", "'avg' is not a statistic"),
        ("p0=10", "'p0' is not a statistic"),
        ("p101=10", "'p101' is not a statistic"),
        ("p95=abc", "'abc' is not a positive number of milliseconds"),
        ("p95=0", "'0' is not a positive number of milliseconds"),
        ("p95=2s", "'2s' is not a positive number of milliseconds"),
        ("p95=1,p95=2", "p95 is given twice"),
    ],
)
def test_parse_budget_says_what_is_wrong(text: str, reason: str) -> None:
    with pytest.raises(ValueError) as excinfo:
        parse_budget(text)
    assert reason in str(excinfo.value)


def test_report_schema_per_tool_and_overall() -> None:
    report = build_report(
        samples("a", 1, 2, 3, 4) + samples("b", 10, error=True), mode="live", budget={"p95": 5.0, "p99": 100.0}
    )
    assert set(report) == {"mode", "tools", "overall", "budget", "breaches", "slowest"}
    assert report["slowest"] == []  # none of these samples carried a trace id
    assert report["mode"] == "live"
    assert report["tools"]["a"] == {"calls": 4, "errors": 0, "p50_ms": 2.0, "p95_ms": 4.0, "max_ms": 4.0, "p99_ms": 4.0}
    assert report["tools"]["b"]["errors"] == 1
    assert report["overall"]["calls"] == 5 and report["overall"]["max_ms"] == 10.0
    assert report["budget"] == {"p95_ms": 5.0, "p99_ms": 100.0}
    assert report["breaches"] == [
        {
            "tool": "b",
            "stat": "p95",
            "value_ms": 10.0,
            "budget_ms": 5.0,
            "message": "b p95 10 ms exceeds the budget of 5 ms",
        }
    ]


def test_report_without_samples_is_still_valid() -> None:
    report = build_report([], mode="offline", budget={"max": 1.0})
    assert report["tools"] == {} and report["breaches"] == [] and report["overall"] == {"calls": 0, "errors": 0}


def test_call_sample_round_trips_through_user_properties() -> None:
    sample = CallSample(tool="racing_get_race", ms=1.23456, error=True)
    assert CallSample.from_property(sample.to_property()) == CallSample(tool="racing_get_race", ms=1.235, error=True)


def test_terminal_table_and_markdown() -> None:
    report = build_report(samples("alpha", 1, 2) + samples("beta_tool", 3), mode="offline", budget={"max": 2.5})
    assert format_table(report) == [
        "tool         calls  errors  p50 ms  p95 ms  max ms",
        "alpha            2       0    1.00    2.00    2.00",
        "beta_tool        1       0    3.00    3.00    3.00",
        "(all tools)      3       0    2.00    3.00    3.00",
    ]
    assert format_markdown(report).splitlines() == [
        "### tab-mcp latency (offline)",
        "",
        "| tool | calls | errors | p50 ms | p95 ms | max ms |",
        "|:--|--:|--:|--:|--:|--:|",
        "| `alpha` | 2 | 0 | 1.00 | 2.00 | 2.00 |",
        "| `beta_tool` | 1 | 0 | 3.00 | 3.00 | 3.00 |",
        "| `(all tools)` | 3 | 0 | 2.00 | 3.00 | 3.00 |",
        "",
        "Budget max <= 2.5 ms: **1 breach(es)**",
        "- :x: beta_tool max 3 ms exceeds the budget of 2.5 ms",
    ]


def test_single_tool_has_no_total_row_and_extra_percentiles_get_columns() -> None:
    report = build_report(samples("only", 1, 2), mode="offline", budget={"p90": 100.0})
    assert format_table(report)[0].split() == [
        "tool",
        "calls",
        "errors",
        "p50",
        "ms",
        "p95",
        "ms",
        "p90",
        "ms",
        "max",
        "ms",
    ]
    assert len(format_table(report)) == 2
    assert format_markdown(report).rstrip().endswith("Budget p90 <= 100 ms: met")


def test_budget_form_and_rendering_are_documented() -> None:
    assert "p50=500,p95=2000,max=5000" in BUDGET_FORM
    assert format_budget({"p95": 2000.0, "max": 5000.0}) == "p95 <= 2000 ms, max <= 5000 ms"
    assert format_budget({}) == ""


def test_slowest_traced_calls_are_named_slowest_first_and_capped() -> None:
    traced = [CallSample(tool=f"t{i}", ms=float(i), trace_id=f"{i:032x}") for i in range(1, 9)]
    report = build_report([*traced, CallSample(tool="untraced", ms=999.0)], mode="live")
    assert [entry["tool"] for entry in report["slowest"]] == ["t8", "t7", "t6", "t5", "t4"]
    assert report["slowest"][0] == {"tool": "t8", "ms": 8.0, "trace_id": f"{8:032x}"}
    lines = format_slowest(report)
    assert lines[0].startswith("slowest calls") and f"trace {8:032x}" in lines[1]
    assert f"trace `{8:032x}`" in format_markdown(report)


def test_a_sample_keeps_its_trace_id_through_the_xdist_property_form() -> None:
    sample = CallSample(tool="racing_get_race", ms=12.5, trace_id="ab" * 16)
    assert CallSample.from_property(sample.to_property()) == sample
    assert "trace_id" not in CallSample(tool="x", ms=1.0).to_property()
