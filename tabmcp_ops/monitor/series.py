"""Daily series for the status page: availability per UTC day, and p95 per tool per day.

Every day of the window gets a position, with None where no check ran, so a chart's spacing is time and a missed
cron run shows as a gap, never as an outage. A tool's daily p95 is the 95th percentile (nearest rank) of the
per-check p95s that day; the overall line uses each check's p95 over all its calls.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from tabmcp_ops.monitor.charts import Point
from tabmcp_ops.monitor.history import HistoryRecord

ALL_TOOLS = "all tools"


@dataclass(frozen=True)
class DaySeries:
    """The page's daily figures: the days shown, availability per day, and p95 per tool per day."""

    days: tuple[date, ...]
    checks: dict[date, int]
    up: dict[date, int]
    p95: dict[str, dict[date, float]]

    def availability(self) -> list[Point]:
        """Availability (0..1) per day; None on a day without checks."""
        return [
            Point(_label(day), self.up[day] / self.checks[day] if self.checks.get(day) else None) for day in self.days
        ]

    def tool(self, name: str) -> list[Point]:
        """The daily p95 of one tool (or :data:`ALL_TOOLS`); None on a day without a value."""
        values = self.p95.get(name, {})
        return [Point(_label(day), values.get(day)) for day in self.days]

    def tools_worst_first(self) -> list[str]:
        """Tool names ordered by their worst day (slowest first), so a breach is at the top of the page."""
        named = [name for name in self.p95 if name != ALL_TOOLS]
        return sorted(named, key=lambda name: (-max(self.p95[name].values()), name))


def nearest_rank(values: Sequence[float], share: float = 0.95) -> float:
    """The ``share`` percentile of ``values`` by nearest rank (an observed value, never interpolated)."""
    ordered = sorted(values)
    return ordered[max(math.ceil(share * len(ordered)) - 1, 0)]


def daily_series(records: Iterable[HistoryRecord], now: datetime, days: int = 30) -> DaySeries:
    """Bucket the checks of the last ``days`` UTC days (today included) by day."""
    shown = tuple(now.date() - timedelta(days=offset) for offset in range(days - 1, -1, -1))
    first = shown[0]
    checks: dict[date, int] = {}
    up: dict[date, int] = {}
    samples: dict[str, dict[date, list[float]]] = {}
    for record in records:
        day = record.when.date()
        if day < first or record.when > now:
            continue
        checks[day] = checks.get(day, 0) + 1
        up[day] = up.get(day, 0) + (1 if record.up else 0)
        per_tool = dict(record.tools_p95_ms)
        if record.p95_ms is not None:
            per_tool[ALL_TOOLS] = record.p95_ms
        for tool, value in per_tool.items():
            samples.setdefault(tool, {}).setdefault(day, []).append(value)
    p95 = {tool: {day: nearest_rank(v) for day, v in by_day.items()} for tool, by_day in samples.items()}
    return DaySeries(days=shown, checks=checks, up=up, p95=p95)


def _label(day: date) -> str:
    return day.strftime("%m-%d")
