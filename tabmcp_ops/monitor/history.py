"""Monitor run history: one JSON line per health run, and the service-level figures computed from it.

Where the history lives (decided in DEPLOYMENT.md, "Monitoring history"): the monitor workflow keeps
``history.jsonl`` in the GitHub Actions cache (restore the newest ``tabmcp-monitor-history-*`` entry, append,
save under a new key). That needs no ``contents: write`` token on a scheduled job, unlike a history branch.
Runs are serialised by the workflow's concurrency group, so no two runs append to the same copy.

Definitions (also in DEPLOYMENT.md):

* availability = runs without an outage alert / runs, in the window (target 99.9 %; windows 24 h, 7 d, 30 d);
* error rate   = unexpectedly failed tool calls / tool calls, summed over the window (target < 0.1 %, alert
  > 1 % in one run);
* p95 trend    = per-run p95 (ms) bucketed by hour or day: median per bucket, plus window median and max.

Each record also keeps the run's p95 per tool (``tools_p95_ms``, for the status page's per-tool charts) and the
number of the alert issue that tracked it (``issue``, written by ``monitor issue --history`` in the alert job).
"""

from __future__ import annotations

import json
import statistics
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

from tabmcp_ops.monitor.alert import OUTAGE_ALERTS, Alert, LatencySummary, Probe, SmokeResult, error_count

AVAILABILITY_TARGET = 0.999
ERROR_RATE_TARGET = 0.001
KEEP = timedelta(days=31)  # one day more than the longest window, so the 30-day figure is always complete
WINDOWS: dict[str, timedelta] = {"24 h": timedelta(hours=24), "7 d": timedelta(days=7), "30 d": timedelta(days=30)}


@dataclass(frozen=True)
class HistoryRecord:
    """One health run, as stored in a line of ``history.jsonl``."""

    ts: str  # ISO 8601 UTC, e.g. 2026-01-31T12:00:00Z
    url: str
    up: bool
    healthy: bool
    alerts: list[str] = field(default_factory=list)
    calls: int = 0
    errors: int = 0
    p95_ms: float | None = None
    status: int | None = None
    tests: int = 0
    failed: int = 0
    run_url: str | None = None
    skipped: int = 0
    tools_p95_ms: dict[str, float] = field(default_factory=dict)
    issue: int | None = None
    # The unexcused skipped tests' ids; None when the suite did not run (or for records from before they were kept).
    skipped_tests: list[str] | None = None

    @property
    def when(self) -> datetime:
        """The record's timestamp as an aware UTC datetime."""
        return parse_ts(self.ts)


@dataclass(frozen=True)
class WindowStats:
    """Service-level figures over one window."""

    name: str
    runs: int
    up_runs: int
    calls: int
    errors: int
    p95_median_ms: float | None
    p95_max_ms: float | None

    @property
    def availability(self) -> float | None:
        """Fraction of runs that were up (None when there were no runs)."""
        return self.up_runs / self.runs if self.runs else None

    @property
    def error_rate(self) -> float | None:
        """Failed calls / calls (None when no call was made)."""
        return self.errors / self.calls if self.calls else None

    @property
    def meets_availability(self) -> bool | None:
        """True/False against the 99.9 % target; None without data."""
        return None if self.availability is None else self.availability >= AVAILABILITY_TARGET

    @property
    def meets_error_rate(self) -> bool | None:
        """True/False against the 0.1 % target; None without data."""
        return None if self.error_rate is None else self.error_rate < ERROR_RATE_TARGET


@dataclass(frozen=True)
class TrendPoint:
    """One bucket of a trend chart: a label, the median p95 and the availability of its runs."""

    label: str
    p95_ms: float | None
    availability: float


