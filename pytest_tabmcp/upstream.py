"""The upstream stand-in: serves cassette interactions on loopback in place of ``api.beta.tab.com.au``.

It lets the real HTTP server run offline (``TAB_BASE_URL=http://127.0.0.1:P tab-mcp serve --transport http``)
and gives the fault, load and benchmark tests an upstream they control.

- Console script: ``tabmcp-upstream --cassette-dir DIR [--host 127.0.0.1] [--port P] [--delay-ms N]
  [--fault SPEC]... [--token-ttl S] [--require-auth] [--allow-non-loopback]``. Once bound it prints
  ``tabmcp-upstream listening on http://127.0.0.1:PORT`` on stdout (``--port 0`` picks a free port).
- Python: ``StandIn(cassette_dir, ...)`` is the ASGI app object; ``with run_standin(cassette_dir, ...) as h:``
  serves it with uvicorn in a background thread and yields a handle with ``.url``, ``.stats``,
  ``.set_faults()`` and ``.reset_stats()``.
- Control API on the same port: ``GET /__standin/stats``, ``POST /__standin/reset-stats``,
  ``GET|POST /__standin/faults`` (``{"faults": ["status=503,times=1"]}``), ``POST /__standin/config``
  (``{"delay_ms", "require_auth", "token_ttl"}``), ``POST /__standin/revoke-tokens``.

Fault grammar: see :mod:`pytest_tabmcp._upstream_faults`.
"""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import sys
import threading
import time
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import uvicorn

from pytest_tabmcp._upstream_app import StandIn, StandInAbort
from pytest_tabmcp._upstream_faults import Fault, FaultSpecError, parse_fault, parse_faults
from tab_mcp.settings import is_loopback_host

__all__ = [
    "Fault",
    "FaultSpecError",
    "StandIn",
    "StandInAbort",
    "StandInHandle",
    "is_loopback",
    "main",
    "parse_fault",
    "parse_faults",
    "run_standin",
]

_STARTUP_TIMEOUT_S = 10.0
_STOP_TIMEOUT_S = 10.0


# One loopback rule for the whole project: the server's (TAB_BASE_URL may be http only on loopback).
is_loopback = is_loopback_host


def _url(host: str, port: int) -> str:
    return f"http://[{host}]:{port}" if ":" in host else f"http://{host}:{port}"


def _bound_port(server: uvicorn.Server) -> int:
    return int(server.servers[0].sockets[0].getsockname()[1])


@dataclasses.dataclass
class StandInHandle:
    """A running stand-in: its ``url`` (no trailing slash), ``port`` and the ``standin`` object itself."""

    standin: StandIn
    url: str
    port: int

    @property
    def stats(self) -> dict[str, Any]:
        """A snapshot of the request counters."""
        return self.standin.stats

    def set_faults(self, faults: str | Fault | Iterable[str | Fault] | None) -> None:
        """Replace the active faults (None clears them)."""
        self.standin.set_faults(faults)

    def reset_stats(self) -> None:
        """Zero the request counters."""
        self.standin.reset_stats()


