#!/usr/bin/env python3
"""CI's live path: the smoke suite with ``--live-url`` against a real ``tab-mcp serve`` over the stand-in.

1. start ``tabmcp-upstream --cassette-dir cassettes --port 0`` and read its bound port from its stdout line;
2. start ``tab-mcp serve --transport http --host 127.0.0.1 --port <free>`` with ``TAB_BASE_URL`` pointing at
   the stand-in and placeholder credentials;
3. wait (at most 30 s) until ``GET /healthz`` answers 200;
4. run ``python -m pytest -m smoke --live-url http://127.0.0.1:<port>/mcp --tabmcp-strict -p no:cacheprovider
   [extra args]`` (strict: the data is fixed, so any skip that the mode does not exclude fails the run);
5. read the stand-in's stats: any request it had no cassette for fails the run, each missed method and path
   printed (a miss is a server asking for something the data set does not hold: a renamed path or parameter);
6. always stop both processes by PID (terminate, wait 10 s, kill).

Every ``--cassette-dir`` given (default: ``cassettes`` and the second data set ``cassettes-alt``) gets its own
stand-in, server and run; the exit code is the worst of them.

Usage: ``python scripts/live_smoke.py [--cassette-dir DIR]... [-- extra pytest args]``. Exit 2 when either process
fails to start. Only loopback addresses are used; nothing reaches the network.
"""

from __future__ import annotations

import argparse
import os
import re
import selectors
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Sequence
from pathlib import Path
from typing import IO

import httpx

ROOT = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"
DATA_SETS = (ROOT / "cassettes", ROOT / "cassettes-alt")  # the primary set and the second one
PLACEHOLDERS = {"TAB_CLIENT_ID": "PLACEHOLDER_CLIENT_ID", "TAB_CLIENT_SECRET": "PLACEHOLDER_CLIENT_SECRET"}
_LISTENING = re.compile(r"tabmcp-upstream listening on (http://127\.0\.0\.1:(\d+))")


class StartupError(RuntimeError):
    """A child process did not come up; the message says which one and why."""


def free_port() -> int:
    """Return a port that was free on 127.0.0.1 a moment ago (the server binds it right after)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])


def _drain(stream: IO[str], sink: IO[str]) -> None:
    """Copy a child's remaining output so its pipe never fills up and blocks it."""
    for line in stream:
        sink.write(line)
        sink.flush()


def start_standin(cassette_dir: Path, timeout: float = 30.0) -> tuple[subprocess.Popen[str], str]:
    """Start the stand-in on a free loopback port; return the process and its URL (read from its stdout)."""
    cmd = [sys.executable, "-m", "pytest_tabmcp.upstream", "--cassette-dir", str(cassette_dir), "--port", "0"]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, text=True, cwd=ROOT)  # noqa: S603 - fixed argv
    if proc.stdout is None:  # cannot happen with stdout=PIPE; keeps the type checker honest
        raise StartupError("tabmcp-upstream started without a stdout pipe")
    deadline = time.monotonic() + timeout
    with selectors.DefaultSelector() as selector:
        selector.register(proc.stdout, selectors.EVENT_READ)
        while time.monotonic() < deadline:
            if not selector.select(timeout=max(0.0, deadline - time.monotonic())):
                break
            line = proc.stdout.readline()
            if not line:  # EOF: the process exited
                break
            match = _LISTENING.search(line)
            if match:
                threading.Thread(target=_drain, args=(proc.stdout, sys.stdout), daemon=True).start()
                return proc, match.group(1)
    stop(proc)
    raise StartupError(f"tabmcp-upstream did not report its port within {timeout:.0f} s (exit code {proc.returncode})")


