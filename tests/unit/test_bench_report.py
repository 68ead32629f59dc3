"""The benchmark's pure logic: statistics, ratios, targets, the CI guard, the Markdown and the profile parser."""

from __future__ import annotations

import copy
import math
from typing import Any

import pytest

from bench import machine, profile, report, tables

REF = "A-aiohttp"


def results(**overrides: Any) -> dict[str, Any]:
    """A results document where every target is met; keyword overrides patch single figures."""
    doc: dict[str, Any] = {
        "timestamp": "2026-11-25 00:00:00 UTC",
        "mode": "full",
        "machine": {"nproc": 2, "cpu_model": "AMD EPYC", "python": "3.11.7"},
        "config": {"delay_ms": 50, "in_flight": 50, "sessions": 10, "per_session": 5, "bound_per_s": 1000.0},
        "reference": REF,
        "servers": {
            "tab": {"label": "tab-mcp"},
            "A-httpx": {"label": "control A httpx"},
            "A-tuned": {"label": "control A tuned"},
            REF: {"label": "control A aiohttp"},
            "B": {"label": "control B"},
        },
        "sequential": {"tab": {"p50": 60.0, "p95": 70.0}, REF: {"p50": 58.5, "p95": 69.0}, "B": {"p50": 55.0}},
        "throughput": {
            "tab": {"per_s": 105.0, "round_per_s": [104.0, 106.0, 105.0], "tcp_per_1000": 48.0, "calls_total": 1050},
            "A-httpx": {"per_s": 95.0, "round_per_s": [95.0, 95.0, 95.0], "tcp_per_1000": 850.0},
            "A-tuned": {"per_s": 97.0, "round_per_s": [97.0, 97.0, 97.0], "tcp_per_1000": 60.0},
            REF: {"per_s": 100.0, "round_per_s": [100.0, 100.0, 100.0], "tcp_per_1000": 50.0},
            "B": {"per_s": 150.0, "round_per_s": [150.0, 150.0, 150.0]},
        },
        "scaling": {"200 in flight": {"tab": {"per_s": 120.0, "round_per_s": [120.0], "tcp_per_1000": 40.0}}},
        "head_of_line": {"tab": {"ratio": 1.1, "loaded_p95": 66.0, "unloaded_p50": 60.0}},
        "in_memory": {"tab": {"per_call_us": 1100.0}, "A": {"per_call_us": 1000.0}, "ratio": 1.1},
        "oauth": {"requests": 1, "calls": 1500, "per_1000": 1000 / 1500},
        "smoke": {"status": "ok", "wall_s": 18.4},
    }
    paths = {
        "tab_per_s_rounds": ("throughput", "tab", "round_per_s"),
        "ref_rounds": ("throughput", REF, "round_per_s"),
        "seq_tab_p50": ("sequential", "tab", "p50"),
        "hol_ratio": ("head_of_line", "tab", "ratio"),
        "inmem_ratio": ("in_memory", "ratio"),
        "oauth_per_1000": ("oauth", "per_1000"),
        "oauth_requests": ("oauth", "requests"),
        "conns": ("throughput", "tab", "tcp_per_1000"),
        "conns_wide": ("scaling", "200 in flight", "tab", "tcp_per_1000"),
    }
    for key, value in overrides.items():
        *parents, leaf = paths[key]
        node: dict[str, Any] = doc
        for part in parents:
            node = node[part]
        node[leaf] = value
    return doc


THR_REF = f"throughput at 50 in flight ÷ reference ({REF})"
THR_HTTPX = "throughput at 50 in flight ÷ httpx-default control (A-httpx)"
SEQ = f"sequential p50 − reference ({REF}) p50"


def test_percentile_interpolates_between_closest_ranks() -> None:
    values = [5.0, 1.0, 3.0, 2.0, 4.0]
    assert report.percentile(values, 50) == 3.0
    assert report.percentile(values, 95) == pytest.approx(4.8)
    assert report.percentile(values, 0) == 1.0
    assert report.percentile(values, 100) == 5.0
    assert report.percentile([7.0], 95) == 7.0
    assert math.isnan(report.percentile([], 50))
    with pytest.raises(ValueError, match="outside"):
        report.percentile(values, 101)


