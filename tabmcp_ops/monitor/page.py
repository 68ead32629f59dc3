"""The status page: one self-contained HTML file rendered from the monitor's history.

``python -m tabmcp_ops.monitor page HISTORY OUT`` writes it (the monitor workflow publishes it to GitHub Pages).
It shows the current state (up, degraded or down, and when the last check ran), availability over the SLO windows
against the 99.9 % target, p95 latency per tool per day against the 2 s target, and the incidents with the alert
issue that tracked each. No script, font, image or stylesheet is loaded from anywhere (a Content-Security-Policy
forbids it); the charts are inline SVG with a data table behind each; the layout is one column on a phone. Every
string that comes from the history is escaped.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from html import escape

from tabmcp_ops.monitor.charts import Point, bar_chart, line_chart
from tabmcp_ops.monitor.history import AVAILABILITY_TARGET, HistoryRecord, WindowStats, all_windows, format_ts
from tabmcp_ops.monitor.incidents import Incident, derive_incidents, within
from tabmcp_ops.monitor.page_style import CSS
from tabmcp_ops.monitor.series import ALL_TOOLS, DaySeries, daily_series

P95_TARGET_MS = 2000.0  # DEPLOYMENT.md's response-time target (the 5 s figure is the alert limit, not the goal)
STALE_AFTER = timedelta(hours=1)  # four missed 15-minute checks
PAGE_DAYS = 30
REFRESH_S = 300
_INCIDENT_COLUMNS = ("Incident", "Start", "End", "Checks", "Alerts", "Issue")
STATES = {"up": "Up", "degraded": "Degraded", "down": "Down", "unknown": "No data"}


def current_state(records: Sequence[HistoryRecord]) -> str:
    """``up`` (last check healthy), ``degraded`` (up with alerts), ``down`` or ``unknown`` (no check yet)."""
    if not records:
        return "unknown"
    last = max(records, key=lambda r: r.when)
    return "down" if not last.up else ("up" if last.healthy else "degraded")


def render_page(records: Sequence[HistoryRecord], now: datetime, *, url: str = "", issue_url: str = "") -> str:
    """Render the whole page for ``records`` (one URL) as of ``now``.

    ``issue_url`` is the alert issues' address with ``{number}`` in it (e.g. ``https://github.com/o/r/issues/
    {number}``); without it an issue is shown as ``#N``.
    """
    ordered = sorted(records, key=lambda r: r.when)
    series = daily_series(ordered, now, PAGE_DAYS)
    incidents = within(derive_incidents(ordered), now - timedelta(days=PAGE_DAYS))
    body = [
        _state_section(ordered, now, url),
        _windows_section(all_windows(ordered, now)),
        _availability_section(series),
        _latency_section(series),
        _incidents_section(incidents, issue_url),
        f"<footer><p>Generated {_time(format_ts(now))} from {len(ordered)} checks. Availability is the share of "
        "checks without an outage (unreachable, timeout, status 5xx or a failed smoke test); contract drift, skips "
        "and slow calls are incidents of their own but do not count as down.</p></footer>",
    ]
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">"
        '<meta name="referrer" content="no-referrer">'
        # An open tab picks up the next check's page without any script.
        f'<meta http-equiv="refresh" content="{REFRESH_S}">'
        f"<title>tab-mcp status: {STATES[current_state(ordered)]}</title><style>{CSS}</style></head>"
        "<body><main><h1>tab-mcp status</h1>" + "\n".join(body) + "</main></body></html>\n"
    )


def _time(ts: str | None) -> str:
    """A ``<time>`` element for a history timestamp (shown as ``YYYY-MM-DD HH:MM UTC``)."""
    if ts is None:
        return "ongoing"
    shown = ts.replace("T", " ")[:16] + " UTC"
    return f'<time datetime="{escape(ts)}">{escape(shown)}</time>'


def _link(href: str | None, text: str) -> str:
    """An escaped link, only for http(s) addresses (a history line must not smuggle in another scheme)."""
    if not href or not href.startswith(("https://", "http://")):
        return escape(text)
    return f'<a href="{escape(href)}">{escape(text)}</a>'


def _state_section(records: Sequence[HistoryRecord], now: datetime, url: str) -> str:
    """The banner: state, last check time, its alerts and run link, and a warning when checks stopped."""
    state = current_state(records)
    lines = [f'<section id="state" class="state state-{state}"><h2>Current state</h2>']
    lines.append(f'<p class="state-word" data-state="{state}">{STATES[state]}</p>')
    if url:
        lines.append(f"<p>Endpoint: <code>{escape(url)}</code></p>")
    if records:
        last = records[-1]
        lines.append(f'<p id="last-check">Last check: {_time(last.ts)} ({_link(last.run_url, "workflow run")})</p>')
        if last.alerts:
            lines.append("<p>Alerts: " + ", ".join(f"<code>{escape(a)}</code>" for a in last.alerts) + "</p>")
        if now - last.when > STALE_AFTER:
            lines.append('<p class="stale">No check for over an hour: the monitor itself may have stopped.</p>')
        else:
            # A published page cannot notice by itself that nothing rebuilt it, so it says how old is too old.
            lines.append(
                '<p class="note">Checks run every 15 minutes and rebuild this page; an older last check '
                "means the monitor has stopped.</p>"
            )
    else:
        lines.append("<p>The monitor has not recorded a check yet.</p>")
    return "".join(lines) + "</section>"


def _windows_section(windows: Sequence[WindowStats]) -> str:
    """One card per SLO window: availability against the target, checks, error rate and p95 median."""
    cards = []
    for w in windows:
        met = {None: ("none", "no checks"), True: ("met", "target met"), False: ("missed", "target missed")}
        kind, verdict = met[w.meets_availability]
        figure = "n/a" if w.availability is None else f"{w.availability * 100:.2f} %"
        errors = "n/a" if w.error_rate is None else f"{w.error_rate * 100:.3f} %"
        p95 = "n/a" if w.p95_median_ms is None else f"{w.p95_median_ms:.0f} ms"
        cards.append(
            f'<div class="card slo-{kind}" data-window="{escape(w.name)}"><h3>{escape(w.name)}</h3>'
            f'<p class="figure">{figure}</p><p>{verdict} ({w.up_runs} of {w.runs} checks up)</p>'
            f"<p>Error rate {errors}; p95 median {p95}</p></div>"
        )
    target = f"{AVAILABILITY_TARGET * 100:.1f} %"
    return (
        f'<section id="slo"><h2>Availability (target {target})</h2><div class="cards">{"".join(cards)}</div></section>'
    )


def _table(caption: str, head: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    """A data table inside a closed ``<details>`` (cells are already escaped)."""
    th = "".join(f'<th scope="col">{h}</th>' for h in head)
    trs = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in row) + "</tr>" for row in rows)
    return (
        f'<details><summary>{escape(caption)}</summary><div class="scroll"><table><thead><tr>{th}</tr></thead>'
        f"<tbody>{trs}</tbody></table></div></details>"
    )


def _availability_section(series: DaySeries) -> str:
    """Daily availability over the page's days, as bars against the target, with its table."""
    points = series.availability()
    chart = bar_chart(points, target=AVAILABILITY_TARGET, target_label="99.9 % target", title="Availability per day")
    rows = [
        [escape(p.label), str(series.checks.get(day, 0)), str(series.up.get(day, 0)), _pct(p.value)]
        for p, day in zip(points, series.days, strict=True)
    ]
    table = _table("Availability per day: data", ["Day (UTC)", "Checks", "Up", "Availability"], rows)
    return (
        f'<section id="availability"><h2>Availability per day, last {PAGE_DAYS} days</h2><figure>{chart}</figure>'
        f"{table}</section>"
    )


