"""Pure functions of the benchmark report: statistics, ratios, targets, the regression guard and Markdown.

Nothing here touches a socket, a process or the clock, so ``tests/unit/test_bench_report.py`` covers it.
Every comparison is a ratio between figures from the same run, because the machines are shared and noisy.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass
from typing import Any

TAB = "tab"
CONTROL = "A"  # the reference when a results document names none (documents written before the control set)
SLEEP = "B"
HTTPX_DEFAULT = "A-httpx"
# Control A in each upstream configuration; the fastest in the run is the reference for every target.
CONTROLS = (HTTPX_DEFAULT, "A-tuned", "A-aiohttp")
WIDE = "200 in flight"  # the scaling section's key for the 200-in-flight rotation

# The targets: (key, description, limit).
SEQ_P50_EXTRA_MS = 2.0
THROUGHPUT_MIN_RATIO = 1.0
THROUGHPUT_MIN_RATIO_HTTPX_DEFAULT = 1.1
HOL_MAX_RATIO = 1.5
OAUTH_MAX_PER_1000 = 1.0
CONNS_MAX_PER_1000 = 100.0
INMEM_MAX_RATIO = 1.2

# The CI regression guard (bench-check): only a large relative regression fails it.
CHECK_THROUGHPUT_MIN_RATIO = 0.5
CHECK_SEQ_P50_MAX_RATIO = 1.5
CHECK_HOL_MAX_RATIO = 3.0
CHECK_INMEM_MAX_RATIO = 3.0
CHECK_MAX_OAUTH_REQUESTS = 2
CHECK_CONNS_MAX_PER_1000 = 500.0


def percentile(values: Sequence[float], q: float) -> float:
    """The ``q``-th percentile (0..100) with linear interpolation between closest ranks (numpy's default)."""
    if not values:
        return math.nan
    if not 0 <= q <= 100:
        raise ValueError(f"percentile {q} is outside 0..100")
    ordered = sorted(values)
    pos = (len(ordered) - 1) * q / 100
    low = math.floor(pos)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (pos - low)


def summarize(latencies_ms: Sequence[float]) -> dict[str, float]:
    """n, p50, p95, p99 and mean of a list of latencies in ms."""
    return {
        "n": len(latencies_ms),
        "p50": percentile(latencies_ms, 50),
        "p95": percentile(latencies_ms, 95),
        "p99": percentile(latencies_ms, 99),
        "mean": statistics.fmean(latencies_ms) if latencies_ms else math.nan,
    }


def ratio(numerator: float | None, denominator: float | None) -> float | None:
    """``numerator / denominator``, or None when either is missing, NaN or the denominator is 0."""
    if numerator is None or denominator is None or denominator == 0:
        return None
    if math.isnan(numerator) or math.isnan(denominator):
        return None
    return numerator / denominator


def paired_median_ratio(numerators: Sequence[float], denominators: Sequence[float]) -> float | None:
    """Median of per-round ratios: rounds run back to back, so each pair saw the same machine load."""
    pairs = [ratio(a, b) for a, b in zip(numerators, denominators, strict=True)]
    usable = [p for p in pairs if p is not None]
    return statistics.median(usable) if usable else None


def per_1000(count: float | None, calls: int) -> float | None:
    """``count`` per 1,000 calls (None when no calls were made)."""
    if count is None or calls <= 0:
        return None
    return count * 1000 / calls


def physical_bound(in_flight: int, delay_ms: float) -> float:
    """The most calls per second ``in_flight`` concurrent calls can make against an upstream taking ``delay_ms``."""
    return in_flight / (delay_ms / 1000)


@dataclass(frozen=True)
class Target:
    """One target: what it measures, the figure, the limit and whether it was met."""

    name: str
    measured: float | None
    limit: float
    op: str  # "<=" or ">="
    unit: str = ""
    detail: str = ""

    @property
    def passed(self) -> bool:
        """True when the figure exists and meets the limit."""
        if self.measured is None or math.isnan(self.measured):
            return False
        return self.measured <= self.limit if self.op == "<=" else self.measured >= self.limit

    def as_dict(self) -> dict[str, Any]:
        """JSON form, with the verdict."""
        return {**asdict(self), "passed": self.passed}


def _get(data: Mapping[str, Any], *path: str) -> Any:
    """Walk nested dicts; None as soon as a key is missing."""
    node: Any = data
    for key in path:
        if not isinstance(node, Mapping) or key not in node:
            return None
        node = node[key]
    return node


def fastest_control(throughput: Mapping[str, Any], candidates: Sequence[str] = CONTROLS) -> str | None:
    """The control with the highest median per-round throughput (the reference), or None when none ran."""
    medians = {
        name: statistics.median(throughput[name]["round_per_s"])
        for name in candidates
        if name in throughput and throughput[name].get("round_per_s")
    }
    return max(medians, key=lambda name: medians[name]) if medians else None


def reference(results: Mapping[str, Any]) -> str:
    """The name of the control every target compares against (``A`` in documents that name none)."""
    return str(results.get("reference") or CONTROL)


def paired_ratio_or_none(a: Sequence[float] | None, b: Sequence[float] | None) -> float | None:
    """Median of per-round ratios, or None when either side has no rounds (or they differ in count)."""
    if not a or not b or len(a) != len(b):
        return None
    return paired_median_ratio(a, b)


def _paired(results: Mapping[str, Any], section: str, name: str, base: str) -> float | None:
    return paired_ratio_or_none(
        _get(results, section, name, "round_per_s"), _get(results, section, base, "round_per_s")
    )


def derived(results: Mapping[str, Any]) -> dict[str, float | None]:
    """The ratios the targets and the tables use, computed from raw results."""
    ref = reference(results)
    seq_tab, seq_ctl = _get(results, "sequential", TAB, "p50"), _get(results, "sequential", ref, "p50")
    bound = _get(results, "config", "bound_per_s")
    return {
        "seq_p50_extra_ms": None if seq_tab is None or seq_ctl is None else seq_tab - seq_ctl,
        "seq_p50_ratio": ratio(seq_tab, seq_ctl),
        "throughput_ratio": _paired(results, "throughput", TAB, ref),
        "throughput_ratio_httpx_default": _paired(results, "throughput", TAB, HTTPX_DEFAULT),
        "throughput_tab_to_bound": ratio(_get(results, "throughput", TAB, "per_s"), bound),
        "throughput_control_to_bound": ratio(_get(results, "throughput", ref, "per_s"), bound),
        "hol_ratio": _get(results, "head_of_line", TAB, "ratio"),
        "inmem_ratio": _get(results, "in_memory", "ratio"),
        "oauth_per_1000": _get(results, "oauth", "per_1000"),
        "conns_per_1000": _get(results, "throughput", TAB, "tcp_per_1000"),
        "conns_per_1000_wide": _get(results, "scaling", WIDE, TAB, "tcp_per_1000"),
    }


def targets(results: Mapping[str, Any]) -> list[Target]:
    """The issue's targets, evaluated on one run's results against its reference control."""
    d = derived(results)
    ref = reference(results)
    return [
        Target(f"throughput at 50 in flight ÷ reference ({ref})", d["throughput_ratio"], THROUGHPUT_MIN_RATIO, ">=",
               "×", "median of per-round ratios"),
        Target(f"throughput at 50 in flight ÷ httpx-default control ({HTTPX_DEFAULT})",
               d["throughput_ratio_httpx_default"], THROUGHPUT_MIN_RATIO_HTTPX_DEFAULT, ">=", "×",
               "median of per-round ratios"),
        Target(f"sequential p50 − reference ({ref}) p50", d["seq_p50_extra_ms"], SEQ_P50_EXTRA_MS, "<=", " ms"),
        Target("head-of-line: fast-call p95 ÷ its unloaded p50", d["hol_ratio"], HOL_MAX_RATIO, "<=", "×"),
        Target("OAuth requests per 1,000 calls", d["oauth_per_1000"], OAUTH_MAX_PER_1000, "<=", ""),
        Target("upstream TCP connections per 1,000 calls at 50 in flight", d["conns_per_1000"], CONNS_MAX_PER_1000,
               "<=", ""),
        Target("upstream TCP connections per 1,000 calls at 200 in flight", d["conns_per_1000_wide"],
               CONNS_MAX_PER_1000, "<=", ""),
        Target("in-memory per-call time ÷ control A (one MockTransport)", d["inmem_ratio"], INMEM_MAX_RATIO, "<=", "×"),
    ]  # fmt: skip


def regression_checks(results: Mapping[str, Any]) -> list[Target]:
    """The cheap CI guard: fails only on a large regression relative to the control."""
    d = derived(results)
    ref = reference(results)
    calls = _get(results, "throughput", TAB, "calls_total") or 0
    return [
        Target(f"throughput ÷ reference ({ref})", d["throughput_ratio"], CHECK_THROUGHPUT_MIN_RATIO, ">=", "×"),
        Target(f"sequential p50 ÷ reference ({ref}) p50", d["seq_p50_ratio"], CHECK_SEQ_P50_MAX_RATIO, "<=", "×"),
        Target("head-of-line fast p95 ÷ unloaded p50", d["hol_ratio"], CHECK_HOL_MAX_RATIO, "<=", "×"),
        Target("in-memory per-call time ÷ control A", d["inmem_ratio"], CHECK_INMEM_MAX_RATIO, "<=", "×"),
        Target("OAuth requests in the whole run", _get(results, "oauth", "requests"), CHECK_MAX_OAUTH_REQUESTS, "<="),
        Target("upstream TCP connections per 1,000 calls", d["conns_per_1000"], CHECK_CONNS_MAX_PER_1000, "<=", "",
               f"{calls} calls"),
    ]  # fmt: skip


def fmt(value: float | None, digits: int = 1, unit: str = "") -> str:
    """A number for the table, or 'n/a'."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "n/a"
    return f"{value:.{digits}f}{unit}"


def target_table(checks: Sequence[Target]) -> str:
    """Markdown table of targets with PASS/FAIL."""
    lines = ["| target | measured | limit | result |", "|---|---|---|---|"]
    for t in checks:
        digits = 2 if t.unit == "×" else 1
        note = f" ({t.detail})" if t.detail else ""
        lines.append(
            f"| {t.name}{note} | {fmt(t.measured, digits, t.unit)} | {t.op} {fmt(t.limit, digits, t.unit)} | "
            f"{'PASS' if t.passed else 'FAIL'} |"
        )
    return "\n".join(lines)