def test_summarize_and_ratios() -> None:
    summary = report.summarize([10.0, 20.0, 30.0])
    assert summary["n"] == 3 and summary["p50"] == 20.0 and summary["mean"] == 20.0
    assert report.ratio(3.0, 2.0) == 1.5
    assert report.ratio(1.0, 0.0) is None
    assert report.ratio(None, 2.0) is None
    assert report.ratio(math.nan, 2.0) is None
    # Per-round pairs: one noisy round does not move the median.
    assert report.paired_median_ratio([90.0, 100.0, 10.0], [100.0, 100.0, 100.0]) == pytest.approx(0.9)
    assert report.paired_median_ratio([], []) is None
    with pytest.raises(ValueError):
        report.paired_median_ratio([1.0], [1.0, 2.0])


def test_physical_bound_and_per_1000() -> None:
    assert report.physical_bound(50, 50) == 1000.0
    assert report.physical_bound(10, 200) == 50.0
    assert report.per_1000(1, 1500) == pytest.approx(0.6667, rel=1e-3)
    assert report.per_1000(3, 0) is None


def test_every_target_passes_on_good_results() -> None:
    checks = report.targets(results())
    assert len(checks) == 8
    assert [c.passed for c in checks] == [True] * 8
    by_name = {c.name: c for c in checks}
    assert by_name[SEQ].measured == pytest.approx(1.5)
    assert by_name[THR_REF].measured == pytest.approx(1.05)
    assert by_name[THR_HTTPX].measured == pytest.approx(105 / 95)


def test_the_fastest_control_is_the_reference() -> None:
    doc = results()
    assert report.fastest_control(doc["throughput"]) == REF
    doc["throughput"]["A-tuned"]["round_per_s"] = [50.0, 130.0, 120.0]  # median 120: beats 100
    assert report.fastest_control(doc["throughput"]) == "A-tuned"
    assert report.fastest_control({"tab": {"round_per_s": [1.0]}}) is None
    assert report.reference({}) == report.CONTROL  # documents from before the control set


@pytest.mark.parametrize(
    ("override", "failing"),
    [
        ({"ref_rounds": [110.0, 110.0, 110.0]}, THR_REF),
        ({"tab_per_s_rounds": [101.0, 101.0, 101.0]}, THR_HTTPX),
        ({"seq_tab_p50": 60.6}, SEQ),
        ({"hol_ratio": 1.6}, "head-of-line: fast-call p95 ÷ its unloaded p50"),
        ({"oauth_per_1000": 1.5}, "OAuth requests per 1,000 calls"),
        ({"conns": 120.0}, "upstream TCP connections per 1,000 calls at 50 in flight"),
        ({"conns_wide": 101.0}, "upstream TCP connections per 1,000 calls at 200 in flight"),
        ({"inmem_ratio": 1.21}, "in-memory per-call time ÷ control A (one MockTransport)"),
    ],
)
def test_one_missed_target_fails_only_that_target(override: dict, failing: str) -> None:
    checks = report.targets(results(**override))
    assert [c.name for c in checks if not c.passed] == [failing]


def test_missing_figure_is_a_failure_not_a_pass() -> None:
    doc = results()
    del doc["head_of_line"]
    hol = next(c for c in report.targets(doc) if c.name.startswith("head-of-line"))
    assert hol.measured is None and not hol.passed
    assert hol.as_dict()["passed"] is False


def test_regression_guard_tolerates_noise_but_not_a_large_regression() -> None:
    # 25 % slower than control and 20 % higher p50: noise on a shared machine, the guard passes.
    noisy = results(tab_per_s_rounds=[75.0, 75.0, 75.0], seq_tab_p50=69.6)
    assert all(c.passed for c in report.regression_checks(noisy))
    # Half the reference's throughput, or an OAuth request per call: the guard fails.
    slow = report.regression_checks(results(tab_per_s_rounds=[40.0, 45.0, 45.0]))
    assert [c.name for c in slow if not c.passed] == [f"throughput ÷ reference ({REF})"]
    chatty = report.regression_checks(results(oauth_requests=300))
    assert [c.name for c in chatty if not c.passed] == ["OAuth requests in the whole run"]


