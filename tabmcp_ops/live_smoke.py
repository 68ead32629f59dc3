"""CI's live path: the smoke suite with ``--live-url`` against a real ``tab-mcp serve`` over the stand-in.

1. start ``tabmcp-standin --cassette-dir cassettes --port 0 --require-auth --token-ttl-spread 3600`` and read its
   bound URL from its listening line (every info-service request must carry the last issued bearer token, so a
   server that stops authenticating fails; token lifetimes vary, so no check can pass on a constant);
2. start ``tab-mcp serve --transport http --host 127.0.0.1 --port <free>`` with ``TAB_BASE_URL`` pointing at
   the stand-in and placeholder credentials, and wait (at most 30 s) until ``GET /healthz`` answers 200;
3. run ``python -m pytest -m smoke --live-url http://127.0.0.1:<port>/mcp --tabmcp-strict -p no:cacheprovider
   [extra args]`` (strict: the data is fixed, so any skip that the mode does not exclude fails the run);
4. read the stand-in's stats: any request it had no cassette for fails the run, each missed method and path
   printed (a miss is a server asking for something the data set does not hold: a renamed path or parameter);
5. always stop both processes by PID (the process layer, :mod:`tabmcp_ops.processes`).

Every ``--cassette-dir`` given (default: ``cassettes`` and the second data set ``cassettes-alt``) gets its own
stand-in, server and run; the exit code is the worst of them.

Usage: ``python -m tabmcp_ops.live_smoke [--cassette-dir DIR]... [--response-transform MODULE:NAME]
[--report PATH] [-- extra pytest args]``. ``--response-transform`` goes to the stand-in (drifted data, for
``make mutants``); ``--report`` writes each data set's pytest exit code and missed requests as JSON. Exit 2 when
either process fails to start. Only loopback addresses are used; nothing reaches the network.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess  # nosec B404
import sys
import tempfile
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import httpx

from tabmcp_ops import processes

ROOT = Path(__file__).resolve().parent.parent
DATA_SETS = (ROOT / "cassettes", ROOT / "cassettes-alt")  # the primary set and the second one
PLACEHOLDERS = {"TAB_CLIENT_ID": "PLACEHOLDER_CLIENT_ID", "TAB_CLIENT_SECRET": "PLACEHOLDER_CLIENT_SECRET"}
# The suite's own account for the password grant (the stand-in accepts any); the server gets none.
SUITE_ACCOUNT = {"TAB_USERNAME": "PLACEHOLDER_USERNAME", "TAB_PASSWORD": "PLACEHOLDER_PASSWORD"}
START_TIMEOUT_S = 30.0
STANDIN_ARGS = ("--require-auth", "--token-ttl-spread", "3600")
# WARNING keeps the server's access log out of its log while still showing anything that goes wrong.
SERVER_ENV = {**PLACEHOLDERS, "TAB_LOG_LEVEL": "WARNING"}


class StatsError(RuntimeError):
    """The stand-in's stats could not be read, so whether any request missed is unknown."""


def missed_requests(upstream_url: str) -> list[str]:
    """The requests the stand-in had no cassette for ("METHOD /path?query"), from its stats endpoint.

    Raises :class:`StatsError` (one sentence) when the stats cannot be read: unknown misses are not "none".
    """
    url = f"{upstream_url}/__standin/stats"
    try:
        stats = httpx.get(url, timeout=5.0).raise_for_status().json()
    except (httpx.HTTPError, ValueError) as exc:
        raise StatsError(
            f"could not read the stand-in's stats at {url} ({type(exc).__name__}), so its misses are unknown; "
            "check the stand-in's log below"
        ) from None
    missed = list(stats.get("missed") or [])
    unmatched = int(stats.get("unmatched_requests", 0))
    if unmatched > len(missed):
        missed.append(f"... and {unmatched - len(missed)} more")
    return missed


def report_misses(cassette_dir: Path, missed: Sequence[str]) -> int:
    """Print each missed request and return 1, or return 0 when nothing missed."""
    if not missed:
        return 0
    print(
        f"live_smoke: FAIL: the stand-in over {cassette_dir} had no cassette for {len(missed)} request(s); "
        "a server path or parameter changed, or the data set lacks them:",
        file=sys.stderr,
    )
    for line in missed:
        print(f"live_smoke:   missed {line}", file=sys.stderr)
    return 1