def parse_ts(text: str) -> datetime:
    """Parse an ISO 8601 timestamp (``Z`` allowed) into an aware UTC datetime."""
    parsed = datetime.fromisoformat(text.replace("Z", "+00:00"))
    return parsed.astimezone(UTC) if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def format_ts(moment: datetime) -> str:
    """Format an aware datetime as ``YYYY-MM-DDTHH:MM:SSZ``."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def make_record(
    *,
    now: datetime,
    url: str,
    probe: Probe,
    smoke: SmokeResult | None,
    latency: LatencySummary | None,
    alerts: list[Alert],
    run_url: str | None = None,
    skipped_tests: list[str] | None = None,
) -> HistoryRecord:
    """Build the history record for one evaluated run."""
    codes = [a.code for a in alerts]
    counted = error_count(smoke, latency)
    return HistoryRecord(
        ts=format_ts(now),
        url=url,
        up=not (set(codes) & OUTAGE_ALERTS),
        healthy=not codes,
        alerts=codes,
        calls=counted.calls,
        errors=counted.errors,
        p95_ms=latency.p95_ms if latency else None,
        status=probe.status,
        tests=smoke.tests if smoke else 0,
        failed=(smoke.failures + smoke.errors) if smoke else 0,
        run_url=run_url,
        skipped=smoke.skipped if smoke else 0,
        tools_p95_ms=_tools_p95(latency),
        skipped_tests=skipped_tests if smoke else None,
    )


def _tools_p95(latency: LatencySummary | None) -> dict[str, float]:
    """Each tool's p95 (ms, one decimal) from the run's latency summary; tools without a p95 are left out."""
    if latency is None:
        return {}
    found = {tool: stats.get("p95_ms") for tool, stats in latency.tools.items()}
    return {tool: round(float(p95), 1) for tool, p95 in sorted(found.items()) if isinstance(p95, int | float)}


def load_history(path: Path) -> tuple[list[HistoryRecord], int]:
    """Read records from a JSON-lines file; return ``(records, skipped_lines)``.

    A line that is not a valid record (e.g. a run killed mid-write) is skipped and counted, not fatal: losing
    one data point must not stop the monitor from reporting on the rest.
    """
    if not path.exists():
        return [], 0
    records, skipped = [], 0
    known = set(HistoryRecord.__dataclass_fields__)
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        try:
            data = json.loads(line)
            record = HistoryRecord(**{k: v for k, v in data.items() if k in known})
            record.when  # noqa: B018 - validates the timestamp now rather than at report time
        except (ValueError, TypeError, AttributeError):
            skipped += 1
            continue
        records.append(record)
    return records, skipped


def prune(records: Iterable[HistoryRecord], now: datetime, keep: timedelta = KEEP) -> list[HistoryRecord]:
    """Drop records older than ``keep`` and return the rest sorted by time."""
    cutoff = now - keep
    return sorted((r for r in records if r.when >= cutoff), key=lambda r: r.when)


def save_history(path: Path, records: Iterable[HistoryRecord]) -> None:
    """Write records as JSON lines, atomically (write a sibling file, then rename over the old one)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text("".join(json.dumps(asdict(r), sort_keys=True) + "\n" for r in records), encoding="utf-8")
    tmp.replace(path)


def append_record(path: Path, record: HistoryRecord, now: datetime) -> list[HistoryRecord]:
    """Add ``record`` to the history at ``path``, prune old lines, save, and return the pruned records."""
    records, _ = load_history(path)
    records = prune([*records, record], now)
    save_history(path, records)
    return records


def record_issue(path: Path, *, ts: str, url: str, number: int) -> bool:
    """Write the tracking alert issue's ``number`` onto the run recorded at ``ts`` for ``url``; False if absent.

    The alert job knows the number only after the health job saved the history, so it is added afterwards; a
    record that already names an issue keeps it (the first issue that tracked a run stays its issue).
    """
    records, _ = load_history(path)
    found = False
    for index, record in enumerate(records):
        if record.ts == ts and record.url == url:
            found = True
            if record.issue is None:
                records[index] = replace(record, issue=number)
    if found:
        save_history(path, records)
    return found


def window_stats(records: Iterable[HistoryRecord], now: datetime, name: str, span: timedelta) -> WindowStats:
    """Compute availability, error rate and p95 figures over the runs in ``(now - span, now]``."""
    inside = [r for r in records if now - span < r.when <= now]
    p95s = [r.p95_ms for r in inside if r.p95_ms is not None]
    return WindowStats(
        name=name,
        runs=len(inside),
        up_runs=sum(1 for r in inside if r.up),
        calls=sum(r.calls for r in inside),
        errors=sum(r.errors for r in inside),
        p95_median_ms=statistics.median(p95s) if p95s else None,
        p95_max_ms=max(p95s) if p95s else None,
    )


def all_windows(records: list[HistoryRecord], now: datetime) -> list[WindowStats]:
    """Return the figures for every window in :data:`WINDOWS` (24 h, 7 d and 30 d)."""
    return [window_stats(records, now, name, span) for name, span in WINDOWS.items()]


def trend(records: Iterable[HistoryRecord], now: datetime, span: timedelta, unit: str = "hour") -> list[TrendPoint]:
    """Bucket the runs of the window by clock hour (``unit="hour"``) or UTC day (``"day"``).

    Empty buckets are left out rather than drawn as zero: a chart must not show an outage that was really a
    missed cron run.
    """
    if unit not in {"hour", "day"}:
        raise ValueError(f"unit must be 'hour' or 'day', got {unit!r}")
    buckets: dict[datetime, list[HistoryRecord]] = {}
    for record in records:
        when = record.when
        if now - span < when <= now:
            key = when.replace(minute=0, second=0, microsecond=0)
            if unit == "day":
                key = key.replace(hour=0)
            buckets.setdefault(key, []).append(record)
    points = []
    for key in sorted(buckets):
        items = buckets[key]
        p95s = [r.p95_ms for r in items if r.p95_ms is not None]
        points.append(
            TrendPoint(
                label=key.strftime("%H:00") if unit == "hour" else key.strftime("%m-%d"),
                p95_ms=statistics.median(p95s) if p95s else None,
                availability=sum(1 for r in items if r.up) / len(items),
            )
        )
    return points