def test_markdown_carries_machine_bound_and_verdicts() -> None:
    doc = results(hol_ratio=2.0)
    text = tables.render_markdown(doc, report.targets(doc))
    assert "2 CPUs (AMD EPYC)" in text and "Python 3.11.7" in text
    assert "physical bound of 1000 calls/s" in text
    assert text.count("| PASS |") == 7 and text.count("| FAIL |") == 1
    assert "| throughput, 50 in flight (calls/s) | 105.0 | 95.0 | 97.0 | 100.0 | 150.0 | 1.05× ¹ |" in text
    assert "control A aiohttp **(reference)**" in text and f"Reference: **{REF}**" in text
    assert "18.4 s (ok)" in text


def test_call_errors_are_counted_and_reported() -> None:
    doc = copy.deepcopy(results())
    assert tables.call_errors(doc) == 0
    doc["throughput"][REF]["errors"] = 2
    doc["sequential"]["tab"]["errors"] = 1
    assert tables.call_errors(doc) == 3
    assert "3 call(s) failed" in tables.render_markdown(doc, report.targets(doc))
    # Every section counts, the scaling one (nested a level deeper) too, while its figures feed a target.
    doc["scaling"] = {"200 in flight": {"tab": {"calls_per_s": 90.0, "errors": 4}}}
    doc["config"] = {"errors": 99}  # not a measurement
    assert tables.call_errors(doc) == 7
    assert not tables.run_passed(doc, [])


@pytest.mark.parametrize(("status", "passed"), [("ok", True), ("failed", False), ("timeout", False), ("n/a", True)])
def test_a_smoke_suite_that_did_not_pass_fails_the_run(status: str, passed: bool) -> None:
    doc = copy.deepcopy(results())
    doc["smoke"] = {"status": status, "wall_s": 3.0, "detail": "1 failed, 23 passed"}
    assert tables.run_passed(doc, []) is passed
    assert ("The smoke suite did not pass" in tables.render_markdown(doc, [])) is not passed


COLLAPSED = [
    "run (uvicorn/server.py:1);_run_once (asyncio/base_events.py:2);select (selectors.py:3) 5\n",
    "run (uvicorn/server.py:1);get (tab_mcp/client.py:10);_assign (httpcore/_async/connection_pool.py:294) 3\n",
    "run (uvicorn/server.py:1);get (tab_mcp/client.py:10);_assign (httpcore/_async/connection_pool.py:294);"
    "extra (anyio/_core/_typedattr.py:83) 4\n",
    "run (uvicorn/server.py:1);get (tab_mcp/client.py:10);_decode (tab_mcp/client.py:300) 2\n",
    "garbage line without a count\n",
    "run (uvicorn/server.py:1);h (mcp/server/streamable_http_manager.py:195) 6\n",
]


def test_profile_parser_and_categories() -> None:
    stacks = profile.parse_collapsed(COLLAPSED)
    assert len(stacks) == 5 and stacks[0][1] == 5
    assert profile.parse_frame("f (a/b.py:12)") == ("f", "a/b.py")
    assert profile.parse_frame("<native>") == ("<native>", "")
    assert profile.category("tab_mcp/client.py") == "tab_mcp (our code)"
    assert profile.category("/x/site-packages/httpcore/_models.py").startswith("httpx/httpcore")
    assert profile.category("mcp/server/streamable_http_manager.py") == "MCP SDK: HTTP transport"
    assert profile.category("mcp_types/methods.py") == "MCP SDK: dispatch, session, tools"
    assert profile.category("<frozen importlib._bootstrap>").startswith("import machinery")
    assert profile.category("contextlib.py") == profile.OTHER
    # anyio work asked for by httpcore's pool is charged to httpcore; the bare event loop stays the loop's.
    anyio_under_httpcore = stacks[2][0]
    assert profile.charged_category(anyio_under_httpcore).startswith("httpx/httpcore")
    assert profile.charged_category(stacks[0][0]) == profile.EVENT_LOOP


