"""Render one results document as the Markdown the README's Performance section carries (pure)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from bench.report import CONTROL, SLEEP, TAB, Target, derived, fmt, ratio, target_table


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
            f"mcp {m.get('mcp')}, httpx {m.get('httpx')}, httpcore {m.get('httpcore')}, "
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


def main_table(results: Mapping[str, Any]) -> str:
    """tab-mcp vs the two controls, scenario by scenario."""
    seq, thr = results.get("sequential", {}), results.get("throughput", {})
    hol, mem = results.get("head_of_line", {}), results.get("in_memory", {})
    d = derived(results)
    bound = _g(results, "config", "bound_per_s")

    def cells(section: Mapping[str, Any], key: str, digits: int = 1) -> list[str]:
        return [fmt(_g(section, name, key), digits) for name in (TAB, CONTROL, SLEEP)]

    def hol_cell(name: str) -> str:
        h = hol.get(name)
        if not h:
            return "–"
        return f"{_x(h.get('ratio'))} (p95 {fmt(h.get('loaded_p95'))} / p50 {fmt(h.get('unloaded_p50'))} ms)"

    smoke = results.get("smoke", {})
    smoke_cell = (
        f"{fmt(smoke.get('wall_s'))} s ({smoke.get('status')})" if smoke.get("wall_s") else smoke.get("status", "n/a")
    )
    thr_tab = _g(thr, TAB, "per_s")
    rows = [
        ("sequential p50 (ms)", *cells(seq, "p50"), f"{_signed(d['seq_p50_extra_ms'])} ms ({_x(d['seq_p50_ratio'])})",
         "–"),
        ("sequential p95 (ms)", *cells(seq, "p95"), _x(ratio(_g(seq, TAB, "p95"), _g(seq, CONTROL, "p95"))), "–"),
        ("throughput, 50 in flight (calls/s)", *cells(thr, "per_s"), _x(d["throughput_ratio"]) + " ¹",
         _pct(ratio(thr_tab, bound))),
        ("control ÷ physical bound", "–", _pct(d["throughput_control_to_bound"]),
         _pct(ratio(_g(thr, SLEEP, "per_s"), bound)), "–", "–"),
        ("server CPU per call (ms)", *cells(thr, "cpu_ms_per_call", 2),
         _x(ratio(_g(thr, TAB, "cpu_ms_per_call"), _g(thr, CONTROL, "cpu_ms_per_call"))), "–"),
        ("throughput-run latency p50 / p95 (ms)",
         *[f"{fmt(_g(thr, n, 'p50'), 0)} / {fmt(_g(thr, n, 'p95'), 0)}" for n in (TAB, CONTROL, SLEEP)], "–", "–"),
        ("upstream TCP connections per 1,000 calls", *cells(thr, "tcp_per_1000"), "–", "–"),
        ("max upstream in flight", *cells(thr, "max_in_flight", 0), "–", "–"),
        ("OAuth requests per 1,000 calls (whole run)", fmt(d["oauth_per_1000"], 2), "– (fixed token)", "–", "–", "–"),
        ("head-of-line: fast p95 ÷ unloaded p50, other session slow", hol_cell(TAB), hol_cell(CONTROL), "–", "–", "–"),
        ("in-memory CPU per call (µs)", fmt(_g(mem, TAB, "per_call_us"), 0), fmt(_g(mem, CONTROL, "per_call_us"), 0),
         "–", _x(d["inmem_ratio"]), "–"),
        ("offline smoke suite wall time", smoke_cell, "–", "–", "–", "–"),
    ]  # fmt: skip
    lines = [
        "| measure | tab-mcp | control A (bare SDK + pooled httpx) | control B (sleep 50 ms) | tab ÷ A | tab ÷ bound |",
        "|---|---|---|---|---|---|",
    ]
    lines += ["| " + " | ".join(str(c) for c in row) + " |" for row in rows]
    lines.append("")
    lines.append("¹ median of the per-round ratios (each round runs tab-mcp and control A back to back).")
    return "\n".join(lines)


def variants_table(results: Mapping[str, Any]) -> str:
    """Pool sizes and streamable-HTTP transport options, each next to its baseline in the same rounds."""
    servers, var, seq = results.get("servers", {}), results.get("variants", {}), results.get("sequential", {})
    lines = [
        "| server | transport | upstream pool (max / keep-alive) | calls/s | ÷ baseline ² | server CPU ms/call | "
        "÷ baseline | TCP conns per 1,000 calls | max upstream in flight | sequential p50 ms |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for name, t in var.items():
        spec = servers.get(name, {})
        lines.append(
            f"| {spec.get('label', name)} | {spec.get('transport')} | {spec.get('pool')} | {fmt(t.get('per_s'))} | "
            f"{_x(t.get('per_s_to_baseline'))} | {fmt(t.get('cpu_ms_per_call'), 2)} | {_x(t.get('cpu_to_baseline'))} | "
            f"{fmt(t.get('tcp_per_1000'))} | {fmt(t.get('max_in_flight'), 0)} | {fmt(_g(seq, name, 'p50'))} |"
        )
    lines += [
        "",
        "² each variant ran in interleaved rounds with its baseline (tab-mcp, or control A), "
        "median of the per-round ratios.",
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
        rows.append(("sequential p50, 38 kB race form (HTTP)", _x(ratio(_g(big, TAB, "p50"), _g(big, CONTROL, "p50"))),
                     f"{fmt(_g(big, TAB, 'p50'))} vs {fmt(_g(big, CONTROL, 'p50'))} ms"))  # fmt: skip
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
    tab, ctl = prof.get(TAB, {}), prof.get(CONTROL, {})
    cats = list(dict.fromkeys([*tab.get("categories", {}), *ctl.get("categories", {})]))
    lines = [
        f"Where a call's server CPU time goes: py-spy samples of each server during {prof.get('calls')} calls at "
        f"50 in flight ({tab.get('samples', 0)} / {ctl.get('samples', 0)} samples), each charged to the library of "
        "its innermost frame, with event-loop and stdlib frames charged to the library that called them:",
        "",
        "| category | tab-mcp | control A |",
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
    if results.get("variants"):
        parts += ["#### Upstream pool and transport options", variants_table(results)]
    extras = extras_table(results)
    if extras:
        parts += ["#### Extra measures", extras]
    prof = profile_table(results)
    if prof:
        parts += ["#### Profile", prof]
    errors = call_errors(results)
    if errors:
        parts.append(f"**{errors} call(s) failed during the run**: see the JSON (first_error fields).")
    return "\n\n".join(parts)


def call_errors(results: Mapping[str, Any]) -> int:
    """How many tool calls answered is_error anywhere in the run (any is a failure of the run)."""
    total = 0
    for section in ("sequential", "throughput", "head_of_line", "sequential_big"):
        for entry in (results.get(section) or {}).values():
            if isinstance(entry, Mapping):
                total += int(entry.get("errors") or 0)
    return total
