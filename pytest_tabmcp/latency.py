"""Per-tool latency statistics, budgets and report formats (no pytest import).

The pytest glue (``_latency_reporter.py``) collects one :class:`CallSample` per timed tool call, from every
xdist worker, and hands the merged raw samples to :func:`build_report`. Percentiles are always computed
from the merged samples, never averaged across workers.

Percentiles use the **nearest-rank** method: the p-th percentile of ``n`` sorted samples is the sample
at 1-based rank ``ceil(p / 100 * n)``. It always returns a value that was actually measured (no
interpolation between two calls), ``p100`` is the maximum, and with few samples a high percentile is
simply the slowest call, which is what a latency budget should bite on.

The report is a plain dict, written as JSON and documented in design.md §3::

    {"mode": "offline" | "record" | "live",
     "tools": {name: {"calls", "errors", "p50_ms", "p95_ms", "max_ms", ...}},
     "overall": {"calls", "errors", "p50_ms", "p95_ms", "max_ms", ...},
     "budget": {"p95_ms": 2000.0, ...},
     "breaches": [{"tool", "stat", "value_ms", "budget_ms", "message"}],
     "slowest": [{"tool", "ms", "trace_id"}],  # the slowest traced calls, slowest first
     "skipped": [{"test", "reason", "excluded_by"}], "strict": bool}  # added by pytest_tabmcp.reporting.skips

A tool's entry also carries any other percentile that the budget names (e.g. ``p99_ms``). ``slowest`` lists the
:data:`SLOWEST_CALLS` slowest calls that carried a W3C trace id (``pytest_tabmcp.trace_context``), so a slow check
points at the server's trace of that call.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

#: ``user_properties`` name of one timed call on a test's report (``fixtures.ToolCaller`` writes it, with
#: :meth:`CallSample.to_property`; the latency reporter reads it back on the controller).
CALL_PROPERTY = "tabmcp_call"
#: Statistics every tool row carries, in display order.
DEFAULT_STATS: tuple[str, ...] = ("p50", "p95", "max")
#: How many of the slowest traced calls the report names.
SLOWEST_CALLS = 5

BUDGET_FORM = "comma-separated STAT=MS pairs such as 'p50=500,p95=2000,max=5000' (STAT is pN with 0<N<=100, or max)"
_STAT = re.compile(r"^(?:p(?P<pct>\d+(?:\.\d+)?)|(?P<max>max))$")
_MS = re.compile(r"^(?P<num>\d+(?:\.\d*)?|\.\d+)\s*(?:ms)?$")


@dataclass(frozen=True, kw_only=True)
class CallSample:
    """One timed tool call: the tool name, wall time in milliseconds, and whether it returned an error."""

    tool: str
    ms: float
    error: bool = False
    trace_id: str | None = None

    def to_property(self) -> dict[str, object]:
        """Return the plain-data form stored in a test report's ``user_properties`` (xdist-serialisable)."""
        value: dict[str, object] = {"tool": self.tool, "ms": round(self.ms, 3), "error": self.error}
        if self.trace_id:
            value["trace_id"] = self.trace_id
        return value

    @classmethod
    def from_property(cls, value: Mapping[str, Any]) -> CallSample:
        """Rebuild a sample from :meth:`to_property` output, as shipped back by an xdist worker."""
        trace_id = value.get("trace_id")
        return cls(
            tool=str(value["tool"]),
            ms=float(value["ms"]),
            error=bool(value.get("error", False)),
            trace_id=str(trace_id) if trace_id else None,
        )


def percentile(samples: Iterable[float], pct: float) -> float:
    """Return the ``pct``-th percentile of ``samples`` by the nearest-rank method (``0 < pct <= 100``)."""
    ordered = sorted(samples)
    if not ordered:
        raise ValueError("percentile of no samples")
    if not 0 < pct <= 100:
        raise ValueError(f"percentile must be in (0, 100], got {pct!r}")
    rank = math.ceil(pct / 100 * len(ordered))
    return ordered[max(rank, 1) - 1]


def stat_value(samples: Iterable[float], stat: str) -> float:
    """Return the value of ``stat`` (``"max"`` or ``"pN"``) over ``samples``."""
    values = list(samples)
    if stat == "max":
        return max(values)
    return percentile(values, float(stat[1:]))


def parse_budget(text: str) -> dict[str, float]:
    """Parse ``'p50=500,p95=2000,max=5000'`` into ``{"p50": 500.0, "p95": 2000.0, "max": 5000.0}`` (ms).

    Values are milliseconds, with an optional ``ms`` suffix, and must be positive. Raises ``ValueError``
    with a one-line reason; the caller names the option and shows :data:`BUDGET_FORM`.
    """
    budget: dict[str, float] = {}
    entries = [part.strip() for part in text.split(",")]
    if not any(entries):
        raise ValueError("it is empty")
    for entry in entries:
        key, sep, raw = entry.partition("=")
        key, raw = key.strip().lower(), raw.strip().lower()
        if not sep or not key or not raw:
            raise ValueError(f"{entry!r} is not STAT=MS")
        match = _STAT.match(key)
        if not match or (match["pct"] is not None and not 0 < float(match["pct"]) <= 100):
            raise ValueError(f"{key!r} is not a statistic (use pN with 0<N<=100, or max)")
        stat = "max" if match["max"] else f"p{float(match['pct']):g}"
        number = _MS.match(raw)
        if not number or float(number["num"]) <= 0:
            raise ValueError(f"{raw!r} is not a positive number of milliseconds")
        if stat in budget:
            raise ValueError(f"{stat} is given twice")
        budget[stat] = float(number["num"])
    return budget


