"""Scenarios 1-3 and the profile against started servers, turned into the results document's sections.

Each scenario resets the stand-ins of the servers it drives, runs, then reads their counters, so every
figure (connections, in-flight, OAuth requests) belongs to one scenario and one server.
"""

from __future__ import annotations

import asyncio
import signal
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx2

from bench import drive, profile, report
from bench.procs import Proc

DELAY_MS = 50
IN_FLIGHT = (10, 5)  # sessions x concurrent calls per session
WIDE_IN_FLIGHT = (20, 10)
MAIN_ROTATION = ("tab", *report.CONTROLS, "B")
# The stateless rotation runs next to its baseline (first), so each ratio compares the same minutes.
STATELESS_ROTATION = ("tab-json", "tab-json-2w", "A-json")
# tab-mcp's default pool is a memory bound (DEPLOYMENT.md sizes it); this run shows what it costs at 50 in flight.
POOL_ROTATION = ("tab", "tab-pool100")
SEQ_SERVERS = ("tab", *report.CONTROLS, "B", "tab-json", "A-json")


@dataclass(frozen=True)
class Spec:
    """One server under test."""

    name: str
    label: str
    kind: str  # "tab", "upstream" (control A) or "sleep" (control B)
    transport: str = "stateful SSE"
    pool: str = "100 / 100"
    args: tuple[str, ...] = ()
    env: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class Plan:
    """How much of everything to run."""

    specs: tuple[Spec, ...]
    seq_calls: int
    seq_rounds: int
    thr_calls: int  # per server of the main rotation (tab, the controls A, B)
    thr_rounds: int
    var_calls: int  # per server of the scaling rotations (200 in flight, stateless JSON, 2 workers)
    var_rounds: int
    hol_slow_ms: int
    hol_slow_calls: int
    hol_unloaded: int
    inmem_calls: int
    inmem_rounds: int
    extras: bool  # same-session head-of-line, in-memory legacy/big, sequential big payload
    profile: bool
    smoke: bool
    warmup: int = 50


@dataclass
class Live:
    """A started server: its spec, process, stand-in (if any), and the counters tallied so far."""

    spec: Spec
    proc: Proc
    standin: Proc | None = None
    upstream: drive.Upstream | None = None
    oauth: int = 0
    calls: int = 0
    stats: dict[str, dict[str, Any]] = field(default_factory=dict)

    @property
    def mcp_url(self) -> str:
        """The streamable-HTTP endpoint."""
        return self.proc.url + "/mcp"

    def cpu(self) -> float:
        """Server CPU seconds so far."""
        return self.proc.cpu() or 0.0

    def standin_cpu(self) -> float:
        """The stand-in's CPU seconds so far (0 without one)."""
        return (self.standin.cpu() or 0.0) if self.standin else 0.0


async def _reset(servers: list[Live]) -> None:
    for item in servers:
        if item.upstream:
            await item.upstream.reset()


async def _collect(servers: list[Live], scenario: str, samples: dict[str, drive.Samples]) -> None:
    """Read each server's stand-in counters after a scenario; tally its OAuth requests and calls."""
    for item in servers:
        item.calls += samples[item.spec.name].calls
        if item.upstream:
            stats = await item.upstream.stats()
            item.stats[scenario] = stats
            item.oauth += stats["oauth_requests"]


def _errors(samples: drive.Samples) -> dict[str, Any]:
    return {"errors": len(samples.errors), "first_error": samples.errors[0] if samples.errors else None}


