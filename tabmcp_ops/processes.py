"""The one process layer: start and stop the local processes checks need, the stand-in and ``tab-mcp serve``.

The ops tooling, ``bench/``, the live smoke run (:mod:`tabmcp_ops.live_smoke`) and the integration tests'
server helpers (tests/helpers/loopback_servers.py) all start, wait for and stop processes through here.
Every process is started in its own session and stopped by its PID (its process group id is that PID, so a
wrapper's children go with it); nothing is ever killed by name. Every wait is bounded. Output goes to a log
file, which an error message quotes when a process fails to start.
"""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess  # nosec B404
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

LOOPBACK = "127.0.0.1"
# The stand-in's ready line, under its name or its former one (``tabmcp-upstream``).
LISTENING = re.compile(r"tabmcp-(?:standin|upstream) listening on (http://127\.0\.0\.1:\d+)")
STANDIN = "tabmcp-standin"


class StartError(RuntimeError):
    """A process did not come up in time; the message ends with the tail of its log."""


@dataclass
class Proc:
    """A started process, its log file, and (once known) the URL it serves."""

    name: str
    popen: subprocess.Popen[bytes]
    log: Path
    url: str = ""

    @property
    def pid(self) -> int:
        """The PID this process was started with."""
        return self.popen.pid

    def tail(self, lines: int = 30) -> str:
        """The last lines of the log (for error messages)."""
        try:
            return "\n".join(self.log.read_text(encoding="utf-8", errors="replace").splitlines()[-lines:])
        except OSError:
            return "(no log)"