def test_profile_summary_shares() -> None:
    summary = profile.summarize_profile(profile.parse_collapsed(COLLAPSED))
    assert summary["samples"] == 20
    assert sum(summary["categories"].values()) == pytest.approx(100, abs=0.5)
    assert summary["categories"]["httpx/httpcore (upstream client API, httpcore's pool)"] == 35.0
    assert summary["self_categories"][profile.EVENT_LOOP] == 45.0  # 5 loop + 4 anyio samples
    assert summary["inside_tab_mcp_pct"] == 45.0
    assert summary["tab_mcp_self_top"] == [["_decode (tab_mcp/client.py)", 10.0]]
    assert summary["tab_mcp_inclusive_top"][0] == ["get (tab_mcp/client.py)", 45.0]


def test_cpu_model_from_cpuinfo() -> None:
    text = "processor\t: 0\nvendor_id\t: AuthenticAMD\nmodel name\t: AMD EPYC 7B13\n\nprocessor\t: 1\n"
    assert machine.cpu_model(text) == "AMD EPYC 7B13"
    assert machine.cpu_model("processor: 0\n") == "unknown"


def test_scaling_extras_and_profile_sections_render() -> None:
    doc = results()
    doc["servers"]["tab-json-2w"] = {"label": "tab-mcp stateless, 2 workers", "pool": "aiohttp, 64 per worker"}
    doc["scaling"]["stateless JSON"] = {
        "tab-json-2w": {"per_s": 99.0, "round_per_s": [99.0], "cpu_ms_per_call": 7.2, "tcp_per_1000": 57.1,
                        "max_in_flight": 20, "bound_per_s": 1000.0},
    }  # fmt: skip
    doc["head_of_line"]["tab-same-session"] = {"ratio": 1.2, "loaded_p95": 72.0, "unloaded_p50": 60.0}
    doc["profile"] = {
        "calls": 300,
        "reference": REF,
        "tab": {
            "samples": 900,
            "categories": {"tab_mcp (our code)": 1.5},
            "tab_mcp_self_top": [["f (tab_mcp/x.py)", 1.0]],
        },
        REF: {"samples": 800, "categories": {"bench control tool": 0.5}},
    }
    text = tables.render_markdown(doc, report.targets(doc))
    assert (
        "| stateless JSON | tab-mcp stateless, 2 workers [aiohttp, 64 per worker] | 99.0 | 9.9% | 1.00× | 7.20 | "
        "57.1 | 20 |" in text
    )
    assert "| 200 in flight | tab-mcp | 120.0 |" in text
    assert "head-of-line, slow call in the *same* session (tab-mcp) | 1.20×" in text
    assert "during 300 calls at 50 in flight (900 / 800 samples)" in text
    assert f"| category | tab-mcp | {REF} |" in text
    assert "| tab_mcp (our code) | 1.5% | – |" in text
    assert "f (tab_mcp/x.py) 1.0%" in text
    doc["profile"] = {"status": "n/a", "detail": "py-spy is not installed"}
    assert "Profile: n/a (py-spy is not installed)." in tables.render_markdown(doc, report.targets(doc))


def test_readme_block_is_replaced_and_nothing_else() -> None:
    from bench import readme

    before = f"# T\n\n## Performance\n\nintro\n\n{readme.START}\nold table\n{readme.END}\n\nfindings\n"
    after = readme.splice(before, "### Benchmark: 2026-12-01 (full run, 300 s)\n\n| a |\n")
    assert after.startswith("# T\n\n## Performance\n\nintro\n\n") and after.endswith("\n\nfindings\n")
    assert "old table" not in after and "Run of 2026-12-01 (full run, 300 s)\n\n| a |\n" + readme.END in after
    assert readme.splice(after, "### Benchmark: x\n") != after
    with pytest.raises(ValueError, match="no <!-- bench:start"):
        readme.splice("# T\nno markers\n", "x")