async def throughput(
    live: dict[str, Live],
    names: list[str],
    hc: httpx2.AsyncClient,
    plan: Plan,
    *,
    calls: int,
    rounds: int,
    scenario: str = "throughput",
    in_flight: tuple[int, int] = IN_FLIGHT,
    warmup: int | None = None,
) -> dict[str, Any]:
    """(2) ``calls`` per server at ``in_flight`` (sessions x per session), the servers interleaved in ``rounds``.

    Each server's figures carry its ratio to the first server of ``names`` (the baseline of the rotation):
    the median of per-round throughput ratios, and the ratio of server CPU per call.
    """
    servers = [live[n] for n in names]
    await _reset(servers)
    standin_before = {s.spec.name: s.standin_cpu() for s in servers}
    upstreams = {s.spec.name: s.upstream for s in servers if s.upstream}
    samples = await drive.throughput(
        {s.spec.name: s.mcp_url for s in servers}, hc, calls=calls, rounds=rounds,
        warmup=plan.warmup if warmup is None else warmup, probes={s.spec.name: s.cpu for s in servers},
        upstreams=upstreams, n_sessions=in_flight[0], per_session=in_flight[1],
    )  # fmt: skip
    await _collect(servers, scenario, samples)
    out: dict[str, Any] = {}
    for item in servers:
        name, smp = item.spec.name, samples[item.spec.name]
        stats = item.stats.get(scenario, {})
        timed = len(smp.latencies) + len(smp.errors)
        up_cpu = item.standin_cpu() - standin_before[name]
        out[name] = {
            **report.summarize(smp.latencies),
            **_errors(smp),
            "calls": timed,
            "calls_total": smp.calls,
            "wall_s": smp.wall_s,
            "per_s": timed / smp.wall_s if smp.wall_s else None,
            "round_per_s": smp.round_per_s,
            "round_conns": smp.round_conns,
            "max_idle_s": smp.max_idle_s,
            "cpu_ms_per_call": smp.cpu_s * 1000 / timed if timed else None,
            "upstream_cpu_ms_per_call": up_cpu * 1000 / smp.calls if item.standin and smp.calls else None,
            "tcp_connections": stats.get("tcp_connections_opened"),
            "tcp_per_1000": report.per_1000(stats.get("tcp_connections_opened"), smp.calls),
            "max_in_flight": stats.get("max_in_flight"),
            "oauth_requests": stats.get("oauth_requests"),
            "in_flight": in_flight[0] * in_flight[1],
            "bound_per_s": report.physical_bound(in_flight[0] * in_flight[1], DELAY_MS),
        }
    base = out[names[0]]
    for name in names:
        out[name]["baseline"] = names[0]
        out[name]["per_s_to_baseline"] = report.paired_median_ratio(out[name]["round_per_s"], base["round_per_s"])
        out[name]["cpu_to_baseline"] = report.ratio(out[name]["cpu_ms_per_call"], base["cpu_ms_per_call"])
    return out


async def sequential(
    live: dict[str, Live], names: list[str], hc: httpx2.AsyncClient, *, calls: int, rounds: int, warmup: int,
    scenario: str = "sequential", tool: str = drive.MAIN_TOOL, args: dict[str, Any] | None = None,
) -> dict[str, Any]:  # fmt: skip
    """(1) sequential latency, one session per server, interleaved rounds."""
    servers = [live[n] for n in names]
    await _reset(servers)
    samples = await drive.sequential(
        {s.spec.name: s.mcp_url for s in servers}, hc, calls=calls, rounds=rounds, warmup=warmup, tool=tool, args=args
    )
    await _collect(servers, scenario, samples)
    return {name: {**report.summarize(s.latencies), **_errors(s)} for name, s in samples.items()}


async def head_of_line(item: Live, hc: httpx2.AsyncClient, plan: Plan, *, same_session: bool) -> dict[str, Any]:
    """(3) fast calls in one session while another session's call takes ~2 s."""
    assert item.upstream is not None, "head-of-line needs a stand-in"
    await _reset([item])
    res = await drive.head_of_line(
        item.mcp_url, hc, item.upstream, slow_ms=plan.hol_slow_ms, unloaded=plan.hol_unloaded,
        slow_calls=plan.hol_slow_calls, same_session=same_session,
    )  # fmt: skip
    merged = drive.Samples(calls=sum(s.calls for s in res.values()))
    await _collect([item], "head_of_line_same" if same_session else "head_of_line", {item.spec.name: merged})
    unloaded = report.percentile(res["unloaded"].latencies, 50)
    loaded = report.percentile(res["loaded"].latencies, 95)
    return {
        "slow_ms": plan.hol_slow_ms + DELAY_MS,
        "slow_calls": plan.hol_slow_calls,
        "unloaded_p50": unloaded,
        "loaded_p50": report.percentile(res["loaded"].latencies, 50),
        "loaded_p95": loaded,
        "loaded_n": len(res["loaded"].latencies),
        "slow_call_ms": res["slow"].latencies,
        "ratio": report.ratio(loaded, unloaded),
        "errors": sum(len(s.errors) for s in res.values()),
    }


async def profile_servers(
    live: dict[str, Live], hc: httpx2.AsyncClient, reference: str, calls: int = 300
) -> dict[str, Any]:
    """py-spy over tab-mcp and the reference control while each alone serves ``calls`` at 50 in flight."""
    out: dict[str, Any] = {"calls": calls, "reference": reference}
    with tempfile.TemporaryDirectory(prefix="tabmcp-bench-prof-") as tmp:
        for name in ("tab", reference):
            out_file = Path(tmp) / f"{name}.txt"
            spy = profile.start_pyspy(live[name].proc.pid, out_file, duration_s=120)
            if spy is None:
                return {"status": "n/a", "detail": "py-spy is not installed (pip install py-spy)"}
            try:
                await asyncio.sleep(0.5)  # py-spy attaches before the load starts
                await drive.throughput({name: live[name].mcp_url}, hc, calls=calls, rounds=1, warmup=0)
            finally:
                if spy.poll() is None:
                    spy.send_signal(signal.SIGINT)  # py-spy writes its output on SIGINT
                out[name] = profile.finish_pyspy(spy, out_file, timeout=30)
    return out


