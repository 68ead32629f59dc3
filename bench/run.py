"""Run the benchmark: ``python -m bench.run`` (full, ``make bench``) or ``--check`` (``make bench-check``).

Starts, on 127.0.0.1 with free ports: one stand-in (50 ms delay) per server under test, tab-mcp
(``python -m tab_mcp serve --transport http``, placeholder OAuth credentials so the token path runs),
control A in three upstream configurations (the fastest is the reference), control B (sleep 50 ms), and the
stateless-JSON servers of the scaling runs (tab-mcp on one and two worker processes).
Drives them all with the same client code, then writes ``bench/results/<timestamp>.json``,
``latest.json`` and ``latest.md``, and prints the Markdown. Every process is stopped by PID in ``finally``.
Exit status: 0 when every target (or, with ``--check``, every regression check) passes, 1 otherwise,
2 when the bench itself could not run.
"""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import json
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from bench import drive, inmem, large_list, machine, report, tables
from bench.procs import (
    ROOT,
    TAB_SERVER_ENV,
    Proc,
    Procs,
    StartError,
    clean_env,
    free_port,
    python_argv,
    wait_for_line,
    wait_http_ok,
)
from bench.scenarios import DELAY_MS, IN_FLIGHT, Live, Plan, Spec, measure
from tab_mcp.settings import Settings
from tabmcp_ops.processes import LISTENING

CASSETTES = ROOT / "cassettes"
RESULTS = ROOT / "bench" / "results"
SMOKE_TIMEOUT_S = 240
# The stand-in with a 120 s HTTP keep-alive (bench/README.md says why); ``--standin-cli`` keeps uvicorn's 5 s default.
STANDIN_CLI = ["-m", "pytest_tabmcp.standin", "--host", "127.0.0.1"]
STANDIN = [*STANDIN_CLI, "--keep-alive", "120"]

_TAB_POOL = f"aiohttp, {Settings.model_fields['max_connections'].default} (default)"
TAB = Spec("tab", "tab-mcp", "tab", pool=_TAB_POOL)
CONTROLS = (
    Spec("A-httpx", "control A: bare SDK + httpx, default limits", "upstream", pool="httpx 100, 20 kept idle",
         args=("--pool", "default")),
    Spec("A-tuned", "control A: bare SDK + httpx, tuned pool", "upstream", pool="httpx 100, all kept idle",
         args=("--pool", "tuned")),
    Spec("A-aiohttp", "control A: bare SDK + httpx over httpx-aiohttp", "upstream", pool="aiohttp 100",
         args=("--pool", "aiohttp")),
)  # fmt: skip
CONTROL_B = Spec("B", "control B: tool sleeps 50 ms", "sleep", pool="–")
SCALING = (
    Spec("tab-json", "tab-mcp --stateless --json-response", "tab", transport="stateless JSON", pool=_TAB_POOL,
         args=("--stateless", "--json-response")),
    Spec("tab-json-2w", "tab-mcp --stateless --json-response --workers 2", "tab",
         transport="stateless JSON, 2 worker processes", pool=_TAB_POOL + " per worker",
         args=("--stateless", "--json-response", "--workers", "2")),
    Spec("A-json", "control A (httpx-aiohttp), stateless JSON", "upstream", transport="stateless JSON",
         pool="aiohttp 100", args=("--stateless", "--json-response", "--pool", "aiohttp")),
    Spec("tab-pool100", "tab-mcp, TAB_MAX_CONNECTIONS=100 (control A's pool)", "tab", pool="aiohttp, 100",
         env=(("TAB_MAX_CONNECTIONS", "100"),)),
)  # fmt: skip
FULL = Plan(
    specs=(TAB, *CONTROLS, CONTROL_B, *SCALING), seq_calls=100, seq_rounds=5, thr_calls=3000, thr_rounds=10,
    var_calls=600, var_rounds=3, hol_slow_ms=2000, hol_slow_calls=2, hol_unloaded=30, inmem_calls=300,
    inmem_rounds=8, extras=True, profile=True, smoke=True,
)  # fmt: skip
CHECK = Plan(
    specs=(TAB, *CONTROLS), seq_calls=60, seq_rounds=3, thr_calls=300, thr_rounds=3, var_calls=0, var_rounds=1,
    hol_slow_ms=1000, hol_slow_calls=1, hol_unloaded=20, inmem_calls=150, inmem_rounds=6, extras=False,
    profile=False, smoke=False, warmup=20,
)  # fmt: skip