@contextlib.contextmanager
def run_standin(cassette_dir: str | Path, **kwargs: Any) -> Iterator[StandInHandle]:
    """Serve a ``StandIn(cassette_dir, **kwargs)`` on 127.0.0.1 (free port) in a thread; stop it on exit.

    Raises RuntimeError when the server does not start within 10 s.
    """
    standin = StandIn(cassette_dir, **kwargs)
    config = uvicorn.Config(
        standin.app,
        host="127.0.0.1",
        port=0,
        log_level="warning",
        access_log=False,
        log_config=None,  # leave the test process's logging configuration alone
        lifespan="off",
        interface="asgi3",
        proxy_headers=False,  # scope["client"] must be the real peer: it feeds tcp_connections_opened
        timeout_graceful_shutdown=1,  # a hanging request must not block the stop
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, name="tabmcp-standin", daemon=True)
    thread.start()
    deadline = time.monotonic() + _STARTUP_TIMEOUT_S
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            server.should_exit = True
            thread.join(_STOP_TIMEOUT_S)
            raise RuntimeError("tabmcp-upstream stand-in did not start on 127.0.0.1")
        time.sleep(0.01)
    port = _bound_port(server)
    try:
        yield StandInHandle(standin=standin, url=_url("127.0.0.1", port), port=port)
    finally:
        server.should_exit = True
        thread.join(_STOP_TIMEOUT_S)
        if thread.is_alive():  # still draining connections: stop waiting for them
            server.force_exit = True
            thread.join(_STOP_TIMEOUT_S)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="tabmcp-upstream",
        description="Serve vcrpy cassettes as a loopback stand-in for the Tabcorp API (with OAuth and faults).",
    )
    parser.add_argument("--cassette-dir", required=True, type=Path, help="directory of vcrpy *.yaml cassettes")
    parser.add_argument("--host", default="127.0.0.1", help="bind address (loopback only unless allowed)")
    parser.add_argument("--port", type=int, default=0, help="port; 0 picks a free one (default)")
    parser.add_argument("--delay-ms", type=int, default=0, help="sleep before every info-service response")
    parser.add_argument(
        "--fault", action="append", default=[], metavar="SPEC", help="fault spec, e.g. status=429,retry-after=2"
    )
    parser.add_argument("--token-ttl", type=int, default=10800, help="expires_in of issued tokens (s)")
    parser.add_argument("--require-auth", action="store_true", help="401 unless the last issued token is sent")
    parser.add_argument("--allow-non-loopback", action="store_true", help="allow binding a non-loopback address")
    return parser


def _fail(message: str) -> int:
    print(f"tabmcp-upstream: error: {message}", file=sys.stderr)
    return 2


class _AnnouncingServer(uvicorn.Server):
    """A uvicorn server that prints the listening line (with the real port) as soon as it is bound."""

    def __init__(self, config: uvicorn.Config, host: str) -> None:
        super().__init__(config)
        self.announce_host = host

    async def startup(self, sockets: list[Any] | None = None) -> None:
        """Bind as uvicorn does, then announce the URL on stdout for whoever started the process."""
        await super().startup(sockets)
        if self.started:
            print(f"tabmcp-upstream listening on {_url(self.announce_host, _bound_port(self))}", flush=True)


def main(argv: list[str] | None = None) -> int:
    """Run the ``tabmcp-upstream`` console script; returns the exit code (2 for usage errors)."""
    args = _parser().parse_args(argv)
    host = "127.0.0.1" if args.host.lower() == "localhost" else args.host  # one socket, one port
    if not is_loopback(host) and not args.allow_non_loopback:
        return _fail(
            f"refusing to bind non-loopback address {args.host!r}; "
            "pass --allow-non-loopback to expose the stand-in beyond this machine"
        )
    if not 0 <= args.port <= 65535 or args.delay_ms < 0 or args.token_ttl < 1:
        return _fail("--port must be 0..65535, --delay-ms >= 0 and --token-ttl >= 1")
    try:
        standin = StandIn(
            args.cassette_dir,
            delay_ms=args.delay_ms,
            faults=args.fault,
            token_ttl=args.token_ttl,
            require_auth=args.require_auth,
        )
    except (OSError, ValueError) as exc:  # a missing/empty cassette dir, bad YAML or a bad --fault spec
        return _fail(str(exc))
    config = uvicorn.Config(
        standin.app,
        host=host,
        port=args.port,
        log_level="warning",
        access_log=False,
        lifespan="off",
        interface="asgi3",
        proxy_headers=False,
        timeout_graceful_shutdown=1,
    )
    _AnnouncingServer(config, host).run()
    return 0


if __name__ == "__main__":
    sys.exit(main())
