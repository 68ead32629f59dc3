"""The status page: state, SLO windows, per-tool p95, incidents; self-contained, escaped; the ``page`` command.

The page is parsed with the standard library's HTML parser, so the assertions are about elements, not substrings of
markup. What a person sees after layout is the browser tier's job (tests/browser).
"""

from __future__ import annotations

import dataclasses
import json
import re
import time
from html.parser import HTMLParser

import pytest

from tabmcp_ops.monitor import cli as monitor
from tabmcp_ops.monitor.charts import Point, bar_chart, line_chart
from tabmcp_ops.monitor.history import save_history
from tabmcp_ops.monitor.page import current_state, render_page
from tabmcp_ops.monitor.series import ALL_TOOLS, daily_series, nearest_rank
from tests.helpers import monitor_history
from tests.helpers.monitor_history import NOW, thirty_days
from tests.ops._monitor_data import NOW as RECORD_NOW
from tests.ops._monitor_data import record

ISSUES = "https://github.com/acme/tab-mcp/issues/{number}"


class Elements(HTMLParser):
    """Every start tag with its attributes, and the text inside elements with an id or a class (for lookups)."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str]]] = []
        self.text: list[str] = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, {k: v or "" for k, v in attrs}))

    def handle_data(self, data):
        self.text.append(data)

    def having(self, tag: str, **attrs: str) -> list[dict[str, str]]:
        wanted = {k.rstrip("_").replace("_", "-"): v for k, v in attrs.items()}  # class_ -> class, http_equiv -> ...
        return [a for t, a in self.tags if t == tag and all(a.get(k) == v for k, v in wanted.items())]

    def classed(self, tag: str, name: str) -> list[dict[str, str]]:
        return [a for t, a in self.tags if t == tag and name in a.get("class", "").split()]


@pytest.fixture(scope="module")
def month_page() -> str:
    return render_page(thirty_days(), NOW, url=monitor_history.URL, issue_url=ISSUES)


def test_the_month_shows_up_with_three_slo_windows(month_page):
    page = Elements(month_page)
    assert page.having("p", class_="state-word")[0]["data-state"] == "up"
    windows = {card["data-window"]: card["class"] for card in page.classed("div", "card")}
    assert windows == {"24 h": "card slo-met", "7 d": "card slo-met", "30 d": "card slo-missed"}
    text = "".join(page.text)
    # 8 of 2,880 checks down: 99.72 %, under the 99.9 % target.
    assert f"{2880 - monitor_history.OUTAGE_CHECKS} of 2880 checks up" in text and "99.72 %" in text
    assert "Last check: " in text and "2026-03-31 23:50 UTC" in text


def test_the_month_lists_its_incidents_with_their_issues(month_page):
    page = Elements(month_page)
    rows = page.classed("tr", "incident")
    assert [r["class"] for r in rows] == ["incident incident-drift", "incident incident-outage"]
    links = [a["href"] for a in page.having("a") if "/issues/" in a["href"]]
    assert links == [ISSUES.format(number=42), ISSUES.format(number=41)]


def test_every_tool_has_a_chart_with_a_point_per_day_and_a_table(month_page):
    page = Elements(month_page)
    tools = [f["data-tool"] for f in page.classed("figure", "tool")]
    assert tools[0] == ALL_TOOLS and tools[1] == monitor_history.SLOW_TOOL  # the slowest is first
    assert set(tools[1:]) == set(monitor_history.TOOLS)
    # The outage day has checks too, so every tool has a value on each of the 30 days.
    assert len(page.classed("circle", "point")) == 30 * (len(monitor_history.TOOLS) + 1)
    assert len(page.classed("circle", "over")) == 2  # the slow tool's day, in its chart and in "all tools"
    charts = page.classed("svg", "chart")
    assert len(page.having("details")) == len(charts)  # a data table behind every chart
    assert len(page.classed("rect", "bar")) == 30 and len(page.classed("rect", "under")) == 1


def test_the_page_loads_nothing_from_anywhere(month_page):
    page = Elements(month_page)
    assert not [t for t, a in page.tags if t in {"script", "link", "img", "iframe", "object"}]
    assert not [a for _, a in page.tags if "src" in a or any(k.startswith("on") for k in a)]
    csp = page.having("meta", http_equiv="Content-Security-Policy")[0]["content"]
    assert csp.startswith("default-src 'none'")
    assert "@import" not in month_page and "url(" not in month_page
    assert page.having("meta", name="viewport")
    assert page.having("meta", http_equiv="refresh")[0]["content"] == "300"  # an open tab updates without script


def test_every_string_from_the_history_is_escaped():
    evil = "<script>alert(1)</script>"
    bad = dataclasses.replace(
        record(15, up=False),
        alerts=[evil],
        run_url="javascript:alert(1)",
        tools_p95_ms={evil: 100.0},
        issue=3,
    )
    last = dataclasses.replace(record(0), healthy=False, alerts=[evil, "slow"], tools_p95_ms={evil: 90.0})
    html = render_page([bad, last], RECORD_NOW, url=f"https://h/{evil}", issue_url="javascript:{number}")
    assert "<script>" not in html
    # The URL, the last check's alerts, two incidents' alerts, the tool's caption, chart title and table: all escaped.
    assert html.count("&lt;script&gt;") >= 7
    assert "javascript:" not in html  # neither the run link nor the issue link is rendered as a link
    assert "#3" in html


def test_states_and_a_stale_monitor():
    assert current_state([]) == "unknown"
    assert current_state([record(15, up=False), record(0)]) == "up"
    assert current_state([record(0, up=False)]) == "down"
    assert current_state([dataclasses.replace(record(0), healthy=False, alerts=["slow"])]) == "degraded"
    empty = Elements(render_page([], NOW))
    assert empty.having("p", class_="state-word")[0]["data-state"] == "unknown"
    assert "the monitor itself may have stopped" in render_page([record(61)], RECORD_NOW)
    assert "the monitor itself may have stopped" not in render_page([record(59)], RECORD_NOW)


def test_daily_series_keeps_gaps_and_uses_nearest_rank():
    assert nearest_rank([1.0, 2.0, 3.0, 100.0]) == 100.0 and nearest_rank([5.0]) == 5.0
    series = daily_series([record(60 * 24 * 2, p95=300.0), record(0, p95=100.0)], RECORD_NOW, days=4)
    assert [p.value for p in series.tool(ALL_TOOLS)] == [None, 300.0, None, 100.0]
    assert [p.value for p in series.availability()] == [None, 1.0, None, 1.0]


def test_charts_break_the_line_at_gaps_and_mark_breaches():
    svg = line_chart(
        [Point("a", 100.0), Point("b", None), Point("c", 2500.0), Point("d", 50.0)],
        target=2000.0,
        target_label="2 s",
        title="t",
        unit="ms",
    )
    assert svg.count('class="line"') == 1 and svg.count("<circle") == 3 and svg.count('"point over"') == 1
    bars = bar_chart([Point("a", 1.0), Point("b", None), Point("c", 0.9)], target=0.999, target_label="x", title="t")
    assert bars.count("<rect") == 2 and bars.count('"bar under"') == 1


def test_page_command_renders_one_urls_checks(tmp_path, capsys):
    history = tmp_path / "history.jsonl"
    other = dataclasses.replace(record(5), url="https://other.example/mcp")
    save_history(history, [*thirty_days(), other])
    out = tmp_path / "site" / "index.html"
    at = "2026-03-31T23:55:00Z"
    argv = ["page", str(history), str(out), "--url", monitor_history.URL, "--at", at, "--issue-url", ISSUES]
    assert monitor.main(argv) == 0
    assert "2880 checks of https://mcp.example.com/mcp" in capsys.readouterr().out
    html = out.read_text(encoding="utf-8")
    assert "from 2880 checks" in html and "other.example" not in html
    assert monitor.main(["page", str(tmp_path / "none.jsonl"), str(tmp_path / "empty.html")]) == 0
    assert 'data-state="unknown"' in (tmp_path / "empty.html").read_text(encoding="utf-8")


def test_page_command_defaults_to_the_newest_checks_url(tmp_path):
    history = tmp_path / "history.jsonl"
    save_history(history, [dataclasses.replace(record(5), url="https://old.example/mcp"), record(0)])
    monitor.main(["page", str(history), str(tmp_path / "p.html"), "--at", "2026-03-10T12:00:00Z"])
    html = (tmp_path / "p.html").read_text(encoding="utf-8")
    assert "mcp.example.com" in html and "old.example" not in html


def test_the_month_renders_in_well_under_a_second_of_cpu(tmp_path):
    # CPU time of this process, best of three: other processes on a loaded machine do not inflate it.
    history = tmp_path / "history.jsonl"
    save_history(history, thirty_days())
    timings = []
    for _ in range(3):
        started = time.process_time()
        assert monitor.main(["page", str(history), str(tmp_path / "p.html"), "--at", "2026-03-31T23:55:00Z"]) == 0
        timings.append(time.process_time() - started)
    assert min(timings) < 1.0, f"rendering 2,880 checks took {min(timings):.2f} s of CPU"
    assert len(re.findall(r'class="incident ', (tmp_path / "p.html").read_text(encoding="utf-8"))) == 2


def test_history_lines_round_trip_the_new_fields(tmp_path):
    history = tmp_path / "history.jsonl"
    save_history(history, thirty_days()[:1])
    line = json.loads(history.read_text().splitlines()[0])
    assert set(line["tools_p95_ms"]) == set(monitor_history.TOOLS) and line["issue"] is None
