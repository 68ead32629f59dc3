"""Render one results document as the Markdown the README's Performance section carries (pure)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from bench.large_list import large_list_table
from bench.report import (
    CONTROL,
    CONTROLS,
    SLEEP,
    TAB,
    Target,
    derived,
    fmt,
    paired_ratio_or_none,
    ratio,
    reference,
    target_table,
)


def _g(data: Mapping[str, Any] | None, *path: str) -> Any:
    node: Any = data
    for key in path:
        if not isinstance(node, Mapping):
            return None
        node = node.get(key)
    return node


def _pct(value: float | None) -> str:
    return "n/a" if value is None else f"{100 * value:.1f}%"


def _signed(value: float | None) -> str:
    return "n/a" if value is None else f"{value:+.1f}"


def _share(value: float | None) -> str:
    return "–" if value is None else f"{value:.1f}%"


def _x(value: float | None, digits: int = 2) -> str:
    return fmt(value, digits, "×")


def header(results: Mapping[str, Any]) -> str:
    """Date, machine and setup lines."""
    m, c = results.get("machine", {}), results.get("config", {})
    return "\n".join(
        [
            f"### Benchmark: {results.get('timestamp', '?')} ({results.get('mode', '?')} run, "
            f"{fmt(results.get('elapsed_s'), 0)} s)",
            "",
            f"Machine: {m.get('nproc')} CPUs ({m.get('cpu_model')}), {m.get('os')}, Python {m.get('python')}; "
            f"mcp {m.get('mcp')}, httpx {m.get('httpx')}, httpcore {m.get('httpcore')}, aiohttp {m.get('aiohttp')}, "
            f"yarl {m.get('yarl')}, httpx-aiohttp {m.get('httpx-aiohttp')}, "
            f"sniffio {m.get('sniffio')}, uvicorn {m.get('uvicorn')}, pydantic {m.get('pydantic')}; "
            f"load average at start {m.get('loadavg_at_start')}.",
            f"Setup: every server gets its own upstream stand-in answering from the cassettes after "
            f"{c.get('delay_ms')} ms, on 127.0.0.1; client, servers and stand-ins share the machine's cores. "
            f"{c.get('in_flight')} calls in flight ({c.get('sessions')} sessions × {c.get('per_session')}) against "
            f"a {c.get('delay_ms')} ms upstream gives a physical bound of {fmt(c.get('bound_per_s'), 0)} calls/s. "
            f"Client: {c.get('client')}. Servers run in interleaved rounds; compare the ratios, not the absolute "
            "times.",
        ]
    )


def _columns(results: Mapping[str, Any]) -> list[str]:
    """tab-mcp, every control A configuration that ran, control B."""
    thr = results.get("throughput", {})
    return [TAB, *[c for c in CONTROLS if c in thr], *([SLEEP] if SLEEP in thr else [])] or [TAB]


def _title(results: Mapping[str, Any], name: str) -> str:
    label = _g(results, "servers", name, "label") or name
    pool = _g(results, "servers", name, "pool")
    mark = " **(reference)**" if name == reference(results) else ""
    return f"{label}{f' [{pool}]' if pool and pool != '–' else ''}{mark}"


def main_table(results: Mapping[str, Any]) -> str:
    """tab-mcp vs every control, scenario by scenario; the reference is marked."""
    seq, thr = results.get("sequential", {}), results.get("throughput", {})
    hol, mem = results.get("head_of_line", {}), results.get("in_memory", {})
    d, ref, cols = derived(results), reference(results), _columns(results)
    bound = _g(results, "config", "bound_per_s")

    def cells(section: Mapping[str, Any], key: str, digits: int = 1) -> list[str]:
        return [fmt(_g(section, name, key), digits) for name in cols]

    def only(values: dict[str, str]) -> list[str]:
        return [values.get(name, "–") for name in cols]

    def hol_cell(name: str) -> str:
        h = hol.get(name)
        if not h:
            return "–"
        return f"{_x(h.get('ratio'))} (p95 {fmt(h.get('loaded_p95'))} / p50 {fmt(h.get('unloaded_p50'))} ms)"

    smoke = results.get("smoke", {})
    smoke_cell = (
        f"{fmt(smoke.get('wall_s'))} s ({smoke.get('status')})" if smoke.get("wall_s") else smoke.get("status", "n/a")
    )
    to_ref = [_x(_g(thr, n, "to_reference")) if n != TAB else _x(d["throughput_ratio"]) for n in cols]
    rows = [
        ("sequential p50 (ms)", *cells(seq, "p50"), f"{_signed(d['seq_p50_extra_ms'])} ms ({_x(d['seq_p50_ratio'])})"),
        ("sequential p95 (ms)", *cells(seq, "p95"), _x(ratio(_g(seq, TAB, "p95"), _g(seq, ref, "p95")))),
        ("throughput, 50 in flight (calls/s)", *cells(thr, "per_s"), _x(d["throughput_ratio"]) + " ¹"),
        ("throughput ÷ reference ¹", *to_ref, "–"),
        ("throughput ÷ physical bound", *[_pct(ratio(_g(thr, n, "per_s"), bound)) for n in cols], "–"),
        ("server CPU per call (ms)", *cells(thr, "cpu_ms_per_call", 2),
         _x(ratio(_g(thr, TAB, "cpu_ms_per_call"), _g(thr, ref, "cpu_ms_per_call")))),
        ("throughput-run latency p50 / p95 (ms)",
         *[f"{fmt(_g(thr, n, 'p50'), 0)} / {fmt(_g(thr, n, 'p95'), 0)}" for n in cols], "–"),
        ("upstream TCP connections per 1,000 calls", *cells(thr, "tcp_per_1000"), "–"),
        ("max upstream in flight", *cells(thr, "max_in_flight", 0), "–"),
        ("OAuth requests per 1,000 calls (whole run)", *only({TAB: fmt(d["oauth_per_1000"], 2)}), "–"),
        ("head-of-line: fast p95 ÷ unloaded p50, other session slow", *only({n: hol_cell(n) for n in (TAB, ref)}),
         "–"),
        ("in-memory CPU per call (µs), one MockTransport",
         *only({TAB: fmt(_g(mem, TAB, "per_call_us"), 0), ref: fmt(_g(mem, CONTROL, "per_call_us"), 0)}),
         _x(d["inmem_ratio"])),
        ("offline smoke suite wall time", *only({TAB: smoke_cell}), "–"),
    ]  # fmt: skip
    lines = [
        "| measure | " + " | ".join(_title(results, n) for n in cols) + " | tab ÷ reference |",
        "|---|" + "---|" * (len(cols) + 1),
    ]
    lines += ["| " + " | ".join(str(c) for c in row) + " |" for row in rows]
    lines.append("")
    lines.append(
        f"¹ median of the per-round ratios (each round runs every server back to back). Reference: **{ref}**, the "
        "control A configuration with the highest median per-round throughput in this run; every target compares "
        "against it. In memory, control A's configurations are the same server (one MockTransport replaces the pool)."
    )
    return "\n".join(lines)


def scaling_table(results: Mapping[str, Any]) -> str:
    """Calls/s and server CPU per call as load and deployment change, in one table."""
    ref = reference(results)
    thr, scaling = results.get("throughput", {}), results.get("scaling", {})
    groups: list[tuple[str, Mapping[str, Any], list[str]]] = [("50 in flight", thr, [TAB, ref])]
    groups += [(key, section, list(section)) for key, section in scaling.items()]
    lines = [
        "| run | server | calls/s | ÷ physical bound | ÷ first row of the run ² | server CPU ms/call "
        "(all processes) | TCP conns per 1,000 calls | max upstream in flight |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for run, section, names in groups:
        first = names[0] if names else None
        for name in names:
            t = section.get(name) or {}
            bound = t.get("bound_per_s") or _g(results, "config", "bound_per_s")
            base = section.get(first, {}) if first else {}
            to_first = paired_ratio_or_none(t.get("round_per_s"), base.get("round_per_s"))
            lines.append(
                f"| {run} | {_title(results, name)} | {fmt(t.get('per_s'))} | {_pct(ratio(t.get('per_s'), bound))} | "
                f"{_x(to_first)} | {fmt(t.get('cpu_ms_per_call'), 2)} | {fmt(t.get('tcp_per_1000'))} | "
                f"{fmt(t.get('max_in_flight'), 0)} |"
            )
    lines += [
        "",
        "² each run's servers ran in interleaved rounds; median of the per-round ratios to the run's first row. "
        "CPU per call counts the server process and its worker processes.",
    ]
    return "\n".join(lines)


def extras_table(results: Mapping[str, Any]) -> str:
    """Same-session head-of-line, in-memory legacy framing and the 38 kB payload, when measured."""
    rows = []
    same = _g(results, "head_of_line", "tab-same-session")
    if same:
        rows.append(("head-of-line, slow call in the *same* session (tab-mcp)", _x(same.get("ratio")),
                     f"p95 {fmt(same.get('loaded_p95'))} ms vs p50 {fmt(same.get('unloaded_p50'))} ms"))  # fmt: skip
    mem = results.get("in_memory", {})
    for key, label in (("legacy", "in-memory, legacy JSON-RPC framing"), ("big", "in-memory, 38 kB race form")):
        v = mem.get(key)
        if v:
            figures = f"{fmt(_g(v, TAB, 'per_call_us'), 0)} vs {fmt(_g(v, CONTROL, 'per_call_us'), 0)} µs"
            rows.append((f"{label}: CPU µs per call tab ÷ A", _x(v.get("ratio")), figures))
    big = results.get("sequential_big")
    if big:
        ref = reference(results)
        rows.append(("sequential p50, 38 kB race form (HTTP)", _x(ratio(_g(big, TAB, "p50"), _g(big, ref, "p50"))),
                     f"{fmt(_g(big, TAB, 'p50'))} vs {fmt(_g(big, ref, 'p50'))} ms"))  # fmt: skip
    if not rows:
        return ""
    lines = ["| extra measure | tab ÷ A (or ratio) | figures |", "|---|---|---|"]
    lines += [f"| {a} | {b} | {c} |" for a, b, c in rows]
    return "\n".join(lines)


def profile_table(results: Mapping[str, Any]) -> str:
    """Self-time share per category for tab-mcp and control A, and tab_mcp's own hottest functions."""
    prof = results.get("profile")
    if not prof:
        return ""
    if prof.get("status") == "n/a":
        return f"Profile: n/a ({prof.get('detail')})."
    ref = prof.get("reference") or CONTROL
    tab, ctl = prof.get(TAB, {}), prof.get(ref, {})
    cats = list(dict.fromkeys([*tab.get("categories", {}), *ctl.get("categories", {})]))
    lines = [
        f"Where a call's server CPU time goes: py-spy samples of each server during {prof.get('calls')} calls at "
        f"50 in flight ({tab.get('samples', 0)} / {ctl.get('samples', 0)} samples), each charged to the library of "
        "its innermost frame, with event-loop and stdlib frames charged to the library that called them:",
        "",
        f"| category | tab-mcp | {ref} |",
        "|---|---|---|",
    ]
    for cat in cats:
        lines.append(f"| {cat} | {_share(_g(tab, 'categories', cat))} | {_share(_g(ctl, 'categories', cat))} |")
    lines.append(
        f"| *inside tab_mcp frames, incl. the httpx call they make* | {_share(tab.get('inside_tab_mcp_pct'))} | – |"
    )
    top = tab.get("tab_mcp_self_top") or []
    if top:
        lines += ["", "tab_mcp functions by self time: " + "; ".join(f"{name} {pct}%" for name, pct in top[:6]) + "."]
    return "\n".join(lines)