def _pct(value: float | None) -> str:
    return "no checks" if value is None else f"{value * 100:.2f} %"


def _latency_section(series: DaySeries) -> str:
    """Daily p95 of every tool (all tools first, then the slowest first) against the 2 s target."""
    figures = [_latency_figure(name, series.tool(name)) for name in [ALL_TOOLS, *series.tools_worst_first()]]
    return (
        f'<section id="latency"><h2>p95 latency per tool, last {PAGE_DAYS} days (target 2 s)</h2>'
        "<p>Each point is the day's 95th percentile of the per-check p95; the dashed line is the target.</p>"
        f'<div class="grid">{"".join(figures)}</div></section>'
    )


def _latency_figure(name: str, points: list[Point]) -> str:
    """One small chart and its table for one tool."""
    values = [p.value for p in points if p.value is not None]
    if not values:
        return ""
    worst = max(values)
    flag = ' class="over"' if worst > P95_TARGET_MS else ""
    title = f"p95 latency of {name} per day (ms)"
    chart = line_chart(points, target=P95_TARGET_MS, target_label="2 s target", title=title, unit="ms")
    rows = [[escape(p.label), "no checks" if p.value is None else f"{p.value:.0f}"] for p in points]
    table = _table(f"{name}: data", ["Day (UTC)", "p95 (ms)"], rows)
    return (
        f'<figure class="tool" data-tool="{escape(name)}"><figcaption><code>{escape(name)}</code> '
        f"<span{flag}>worst day {worst:.0f} ms</span></figcaption>{chart}{table}</figure>"
    )


def _incidents_section(incidents: Sequence[Incident], issue_url: str) -> str:
    """The incidents of the page's days, newest first, with the tracking issue."""
    if not incidents:
        return f'<section id="incidents"><h2>Incidents</h2><p>No incident in the last {PAGE_DAYS} days.</p></section>'
    rows = []
    for incident in incidents:
        issue = "none recorded"
        if incident.issue is not None:
            issue = _link(issue_url.replace("{number}", str(incident.issue)), f"#{incident.issue}")
        alerts = ", ".join(f"<code>{escape(a)}</code>" for a in incident.alerts)
        when = [_time(incident.start), _time(incident.end)]
        cells = [escape(incident.label), *when, str(incident.checks), alerts, issue]
        rows.append(
            f'<tr class="incident incident-{escape(incident.kind)}{" ongoing" if incident.ongoing else ""}">'
            + "".join(f'<td data-label="{h}">{cell}</td>' for h, cell in zip(_INCIDENT_COLUMNS, cells, strict=True))
            + "</tr>"
        )
    head = "".join(f'<th scope="col">{h}</th>' for h in _INCIDENT_COLUMNS)
    return (
        f'<section id="incidents"><h2>Incidents, last {PAGE_DAYS} days</h2><div class="scroll"><table class="stack">'
        f"<thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table></div></section>"
    )
