"""Subprocess plumbing for the benchmark: free loopback ports, start, wait until ready, stop by PID.

Every process the bench starts goes through :class:`Procs`, whose ``close()`` (called from ``finally``)
terminates, waits and, if need be, kills each one by its own PID, in reverse start order.
"""

from __future__ import annotations

import contextlib
import os
import re
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"
START_TIMEOUT_S = 30.0
STOP_TIMEOUT_S = 10.0
_CLK_TCK = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


def free_port() -> int:
    """Return a TCP port that was free on 127.0.0.1 a moment ago (the kernel picks it)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])


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


@dataclass
class Proc:
    """One started subprocess: its name, Popen handle, combined stdout/stderr log and base URL once known."""

    name: str
    popen: subprocess.Popen[bytes]
    log: Path
    url: str = ""

    @property
    def pid(self) -> int:
        """The process id."""
        return self.popen.pid

    def log_tail(self, lines: int = 15) -> str:
        """The last lines of the process log, for error messages."""
        try:
            return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return "(no log)"

    def cpu(self) -> float | None:
        """CPU seconds this process has used so far."""
        return cpu_seconds(self.pid)


class StartError(RuntimeError):
    """A benchmark process did not come up; the message carries its log tail."""


class Procs:
    """Starts benchmark processes and stops every one of them by PID in :meth:`close`."""

    def __init__(self, log_dir: Path) -> None:
        self.log_dir = log_dir
        self.started: list[Proc] = []

    def spawn(self, name: str, argv: list[str], env: dict[str, str]) -> Proc:
        """Start ``argv`` with stdout+stderr going to ``<log_dir>/<name>.log``."""
        log = self.log_dir / f"{name}.log"
        with log.open("wb") as out:
            popen = subprocess.Popen(
                argv, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, env=env, cwd=ROOT
            )
        proc = Proc(name=name, popen=popen, log=log)
        self.started.append(proc)
        return proc

    def close(self) -> None:
        """Stop every started process (terminate, wait, kill), newest first."""
        for proc in reversed(self.started):
            stop(proc)
        self.started.clear()


def stop(proc: Proc) -> None:
    """Terminate ``proc`` by PID, wait up to 10 s, then kill it and reap it."""
    if proc.popen.poll() is not None:
        return
    with contextlib.suppress(ProcessLookupError):
        proc.popen.terminate()
    try:
        proc.popen.wait(STOP_TIMEOUT_S)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            proc.popen.kill()
        proc.popen.wait(STOP_TIMEOUT_S)


def wait_for_line(proc: Proc, pattern: str, timeout: float = START_TIMEOUT_S) -> re.Match[str]:
    """Wait until ``pattern`` appears in the process log; raise StartError on exit or timeout."""
    regex = re.compile(pattern)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        match = regex.search(proc.log.read_text(errors="replace"))
        if match:
            return match
        if proc.popen.poll() is not None:
            break
        time.sleep(0.05)
    raise StartError(f"{proc.name} did not print {pattern!r}:\n{proc.log_tail()}")


def wait_http_ok(proc: Proc, url: str, timeout: float = START_TIMEOUT_S) -> None:
    """Poll ``url`` until it answers 200; raise StartError when the process exits or time runs out."""
    deadline = time.monotonic() + timeout
    with httpx.Client(timeout=2.0, trust_env=False) as client:
        while time.monotonic() < deadline:
            if proc.popen.poll() is not None:
                break
            with contextlib.suppress(httpx.HTTPError):
                if client.get(url).status_code == 200:
                    return
            time.sleep(0.1)
    raise StartError(f"{proc.name} did not answer 200 on {url}:\n{proc.log_tail()}")


def python_argv(*args: str) -> list[str]:
    """``[this python, *args]``: every bench process runs on the same interpreter as the bench."""
    return [sys.executable, *args]