def free_port() -> int:
    """Return a TCP port on 127.0.0.1 that is free right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((LOOPBACK, 0))
        return int(sock.getsockname()[1])


def bin_path(name: str) -> str:
    """Return the console script ``name`` next to this interpreter (the project's venv), else the bare name."""
    candidate = Path(sys.executable).with_name(name)
    return str(candidate) if candidate.exists() else name


def start(
    name: str,
    cmd: Sequence[str],
    *,
    log_dir: Path,
    env: Mapping[str, str] | None = None,
    cwd: Path | None = None,
    log_name: str | None = None,
) -> Proc:
    """Start ``cmd`` in a new session with stdout+stderr to ``log_dir/<log_name or name.log>``."""
    log_dir.mkdir(parents=True, exist_ok=True)
    log = log_dir / (log_name or f"{name}.log")
    with log.open("wb") as fh:
        popen = subprocess.Popen(  # noqa: S603  # nosec B603
            list(cmd),
            stdout=fh,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            env=dict(env) if env is not None else None,
            cwd=cwd,
            start_new_session=True,
        )
    return Proc(name=name, popen=popen, log=log)


def stop(proc: Proc, timeout: float = 10.0) -> int | None:
    """Stop ``proc`` by its PID: SIGTERM to its process group, then SIGKILL after ``timeout``; return the exit code."""
    if proc.popen.poll() is not None:
        return proc.popen.returncode
    for sig in (signal.SIGTERM, signal.SIGKILL):
        try:
            os.killpg(proc.pid, sig)  # the group id is the PID we started (start_new_session=True)
        except ProcessLookupError:
            break
        try:
            return proc.popen.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            continue
    return proc.popen.wait(timeout=timeout)


def wait_for_log(proc: Proc, pattern: re.Pattern[str], timeout: float) -> re.Match[str]:
    """Poll the log until ``pattern`` appears; raise :class:`StartError` if the process exits or time runs out."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        text = proc.log.read_text(encoding="utf-8", errors="replace") if proc.log.exists() else ""
        match = pattern.search(text)
        if match:
            return match
        if proc.popen.poll() is not None:
            raise StartError(f"{proc.name} exited with {proc.popen.returncode} before it was ready:\n{proc.tail()}")
        time.sleep(0.05)
    raise StartError(f"{proc.name} was not ready after {timeout:g} s:\n{proc.tail()}")


def wait_http_ok(proc: Proc, url: str, timeout: float) -> None:
    """Poll ``GET url`` until it answers 200; raise :class:`StartError` if the process exits or time runs out."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.popen.poll() is not None:
            raise StartError(f"{proc.name} exited with {proc.popen.returncode} before it was ready:\n{proc.tail()}")
        try:
            # Loopback URL.
            with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310  # nosec B310
                if response.status == 200:
                    return
        except (urllib.error.URLError, OSError):
            pass  # not listening yet
        time.sleep(0.1)
    raise StartError(f"{proc.name} did not answer {url} with 200 within {timeout:g} s:\n{proc.tail()}")


def start_standin(
    cassette_dir: Path,
    *,
    log_dir: Path,
    faults: Sequence[str] = (),
    delay_ms: int | None = None,
    timeout: float = 30.0,
    extra_args: Sequence[str] = (),
) -> Proc:
    """Start ``tabmcp-standin`` on a free loopback port and return it with ``.url`` set (``extra_args`` appended)."""
    cmd = [bin_path(STANDIN), "--cassette-dir", str(cassette_dir), "--host", LOOPBACK, "--port", "0", *extra_args]
    if delay_ms is not None:
        cmd += ["--delay-ms", str(delay_ms)]
    for fault in faults:
        cmd += ["--fault", fault]
    proc = start("standin", cmd, log_dir=log_dir, env=_python_env())
    try:
        proc.url = wait_for_log(proc, LISTENING, timeout)[1]
    except StartError:
        stop(proc)
        raise
    return proc


def server_env(base_url: str | None = None, extra: Mapping[str, str] | None = None, **tab: object) -> dict[str, str]:
    """The environment for a local ``tab-mcp``: this one less every ``TAB_*`` (no real credentials) and ``PORT``.

    Then ``TAB_BASE_URL=base_url`` (the stand-in) when given, the ``extra`` variables, and ``TAB_<KEY>=value``
    for each keyword (``client_id="x"`` sets ``TAB_CLIENT_ID``). Output is unbuffered.
    """
    env = {k: v for k, v in _python_env().items() if not k.startswith("TAB_") and k != "PORT"}
    if base_url is not None:
        env["TAB_BASE_URL"] = base_url
    env.update(extra or {})
    env.update({f"TAB_{key.upper()}": str(value) for key, value in tab.items()})
    return env


def start_server(
    base_url: str | None,
    *,
    log_dir: Path,
    port: int | None = None,
    extra_env: Mapping[str, str] | None = None,
    env: Mapping[str, str] | None = None,
    extra_args: Sequence[str] = (),
    log_name: str | None = None,
    timeout: float = 60.0,
) -> Proc:
    """Start ``tab-mcp serve --transport http`` on loopback and wait for ``/healthz``; ``.url`` is its ``/mcp`` URL.

    Its environment is ``env`` when given, else :func:`server_env` over ``base_url`` and ``extra_env``.
    """
    port = port or free_port()
    cmd = [bin_path("tab-mcp"), "serve", "--transport", "http", "--host", LOOPBACK, "--port", str(port), *extra_args]
    environment = env if env is not None else server_env(base_url, extra_env)
    proc = start("tab-mcp", cmd, log_dir=log_dir, env=environment, log_name=log_name)
    try:
        wait_http_ok(proc, f"http://{LOOPBACK}:{port}/healthz", timeout)
    except StartError:
        stop(proc)
        raise
    proc.url = f"http://{LOOPBACK}:{port}/mcp"
    return proc


@contextmanager
def running(*procs: Proc) -> Iterator[tuple[Proc, ...]]:
    """Context manager that stops the given processes (in reverse order) on exit, whatever happens."""
    try:
        yield procs
    finally:
        for proc in reversed(procs):
            stop(proc)


def _python_env() -> dict[str, str]:
    # Unbuffered output so the "listening on" line reaches the log file at once.
    return {**os.environ, "PYTHONUNBUFFERED": "1"}
