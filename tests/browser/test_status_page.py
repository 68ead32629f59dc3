"""The status page in a real browser: headless Chromium loads the page rendered from a generated 30-day history
(an outage, a drift, a recovery) and the test reads what a person sees after layout: the state, the three SLO
windows, the incident rows, chart points with a size on screen, one column and no sideways scrolling on a phone.

Screenshots (desktop and phone) and the page go to ``TABMCP_ARTIFACTS`` (default ``.artifacts/browser``), which
CI uploads. Without a Chromium the test skips with the reason; under CI (``CI`` set) a missing browser is a
failure, because ``make browser-setup`` installs it there.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tabmcp_ops.monitor import cli as monitor
from tabmcp_ops.monitor.history import save_history
from tests.helpers import monitor_history
from tests.helpers.chromium import DevTools, find_chromium, headless_chromium

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = Path(os.environ.get("TABMCP_ARTIFACTS", ROOT / ".artifacts" / "browser"))
AT = "2026-03-31T23:55:00Z"

# What a person sees: innerText only counts rendered text, and a box with no size is not on screen.
SEEN = """(() => {
  const shown = (el) => { const r = el.getBoundingClientRect(); return r.width > 0 && r.height > 0; };
  const text = (sel) => [...document.querySelectorAll(sel)].filter(shown).map((el) => el.innerText.trim());
  const allTools = document.querySelector('figure[data-tool="all tools"]');
  return {
    state: text('#state .state-word'),
    lastCheck: text('#last-check'),
    windows: text('#slo .card h3'),
    figures: text('#slo .card .figure'),
    incidents: text('#incidents tr.incident'),
    points: [...allTools.querySelectorAll('circle.point')].filter(shown).length,
    tables: document.querySelectorAll('details table').length,
    charts: document.querySelectorAll('svg.chart').length,
    resources: performance.getEntriesByType('resource').length,
    overflow: document.documentElement.scrollWidth - window.innerWidth,
    cardLefts: [...new Set([...document.querySelectorAll('#slo .card')].map((c) => c.getBoundingClientRect().left))],
  };
})()"""


@pytest.fixture(scope="module")
def chromium() -> str:
    found = find_chromium()
    if found is None:
        reason = "no Chromium found: `make browser-setup` as root installs Debian's chromium (or set TABMCP_CHROMIUM)"
        if os.environ.get("CI"):
            pytest.fail(f"{reason}; CI installs it, so this is a setup failure")
        pytest.skip(reason)
    return found


@pytest.fixture(scope="module")
def page_file(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("status-page")
    history = folder / "history.jsonl"
    save_history(history, monitor_history.thirty_days())
    out = ARTIFACTS / "index.html"
    issues = "https://github.com/acme/tab-mcp/issues/{number}"
    assert monitor.main(["page", str(history), str(out), "--at", AT, "--issue-url", issues]) == 0
    return out


@pytest.fixture(scope="module")
def browser(chromium, tmp_path_factory):
    with headless_chromium(chromium, tmp_path_factory.mktemp("chromium")) as devtools:
        yield devtools


def seen(browser: DevTools, page: Path, **viewport) -> dict:
    browser.open(page.resolve().as_uri(), **viewport)
    return browser.evaluate(SEEN)


def test_a_person_sees_the_state_windows_incidents_and_charts(browser, page_file):
    view = seen(browser, page_file)
    browser.screenshot(ARTIFACTS / "status-page.png")
    assert view["state"] == ["Up"]
    assert view["lastCheck"][0].startswith("Last check: 2026-03-31 23:50 UTC")
    assert view["windows"] == ["24 h", "7 d", "30 d"]
    assert view["figures"] == ["100.00 %", "100.00 %", "99.72 %"]
    drift, outage = view["incidents"]
    assert drift.startswith("Upstream contract drift") and "#42" in drift
    assert outage.startswith("Outage") and "#41" in outage and "2026-03-11" in outage
    assert view["points"] == 30  # one point per day, each with a size on screen
    assert view["tables"] == view["charts"] > 1  # a data table behind every chart
    assert view["resources"] == 0  # nothing fetched: no script, font, image or tracker
    assert len(view["cardLefts"]) == 3  # three windows side by side on a desktop


def test_on_a_phone_it_is_one_column_without_sideways_scrolling(browser, page_file):
    view = seen(browser, page_file, width=390, height=844, mobile=True)
    browser.screenshot(ARTIFACTS / "status-page-phone.png")
    assert view["overflow"] <= 0
    assert len(view["cardLefts"]) == 1  # the window cards stack
    assert view["state"] == ["Up"] and len(view["incidents"]) == 2
    assert view["points"] == 30