def render_markdown(results: Mapping[str, Any], checks: Sequence[Target]) -> str:
    """The whole report: header, main table, targets (or checks), variants, extras and the profile."""
    title = "Regression checks (bench-check)" if results.get("mode") == "check" else "Targets"
    parts = [header(results), main_table(results), f"#### {title}", target_table(checks)]
    if results.get("scaling"):
        parts += ["#### Scaling: load and worker processes", scaling_table(results)]
    extras = extras_table(results)
    if extras:
        parts += ["#### Extra measures", extras]
    large = large_list_table(results)
    if large:
        parts += ["#### Large list: shaped answer vs pass-through", large]
    prof = profile_table(results)
    if prof:
        parts += ["#### Profile", prof]
    errors = call_errors(results)
    if errors:
        parts.append(f"**{errors} call(s) failed during the run**: see the JSON (first_error fields).")
    if smoke_failed(results):
        parts.append(f"**The smoke suite did not pass** ({results['smoke'].get('detail', '')}): the run fails.")
    return "\n\n".join(parts)


# Sections that describe the run rather than measure it: an "errors" key there is no failed call.
_NOT_MEASURED = frozenset({"config", "machine", "servers", "targets", "checks"})


def _errors_in(node: Any) -> int:
    if isinstance(node, Mapping):
        own = node.get("errors")
        counted = int(own) if isinstance(own, int) and not isinstance(own, bool) else 0
        return counted + sum(_errors_in(value) for key, value in node.items() if key != "errors")
    if isinstance(node, list):
        return sum(_errors_in(item) for item in node)
    return 0


def call_errors(results: Mapping[str, Any]) -> int:
    """How many tool calls failed anywhere in the run, every section (scaling too); any fails the run."""
    return sum(_errors_in(value) for key, value in results.items() if key not in _NOT_MEASURED)


def smoke_failed(results: Mapping[str, Any]) -> bool:
    """Whether the smoke suite ran and did not pass (failed or timed out); skipped or n/a is no failure."""
    return (results.get("smoke") or {}).get("status") in {"failed", "timeout"}


def run_passed(results: Mapping[str, Any], checks: Sequence[Target]) -> bool:
    """The run's verdict: every target or check met, no failed call in any section, and the smoke suite passed."""
    return all(c.passed for c in checks) and not call_errors(results) and not smoke_failed(results)
