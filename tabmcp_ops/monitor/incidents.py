"""Incidents derived from the monitor's history: outages, contract drift, persistent skips and degradations.

An incident of one kind is a run of consecutive checks (against one URL, in time order) that all show it. It starts
at the first such check and ends at the first later check that no longer does (the recovery); one still showing at
the newest check is ongoing. The kinds are independent: a drift can start during an outage and outlast it.

The tracking issue is the alert issue recorded on the incident's checks (the alert job writes it into the history,
see :func:`tabmcp_ops.monitor.history.record_issue`); when none of them names one, the recovery check's issue is
used, since the run that recovered is the one whose alert job closed it. Pure functions, no I/O.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from tabmcp_ops.monitor.drift import DRIFT_ALERT
from tabmcp_ops.monitor.history import HistoryRecord, parse_ts
from tabmcp_ops.monitor.skips import SKIP_ALERT

# Alerts that make an up check degraded rather than healthy (slow, error rate): drift and skips have their own kind.
_DEGRADING = frozenset({"slow", "error_rate"})


@dataclass(frozen=True)
class IncidentKind:
    """One kind of incident: its name, a sentence for the page, and the test a check must meet to show it."""

    name: str
    label: str
    shows: Callable[[HistoryRecord], bool]


KINDS: tuple[IncidentKind, ...] = (
    IncidentKind("outage", "Outage: the service was down", lambda r: not r.up),
    IncidentKind("drift", "Upstream contract drift", lambda r: DRIFT_ALERT in r.alerts),
    IncidentKind("skips", "Persistent skips: the monitor was partly blind", lambda r: SKIP_ALERT in r.alerts),
    IncidentKind("degraded", "Degraded: slow or failing calls", lambda r: r.up and bool(_DEGRADING & set(r.alerts))),
)


@dataclass(frozen=True)
class Incident:
    """One incident: its kind, first and recovery check times (``end`` None: ongoing), checks and tracking issue."""

    kind: str
    label: str
    start: str
    end: str | None
    checks: int
    alerts: tuple[str, ...]
    issue: int | None

    @property
    def ongoing(self) -> bool:
        """True when the newest check still shows it."""
        return self.end is None


def derive_incidents(records: Sequence[HistoryRecord], kinds: Iterable[IncidentKind] = KINDS) -> list[Incident]:
    """Return every incident in ``records`` (one URL, any order), newest start first."""
    ordered = sorted(records, key=lambda r: r.when)
    found = [incident for kind in kinds for incident in _incidents_of(kind, ordered)]
    return sorted(found, key=lambda i: (i.start, i.kind), reverse=True)


def _incidents_of(kind: IncidentKind, ordered: Sequence[HistoryRecord]) -> list[Incident]:
    """The incidents of one kind: each maximal run of consecutive checks that show it."""
    incidents: list[Incident] = []
    current: list[HistoryRecord] = []
    for record in ordered:
        if kind.shows(record):
            current.append(record)
            continue
        if current:
            incidents.append(_incident(kind, current, recovery=record))
            current = []
    if current:
        incidents.append(_incident(kind, current, recovery=None))
    return incidents


def _incident(kind: IncidentKind, checks: list[HistoryRecord], recovery: HistoryRecord | None) -> Incident:
    """Build one incident from its checks and the check that recovered (None: ongoing)."""
    issue = next((r.issue for r in checks if r.issue is not None), recovery.issue if recovery else None)
    alerts = tuple(sorted({code for r in checks for code in r.alerts}))
    return Incident(
        kind=kind.name,
        label=kind.label,
        start=checks[0].ts,
        end=recovery.ts if recovery else None,
        checks=len(checks),
        alerts=alerts,
        issue=issue,
    )


def within(incidents: Iterable[Incident], since: datetime) -> list[Incident]:
    """The incidents still ongoing or recovered after ``since`` (those the page's 30 days show)."""
    return [i for i in incidents if i.end is None or parse_ts(i.end) > since]