def start_all(procs: Procs, specs: tuple[Spec, ...]) -> dict[str, Live]:
    """Start a stand-in per upstream-calling server, then the servers; wait until all are ready."""
    standins: dict[str, Proc] = {}
    for spec in specs:
        if spec.kind != "sleep":
            argv = python_argv(*STANDIN, "--cassette-dir", str(CASSETTES), "--port", "0", "--delay-ms", str(DELAY_MS))
            standins[spec.name] = procs.spawn(f"standin-{spec.name}", argv, clean_env())
    for proc in standins.values():
        proc.url = wait_for_line(proc, LISTENING.pattern).group(1)
    live: dict[str, Live] = {}
    for spec in specs:
        port = free_port()
        standin = standins.get(spec.name)
        if spec.kind == "tab":
            assert standin is not None
            argv = python_argv("-m", "tab_mcp", "serve", "--transport", "http", "--host", "127.0.0.1", "--port",
                               str(port), *spec.args)  # fmt: skip
            env = clean_env(TAB_BASE_URL=standin.url, **TAB_SERVER_ENV, **dict(spec.env))
        else:
            upstream = standin.url if standin else "http://127.0.0.1:9"
            argv = python_argv("-m", "bench.controls", "--kind", spec.kind, "--upstream", upstream, "--port", str(port),
                               *spec.args)  # fmt: skip
            env = clean_env()
        proc = procs.spawn(spec.name, argv, env)
        proc.url = f"http://127.0.0.1:{port}"
        live[spec.name] = Live(spec=spec, proc=proc, standin=standin)
    for item in live.values():
        wait_http_ok(item.proc, item.proc.url + "/healthz")
        if item.standin is not None:
            item.upstream = drive.Upstream(item.standin.url)
    return live


def run_smoke(timeout: float = SMOKE_TIMEOUT_S) -> dict[str, Any]:
    """(5) The offline smoke suite's wall time, or n/a while tests/smoke has no tests."""
    smoke_dir = ROOT / "tests" / "smoke"
    if not any(smoke_dir.glob("test_*.py")):
        return {"status": "n/a", "detail": "tests/smoke has no test files yet"}
    argv = python_argv("-m", "pytest", "-m", "smoke", "-q", "-p", "no:randomly", "-p", "no:cacheprovider")
    started = time.perf_counter()
    try:
        done = subprocess.run(argv, cwd=ROOT, env=clean_env(), capture_output=True, timeout=timeout, check=False)
    except subprocess.TimeoutExpired:  # subprocess.run kills the child on timeout
        return {"status": "timeout", "wall_s": timeout, "detail": f"over {timeout:.0f} s"}
    wall = time.perf_counter() - started
    tail = done.stdout.decode(errors="replace").strip().splitlines()[-1:] or [""]
    if done.returncode == 5:
        return {"status": "n/a", "wall_s": wall, "detail": "no smoke tests collected"}
    status = "ok" if done.returncode == 0 else "failed"
    return {"status": status, "wall_s": wall, "rc": done.returncode, "detail": tail[0]}


