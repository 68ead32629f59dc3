"""The monitor's "upstream contract drift" alert, read from the drift section of the run's latency JSON.

The pytest plugin writes ``"drift": {"violations", "tools", "tests"}`` into the ``--tabmcp-latency-json``
file (see ``pytest_tabmcp.contracts.drift``). Drift is its own alert kind, ``contract_drift``: the upstream
changed a field the tools rely on. It is not an outage, so when every failed smoke test failed on drift
alone, the run's ``smoke_failed`` alert is replaced by it (availability stays up); any other failure keeps
both. The alert keeps the one alert issue open like any other, and closes with it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from tabmcp_ops.monitor.alert import Alert, SmokeResult

DRIFT_ALERT = "contract_drift"
_SHOWN_SENTENCES = 5


@dataclass(frozen=True)
class DriftSummary:
    """The drift section of one run: distinct differences, their sentences per tool, and the tests they failed."""

    violations: int
    tools: dict[str, tuple[str, ...]]
    tests: tuple[str, ...]

    def sentences(self) -> list[str]:
        """Every difference, tool by tool."""
        return [sentence for sentences in self.tools.values() for sentence in sentences]


def parse_drift(data: Mapping[str, Any] | None) -> DriftSummary | None:
    """Read the ``drift`` section of a latency report; None when the run wrote none."""
    section = (data or {}).get("drift")
    if not isinstance(section, Mapping):
        return None
    tools = {str(tool): tuple(str(s) for s in sentences) for tool, sentences in (section.get("tools") or {}).items()}
    return DriftSummary(int(section.get("violations", 0)), tools, tuple(str(t) for t in section.get("tests") or ()))


def drift_message(drift: DriftSummary) -> str:
    """The alert sentence: how many differences in which tools, then the first few, one per line."""
    tools = ", ".join(drift.tools)
    lines = [f"upstream contract drift: {drift.violations} difference(s) in {tools}"]
    shown = drift.sentences()[:_SHOWN_SENTENCES]
    lines += [f"  - {sentence}" for sentence in shown]
    if drift.violations > len(shown):
        lines.append(f"  - ... and {drift.violations - len(shown)} more (see the run's drift report)")
    return "\n".join(lines)


def with_drift_alert(alerts: Sequence[Alert], smoke: SmokeResult | None, drift: DriftSummary | None) -> list[Alert]:
    """``alerts`` plus the drift alert when the run saw drift; a smoke failure due to drift alone is dropped."""
    if drift is None or not drift.violations:
        return list(alerts)
    drift_only = smoke is not None and smoke.failures + smoke.errors <= len(drift.tests)
    kept = [a for a in alerts if not (drift_only and a.code == "smoke_failed")]
    return [*kept, Alert(DRIFT_ALERT, drift_message(drift))]