def _stats_row(samples: list[CallSample], stats: Iterable[str]) -> dict[str, float | int]:
    times = [s.ms for s in samples]
    row: dict[str, float | int] = {"calls": len(samples), "errors": sum(1 for s in samples if s.error)}
    for stat in stats:
        row[f"{stat}_ms"] = round(float(stat_value(times, stat)), 3)
    return row


def build_report(
    samples: Iterable[CallSample], *, mode: str, budget: Mapping[str, float] | None = None
) -> dict[str, Any]:
    """Aggregate raw samples into the report dict (schema in the module docstring), checking the budget.

    Every tool is checked against every budget entry; a breach names the tool, the statistic, the
    measured value and the limit.
    """
    by_tool: dict[str, list[CallSample]] = {}
    all_samples: list[CallSample] = []
    for sample in samples:
        by_tool.setdefault(sample.tool, []).append(sample)
        all_samples.append(sample)
    budget = dict(budget or {})
    stats = list(DEFAULT_STATS) + [s for s in budget if s not in DEFAULT_STATS]
    tools = {name: _stats_row(by_tool[name], stats) for name in sorted(by_tool)}
    breaches = []
    for name, row in tools.items():
        for stat, limit in budget.items():
            value = float(row[f"{stat}_ms"])
            if value > limit:
                breaches.append(
                    {
                        "tool": name,
                        "stat": stat,
                        "value_ms": value,
                        "budget_ms": limit,
                        "message": f"{name} {stat} {value:g} ms exceeds the budget of {limit:g} ms",
                    }
                )
    return {
        "mode": mode,
        "tools": tools,
        "overall": _stats_row(all_samples, stats) if all_samples else {"calls": 0, "errors": 0},
        "budget": {f"{stat}_ms": limit for stat, limit in budget.items()},
        "breaches": breaches,
        "slowest": slowest_calls(all_samples),
    }


def slowest_calls(samples: Iterable[CallSample], count: int = SLOWEST_CALLS) -> list[dict[str, Any]]:
    """The ``count`` slowest calls that carry a trace id, slowest first: ``{"tool", "ms", "trace_id"}``."""
    traced = sorted((s for s in samples if s.trace_id), key=lambda s: s.ms, reverse=True)
    return [{"tool": s.tool, "ms": round(s.ms, 3), "trace_id": s.trace_id} for s in traced[:count]]


def format_slowest(report: Mapping[str, Any]) -> list[str]:
    """One line per slowest traced call (``tool  ms  trace <id>``), under a heading; nothing when none."""
    slowest = report.get("slowest") or []
    if not slowest:
        return []
    width = max(len(entry["tool"]) for entry in slowest)
    lines = ["slowest calls (trace ids for the server's traces):"]
    lines += [f"  {e['tool'].ljust(width)}  {e['ms']:>10.2f} ms  trace {e['trace_id']}" for e in slowest]
    return lines


def _columns(report: Mapping[str, Any]) -> list[str]:
    extra: list[str] = []
    for row in report["tools"].values():
        extra += [k[:-3] for k in row if k.endswith("_ms") and k[:-3] not in DEFAULT_STATS and k[:-3] not in extra]
    return ["p50", "p95", *extra, "max"]


def _rows(report: Mapping[str, Any]) -> list[tuple[str, list[str]]]:
    columns = _columns(report)
    rows = []
    entries = dict(report["tools"])
    if len(entries) > 1:
        entries["(all tools)"] = report["overall"]
    for name, row in entries.items():
        rows.append((name, [str(row["calls"]), str(row["errors"])] + [f"{row[f'{c}_ms']:.2f}" for c in columns]))
    return rows


def format_table(report: Mapping[str, Any]) -> list[str]:
    """Render the report as fixed-width terminal lines: one header and one row per tool (plus a total)."""
    headers = ["calls", "errors"] + [f"{c} ms" for c in _columns(report)]
    rows = _rows(report)
    name_width = max([len("tool"), *(len(name) for name, _ in rows)])
    widths = [max(len(h), *(len(cells[i]) for _, cells in rows)) for i, h in enumerate(headers)]
    lines = ["tool".ljust(name_width) + "".join(f"  {h:>{w}}" for h, w in zip(headers, widths, strict=True))]
    for name, cells in rows:
        lines.append(name.ljust(name_width) + "".join(f"  {c:>{w}}" for c, w in zip(cells, widths, strict=True)))
    return lines


def format_budget(budget: Mapping[str, float]) -> str:
    """Render a budget as ``p95 <= 2000 ms, max <= 5000 ms`` (empty string when there is none)."""
    return ", ".join(f"{stat} <= {limit:g} ms" for stat, limit in budget.items())


def format_markdown(report: Mapping[str, Any]) -> str:
    """Render the report as GitHub-flavoured Markdown for ``$GITHUB_STEP_SUMMARY``."""
    columns = _columns(report)
    lines = [
        f"### tab-mcp latency ({report['mode']})",
        "",
        "| tool | calls | errors | " + " | ".join(f"{c} ms" for c in columns) + " |",
        "|:--|--:|--:|" + "--:|" * len(columns),
    ]
    lines += [f"| `{name}` | " + " | ".join(cells) + " |" for name, cells in _rows(report)]
    budget = {k[:-3]: v for k, v in report["budget"].items()}
    breaches = report["breaches"]
    if budget:
        verdict = f"**{len(breaches)} breach(es)**" if breaches else "met"
        lines += ["", f"Budget {format_budget(budget)}: {verdict}"]
        lines += [f"- :x: {b['message']}" for b in breaches]
    slowest = report.get("slowest") or []
    if slowest:
        calls = ", ".join(f"`{e['tool']}` {e['ms']:.0f} ms (trace `{e['trace_id']}`)" for e in slowest)
        lines += ["", f"Slowest calls: {calls}"]
    return "\n".join(lines) + "\n"