def run(plan: Plan, *, mode: str) -> dict[str, Any]:
    """Start everything, measure, stop everything; return the results document."""
    in_flight = IN_FLIGHT[0] * IN_FLIGHT[1]
    results: dict[str, Any] = {
        "timestamp": time.strftime("%Y-%m-%d %H:%M:%S %Z"),
        "mode": mode,
        "machine": machine.describe(),
        "config": {
            "delay_ms": DELAY_MS,
            "in_flight": in_flight,
            "sessions": IN_FLIGHT[0],
            "per_session": IN_FLIGHT[1],
            "bound_per_s": report.physical_bound(in_flight, DELAY_MS),
            "plan": {k: v for k, v in dataclasses.asdict(plan).items() if k != "specs"},
            "standin": "python " + " ".join(STANDIN),
            "client": "mcp.Client (mode auto) over streamable HTTP, one shared httpx2.AsyncClient",
        },
        "servers": {s.name: {"label": s.label, "transport": s.transport, "pool": s.pool} for s in plan.specs},
    }
    started = time.perf_counter()
    logs = Path(tempfile.mkdtemp(prefix="tabmcp-bench-logs-"))
    procs = Procs(logs)
    try:
        live = start_all(procs, plan.specs)
        results.update(asyncio.run(measure(live, plan)))
    finally:
        procs.close()
    if tables.call_errors(results):
        results["logs"] = str(logs)  # kept for the post-mortem
        print(f"bench: calls failed; process logs kept in {logs}", file=sys.stderr)
    else:
        shutil.rmtree(logs, ignore_errors=True)
    print("bench: in-memory per-call overhead", file=sys.stderr, flush=True)
    results["in_memory"] = asyncio.run(
        inmem.in_memory(CASSETTES, calls=plan.inmem_calls, rounds=plan.inmem_rounds, extra=plan.extras)
    )
    print("bench: large list (real-size meetings, shaped vs pass-through)", file=sys.stderr, flush=True)
    results["large_list"] = large_list.large_list(calls=10, rounds=6 if plan.extras else 4)
    if plan.smoke:
        print("bench: smoke suite wall time", file=sys.stderr, flush=True)
    results["smoke"] = run_smoke() if plan.smoke else {"status": "skipped"}
    results["elapsed_s"] = time.perf_counter() - started
    return results


def render(path: Path) -> int:
    """Print the Markdown of a saved results file (targets re-evaluated); exit 0 when they all pass."""
    results = json.loads(path.read_text())
    checks = report.regression_checks(results) if results.get("mode") == "check" else report.targets(results)
    print(tables.render_markdown(results, checks))
    return 0 if tables.run_passed(results, checks) else 1


def _leaves(error: BaseException) -> list[BaseException]:
    if isinstance(error, BaseExceptionGroup):
        return [leaf for inner in error.exceptions for leaf in _leaves(inner)]
    return [error]


def main(argv: list[str] | None = None) -> int:
    """Run the bench, write the JSON and Markdown, print the Markdown; see the module docstring."""
    parser = argparse.ArgumentParser(prog="bench.run", description="tab-mcp benchmark against a bare-SDK control")
    parser.add_argument("--check", action="store_true", help="short run; fail only on a large regression vs control")
    parser.add_argument("--no-profile", action="store_true", help="skip the py-spy profile")
    parser.add_argument("--no-smoke", action="store_true", help="skip timing the smoke suite")
    parser.add_argument("--standin-cli", action="store_true", help="stand-in keep-alive 5 s (uvicorn's default)")
    parser.add_argument("--out", type=Path, default=RESULTS, help="results directory (default bench/results)")
    parser.add_argument("--render", type=Path, metavar="JSON", help="only re-render the Markdown of a results file")
    args = parser.parse_args(argv)
    if args.render:
        return render(args.render)
    plan = CHECK if args.check else FULL
    plan = dataclasses.replace(
        plan, profile=plan.profile and not args.no_profile, smoke=plan.smoke and not args.no_smoke
    )
    if args.standin_cli:
        STANDIN[:] = STANDIN_CLI
    try:
        results = run(plan, mode="check" if args.check else "full")
    except (StartError, TimeoutError, OSError) as exc:
        print(f"bench: could not run: {exc}", file=sys.stderr)
        return 2
    except BaseExceptionGroup as group:  # the MCP client nests task groups; show the leaves, not ten levels
        for leaf in _leaves(group):
            print(f"bench: could not run: {type(leaf).__name__}: {leaf}", file=sys.stderr)
        return 2
    checks = report.regression_checks(results) if args.check else report.targets(results)
    results["checks" if args.check else "targets"] = [c.as_dict() for c in checks]
    results["all_passed"] = tables.run_passed(results, checks)
    markdown = tables.render_markdown(results, checks)
    args.out.mkdir(parents=True, exist_ok=True)
    stem = "check" if args.check else "latest"
    text = json.dumps(results, indent=2, default=str)
    (args.out / f"{time.strftime('%Y%m%dT%H%M%S')}{'-check' if args.check else ''}.json").write_text(text)
    (args.out / f"{stem}.json").write_text(text)
    (args.out / f"{stem}.md").write_text(markdown + "\n")
    print(markdown)
    return 0 if results["all_passed"] else 1


if __name__ == "__main__":
    raise SystemExit(main())