def smoke_env(environ: Mapping[str, str]) -> dict[str, str]:
    """The smoke run's environment: ``environ`` without any ``TAB_*`` or ``TABMCP_*`` setting, plus placeholders.

    The check must not depend on the caller's shell: a real credential, a ``TABMCP_LIVE_URL`` or a record mode
    meant for another run would otherwise reach the suite.
    """
    kept = {k: v for k, v in environ.items() if not k.startswith(("TAB_", "TABMCP_"))}
    return kept | PLACEHOLDERS | SUITE_ACCOUNT


def _smoke(live_url: str, pytest_args: Sequence[str]) -> int:
    """Run the smoke suite live and strict; the suite's own credentials are placeholders too."""
    env = smoke_env(os.environ)
    cmd = [sys.executable, "-m", "pytest", "-m", "smoke", "--live-url", live_url, "--tabmcp-strict"]
    cmd += ["-p", "no:cacheprovider", "tests/smoke"]
    return subprocess.call([*cmd, *pytest_args], env=env, cwd=ROOT)  # noqa: S603  # nosec B603 - fixed argv


def run(
    cassette_dir: Path,
    pytest_args: Sequence[str],
    *,
    standin_args: Sequence[str] = (),
    report: dict[str, Any] | None = None,
) -> int:
    """Start both processes, run the smoke suite live and strict, stop both; 1 on any stand-in miss.

    ``report``, when given, receives ``pytest_exit`` and ``missed`` (what ``--report`` writes).
    """
    report = {} if report is None else report
    with tempfile.TemporaryDirectory(prefix="tabmcp-live-smoke-") as logs:
        log_dir = Path(logs)
        try:
            standin = processes.start_standin(
                cassette_dir, log_dir=log_dir, timeout=START_TIMEOUT_S, extra_args=(*STANDIN_ARGS, *standin_args)
            )
        except processes.StartError as exc:
            print(f"live_smoke: {exc}", file=sys.stderr)
            return 2
        with processes.running(standin):
            try:
                server = processes.start_server(
                    standin.url, log_dir=log_dir, extra_env=SERVER_ENV, timeout=START_TIMEOUT_S
                )
            except processes.StartError as exc:
                print(f"live_smoke: {exc}", file=sys.stderr)
                return 2
            with processes.running(server):
                print(f"live_smoke: server {server.url} over stand-in {standin.url}", flush=True)
                code = report["pytest_exit"] = _smoke(server.url, pytest_args)
                if code:
                    print(f"live_smoke: the server's log ends:\n{server.tail()}", file=sys.stderr)
                try:
                    missed = report["missed"] = missed_requests(standin.url)
                except StatsError as exc:
                    print(f"live_smoke: FAIL: {exc}:\n{standin.tail()}", file=sys.stderr)
                    return max(code, 1)
                return max(code, report_misses(cassette_dir, missed))


def main(argv: Sequence[str] | None = None) -> int:
    """Parse the arguments (everything unknown, or after ``--``, goes to pytest) and run."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cassette-dir", type=Path, action="append", help="repeatable; default: both data sets")
    parser.add_argument("--response-transform", metavar="MODULE:NAME", help="the stand-in serves drifted data")
    parser.add_argument("--report", type=Path, help="write each data set's pytest exit code and misses as JSON")
    args, extra = parser.parse_known_args(argv)
    if extra[:1] == ["--"]:
        extra = extra[1:]
    standin_args = ["--response-transform", args.response_transform] if args.response_transform else []
    codes: list[int] = []
    reports: dict[str, dict[str, Any]] = {}
    for cassette_dir in args.cassette_dir or DATA_SETS:
        print(f"live_smoke: data set {cassette_dir}", flush=True)
        report: dict[str, Any] = {}
        reports[str(cassette_dir)] = report
        codes.append(run(cassette_dir, extra, standin_args=standin_args, report=report))
    if args.report:
        args.report.write_text(json.dumps(reports, indent=2) + "\n", encoding="utf-8")
    return max(codes)


if __name__ == "__main__":
    sys.exit(main())