def _log(message: str) -> None:
    print(f"bench {time.strftime('%H:%M:%S')}: {message}", file=sys.stderr, flush=True)


async def scaling(live: dict[str, Live], hc: httpx2.AsyncClient, plan: Plan, reference: str) -> dict[str, Any]:
    """(2b) tab-mcp and the reference at 200 in flight; tab-mcp stateless JSON on one and two workers; the pool."""
    out: dict[str, Any] = {}
    wide = ["tab", reference]
    sessions, per_session = WIDE_IN_FLIGHT
    _log(f"throughput, {plan.var_calls * 2} calls each at {sessions * per_session} in flight: {', '.join(wide)}")
    out[report.WIDE] = await throughput(
        live, wide, hc, plan, calls=plan.var_calls * 2, rounds=plan.var_rounds, scenario="throughput_wide",
        in_flight=WIDE_IN_FLIGHT, warmup=sessions * per_session,
    )  # fmt: skip
    names = [n for n in STATELESS_ROTATION if n in live]
    if len(names) > 1:
        _log(f"throughput, {plan.var_calls} calls each at 50 in flight: {', '.join(names)}")
        out["stateless JSON"] = await throughput(
            live, names, hc, plan, calls=plan.var_calls, rounds=plan.var_rounds, scenario="throughput_stateless"
        )
    names = [n for n in POOL_ROTATION if n in live]
    if len(names) > 1:
        names.append(reference)
        # As many calls and rounds as the main run: the two tab-mcp figures differ by a few percent.
        _log(f"throughput, {plan.thr_calls} calls each at 50 in flight: {', '.join(names)}")
        out["pool size"] = await throughput(
            live, names, hc, plan, calls=plan.thr_calls, rounds=plan.thr_rounds, scenario="throughput_pool"
        )
    return out


async def measure(live: dict[str, Live], plan: Plan) -> dict[str, Any]:
    """Scenarios 1-3, scaling, the optional extras and the profile; then the OAuth tally of tab-mcp."""
    out: dict[str, Any] = {"throughput": {}, "head_of_line": {}}
    main = [n for n in MAIN_ROTATION if n in live]
    async with drive.http_client() as hc:
        # Throughput first: on a fresh tab-mcp its warm-up is the cold burst of 50 calls sharing one token.
        _log(f"throughput, {plan.thr_calls} calls each at 50 in flight: {', '.join(main)}")
        out["throughput"].update(await throughput(live, main, hc, plan, calls=plan.thr_calls, rounds=plan.thr_rounds))
        ref = report.fastest_control(out["throughput"])
        if ref is None:
            raise RuntimeError("no control A ran, so there is no reference to compare against")
        out["reference"] = ref
        for row in out["throughput"].values():
            row["to_reference"] = report.paired_median_ratio(row["round_per_s"], out["throughput"][ref]["round_per_s"])
        _log(f"reference control (fastest at 50 in flight): {ref}")
        out["scaling"] = await scaling(live, hc, plan, ref) if plan.var_calls else {}
        _log("sequential latency")
        names = [n for n in SEQ_SERVERS if n in live]
        out["sequential"] = await sequential(live, names, hc, calls=plan.seq_calls, rounds=plan.seq_rounds, warmup=10)
        if plan.extras:
            out["sequential_big"] = await sequential(
                live, ["tab", ref], hc, calls=60, rounds=3, warmup=5, scenario="sequential_big", tool=drive.BIG_TOOL,
                args=drive.BIG_ARGS,
            )  # fmt: skip
        _log("head-of-line")
        out["head_of_line"]["tab"] = await head_of_line(live["tab"], hc, plan, same_session=False)
        out["head_of_line"][ref] = await head_of_line(live[ref], hc, plan, same_session=False)
        if plan.extras:
            out["head_of_line"]["tab-same-session"] = await head_of_line(live["tab"], hc, plan, same_session=True)
        if plan.profile:
            _log("profile (py-spy)")
            out["profile"] = await profile_servers(live, hc, ref)
    tab = live["tab"]
    out["oauth"] = {"requests": tab.oauth, "calls": tab.calls, "per_1000": report.per_1000(tab.oauth, tab.calls)}
    out["oauth_by_server"] = {
        n: {"requests": s.oauth, "calls": s.calls} for n, s in live.items() if s.spec.kind == "tab"
    }
    out["upstream_stats"] = {n: s.stats for n, s in live.items() if s.stats}
    for item in live.values():
        if item.upstream:
            await item.upstream.aclose()
    return out
