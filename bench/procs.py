"""Subprocess plumbing for the benchmark, on top of :mod:`tabmcp_ops.processes` (start, wait, stop by PID).

Every process the bench starts goes through :class:`Procs`, whose ``close()`` (called from ``finally``)
stops each one by its own PID (SIGTERM, wait, SIGKILL), in reverse start order. What is bench-only lives
here: a scrubbed environment, and the CPU time each process has used, which the bench reports per call.
"""

from __future__ import annotations

import os
import re
import sys
from dataclasses import dataclass
from pathlib import Path

from tabmcp_ops import processes
from tabmcp_ops.processes import StartError, free_port, stop

__all__ = [
    "HOST",
    "ROOT",
    "TAB_SERVER_ENV",
    "Proc",
    "Procs",
    "StartError",
    "clean_env",
    "cpu_seconds",
    "free_port",
    "python_argv",
    "stop",
    "wait_for_line",
    "wait_http_ok",
]

ROOT = Path(__file__).resolve().parent.parent
HOST = processes.LOOPBACK
START_TIMEOUT_S = 60.0  # --workers spawns and imports the server again per worker
_CLK_TCK = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100
# What every tab-mcp server under the bench gets besides TAB_BASE_URL: placeholder app credentials (the
# stand-in's OAuth accepts them), and a per-caller rate limit far above what one bench client sends in a
# minute. The bench is a single caller; at the default limit most calls would be refusals, which are fast
# and would flatter the throughput. The limiter stays on, so its per-call cost is still measured.
TAB_SERVER_ENV = {
    "TAB_CLIENT_ID": "PLACEHOLDER_CLIENT_ID",
    "TAB_CLIENT_SECRET": "PLACEHOLDER_CLIENT_SECRET",
    "TAB_RATE_LIMIT": "100000",
}


def clean_env(**extra: str) -> dict[str, str]:
    """The caller's environment without TAB_*/PORT (so a developer's settings never leak in), plus ``extra``."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("TAB_") and k != "PORT"}
    env["PYTHONUNBUFFERED"] = "1"
    env.update(extra)
    return env


def cpu_seconds(pid: int) -> float | None:
    """User+system CPU seconds used so far by process ``pid`` (Linux /proc), or None when unreadable."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return None
    # Fields after the ")" start at field 3 (state); utime and stime are fields 14 and 15.
    return (int(fields[11]) + int(fields[12])) / _CLK_TCK


def descendants(pid: int) -> list[int]:
    """Every live descendant of ``pid`` (Linux /proc), depth first; [] when unreadable."""
    found: list[int] = []
    stack = [pid]
    while stack and len(found) < 1000:  # bounded: a bench server has a handful of children
        parent = stack.pop()
        try:
            children = [int(c) for c in Path(f"/proc/{parent}/task/{parent}/children").read_text().split()]
        except OSError:
            continue
        found += children
        stack += children
    return found


@dataclass
class Proc(processes.Proc):
    """A started benchmark process, which can also report the CPU time it has used."""

    def cpu(self) -> float | None:
        """CPU seconds this process and its live children (``--workers``) have used so far."""
        own = cpu_seconds(self.pid)
        if own is None:
            return None
        return own + sum(cpu_seconds(child) or 0.0 for child in descendants(self.pid))


class Procs:
    """Starts benchmark processes and stops every one of them by PID in :meth:`close`."""

    def __init__(self, log_dir: Path) -> None:
        self.log_dir = log_dir
        self.started: list[Proc] = []

    def spawn(self, name: str, argv: list[str], env: dict[str, str]) -> Proc:
        """Start ``argv`` with stdout+stderr going to ``<log_dir>/<name>.log``."""
        started = processes.start(name, argv, log_dir=self.log_dir, env=env, cwd=ROOT)
        proc = Proc(name=started.name, popen=started.popen, log=started.log)
        self.started.append(proc)
        return proc

    def close(self) -> None:
        """Stop every started process (terminate, wait, kill), newest first."""
        for proc in reversed(self.started):
            stop(proc)
        self.started.clear()


def wait_for_line(proc: Proc, pattern: str, timeout: float = START_TIMEOUT_S) -> re.Match[str]:
    """Wait until ``pattern`` appears in the process log; raise StartError on exit or timeout."""
    return processes.wait_for_log(proc, re.compile(pattern), timeout)


def wait_http_ok(proc: Proc, url: str, timeout: float = START_TIMEOUT_S) -> None:
    """Poll ``url`` until it answers 200; raise StartError when the process exits or time runs out."""
    processes.wait_http_ok(proc, url, timeout)


def python_argv(*args: str) -> list[str]:
    """``[this python, *args]``: every bench process runs on the same interpreter as the bench."""
    return [sys.executable, *args]
