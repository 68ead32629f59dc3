"""A generated 30-day monitor history (2,880 checks, one every 15 minutes) with an outage, a drift and a recovery.

Deterministic (a seeded generator), so the page tests, the browser test and the timing all see the same data:

* an outage on day ``OUTAGE_DAY`` before the end: ``OUTAGE_CHECKS`` checks unreachable, tracked by issue
  ``OUTAGE_ISSUE`` (recorded on the failing checks and on the recovery, as the alert job writes it);
* contract drift on day ``DRIFT_DAY``: ``DRIFT_CHECKS`` checks with ``contract_drift``, issue ``DRIFT_ISSUE``;
* ``SLOW_TOOL`` over the 2 s target for one day (``SLOW_DAY``), which the page flags without an incident;
* every check since then healthy: the service has recovered and is up at the newest check.
"""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

from tabmcp_ops.monitor.history import HistoryRecord, format_ts

NOW = datetime(2026, 3, 31, 23, 50, tzinfo=UTC)
URL = "https://mcp.example.com/mcp"
CHECKS = 2880
TOOLS = {
    "racing_get_meetings": 180.0,
    "racing_get_race": 240.0,
    "racing_get_next_to_go": 150.0,
    "sports_get_all_open": 320.0,
    "sports_get_next_to_go": 200.0,
    "footytab_get_all_rounds": 120.0,
}
OUTAGE_DAY, OUTAGE_CHECKS, OUTAGE_ISSUE = 20, 8, 41
DRIFT_DAY, DRIFT_CHECKS, DRIFT_ISSUE = 9, 12, 42
SLOW_DAY, SLOW_TOOL = 5, "sports_get_all_open"


def _check_at(index: int, now: datetime) -> datetime:
    """The time of check ``index`` (0 = oldest) in a history ending at ``now``."""
    return now - timedelta(minutes=15 * (CHECKS - 1 - index))


def _window(day: int, checks: int, now: datetime) -> range:
    """The indices of ``checks`` consecutive checks starting at noon UTC ``day`` days before ``now``."""
    noon = (now - timedelta(days=day)).replace(hour=12, minute=0, second=0, microsecond=0)
    first = CHECKS - 1 - int((now - noon) / timedelta(minutes=15))
    return range(first, first + checks)


def thirty_days(now: datetime = NOW, *, url: str = URL, seed: int = 22) -> list[HistoryRecord]:
    """The 30-day history described in the module docstring, oldest first."""
    rng = random.Random(seed)
    outage, drift = _window(OUTAGE_DAY, OUTAGE_CHECKS, now), _window(DRIFT_DAY, DRIFT_CHECKS, now)
    slow_day = (now - timedelta(days=SLOW_DAY)).date()
    records = []
    for index in range(CHECKS):
        when = _check_at(index, now)
        down, drifting = index in outage, index in drift
        tools = {} if down else {name: round(base * rng.uniform(0.8, 1.6), 1) for name, base in TOOLS.items()}
        if tools and when.date() == slow_day:
            tools[SLOW_TOOL] = round(2600.0 * rng.uniform(0.9, 1.1), 1)
        issue = None
        if down or index == outage.stop:
            issue = OUTAGE_ISSUE
        elif drifting or index == drift.stop:
            issue = DRIFT_ISSUE
        alerts = ["unreachable"] if down else (["contract_drift"] if drifting else [])
        records.append(
            HistoryRecord(
                ts=format_ts(when),
                url=url,
                up=not down,
                healthy=not alerts,
                alerts=alerts,
                calls=0 if down else 40,
                errors=0,
                p95_ms=max(tools.values()) if tools else None,
                status=None if down else 200,
                tests=0 if down else 30,
                run_url=f"https://github.com/example/tab-mcp/actions/runs/{1000 + index}",
                tools_p95_ms=tools,
                issue=issue,
            )
        )
    return records