def start_server(upstream_url: str, port: int) -> subprocess.Popen[bytes]:
    """Start ``tab-mcp serve --transport http`` on 127.0.0.1:port over the stand-in."""
    # A developer's own TAB_* settings must not change what CI's live path tests; WARNING keeps the server's
    # access log out of pytest's output while still showing anything that goes wrong.
    env = {k: v for k, v in os.environ.items() if not k.startswith("TAB_")}
    env |= {**PLACEHOLDERS, "TAB_BASE_URL": upstream_url, "TAB_LOG_LEVEL": "WARNING"}
    cmd = [sys.executable, "-m", "tab_mcp", "serve", "--transport", "http", "--host", HOST, "--port", str(port)]
    return subprocess.Popen(cmd, env=env, cwd=ROOT)  # noqa: S603 - fixed argv


def wait_healthy(proc: subprocess.Popen[bytes], url: str, timeout: float = 30.0) -> None:
    """Poll ``GET url`` until it answers 200, the process exits, or ``timeout`` passes."""
    deadline = time.monotonic() + timeout
    last = "no answer"
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise StartupError(f"tab-mcp serve exited with code {proc.returncode} before {url} answered")
        try:
            response = httpx.get(url, timeout=2.0)
            if response.status_code == 200:
                return
            last = f"HTTP {response.status_code}"
        except httpx.TransportError as exc:
            last = type(exc).__name__
        time.sleep(0.2)
    raise StartupError(f"{url} did not answer 200 within {timeout:.0f} s (last: {last})")


def stop(proc: subprocess.Popen | None, grace: float = 10.0) -> None:
    """Stop one child by its PID: terminate, wait ``grace`` seconds, then kill."""
    if proc is None:
        return
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=grace)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=grace)
    if proc.stdout is not None:  # the drain thread sees EOF; closing the pipe releases its file descriptor
        proc.stdout.close()


def missed_requests(upstream_url: str) -> list[str]:
    """The requests the stand-in had no cassette for ("METHOD /path?query"), from its stats endpoint."""
    stats = httpx.get(f"{upstream_url}/__standin/stats", timeout=5.0).json()
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


def run(cassette_dir: Path, pytest_args: Sequence[str]) -> int:
    """Start both processes, run the smoke suite live and strict, stop both; 1 on any stand-in miss."""
    standin: subprocess.Popen[str] | None = None
    server: subprocess.Popen[bytes] | None = None
    try:
        standin, upstream_url = start_standin(cassette_dir)
        port = free_port()
        server = start_server(upstream_url, port)
        wait_healthy(server, f"http://{HOST}:{port}/healthz")
        live_url = f"http://{HOST}:{port}/mcp"
        print(f"live_smoke: server {live_url} over stand-in {upstream_url}", flush=True)
        # The suite's own credentials are placeholders too: nothing real is needed, or sent, on this path.
        env = {k: v for k, v in os.environ.items() if not k.startswith("TAB_")} | PLACEHOLDERS
        cmd = [sys.executable, "-m", "pytest", "-m", "smoke", "--live-url", live_url, "--tabmcp-strict"]
        cmd += ["-p", "no:cacheprovider", "tests/smoke"]
        code = subprocess.call([*cmd, *pytest_args], env=env, cwd=ROOT)  # noqa: S603 - fixed argv
        return max(code, report_misses(cassette_dir, missed_requests(upstream_url)))
    except StartupError as exc:
        print(f"live_smoke: {exc}", file=sys.stderr)
        return 2
    finally:
        stop(server)
        stop(standin)


def main(argv: Sequence[str] | None = None) -> int:
    """Parse the arguments (everything unknown, or after ``--``, goes to pytest) and run."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cassette-dir", type=Path, action="append", help="repeatable; default: both data sets")
    args, extra = parser.parse_known_args(argv)
    if extra[:1] == ["--"]:
        extra = extra[1:]
    codes = []
    for cassette_dir in args.cassette_dir or DATA_SETS:
        print(f"live_smoke: data set {cassette_dir}", flush=True)
        codes.append(run(cassette_dir, extra))
    return max(codes)


if __name__ == "__main__":
    sys.exit(main())
