"""Serve the stand-in: in a thread for tests (:func:`run_standin`), or as a process (``tabmcp-standin``).

- Console script: ``tabmcp-standin --cassette-dir DIR [--host 127.0.0.1] [--port P] [--delay-ms N]
  [--fault SPEC]... [--token-ttl S] [--token-ttl-spread S] [--require-auth] [--keep-alive S] [--allow-non-loopback]
  [--response-transform MODULE:NAME]``
  (``tabmcp-upstream`` is the same command under its former name; ``python -m pytest_tabmcp.standin`` too).
  Once bound it prints ``tabmcp-standin listening on http://127.0.0.1:PORT`` on stdout, under the name it was
  invoked by (``--port 0`` picks a free port).
- Python: ``with run_standin(cassette_dir, ...) as h:`` serves a :class:`~pytest_tabmcp.standin.app.StandIn`
  with the threaded runner and yields a handle with ``.url``, ``.stats``, ``.set_faults()`` and ``.reset_stats()``.
- Control API on the same port: ``GET /__standin/stats``, ``POST /__standin/reset-stats``,
  ``GET|POST /__standin/faults`` (``{"faults": ["status=503,times=1"]}``), ``POST /__standin/config``
  (``{"delay_ms", "require_auth", "token_ttl"}``), ``POST /__standin/revoke-tokens``.

Fault grammar: see :mod:`pytest_tabmcp.standin.faults`.
"""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import importlib
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import uvicorn

from pytest_tabmcp.standin.app import StandIn
from pytest_tabmcp.standin.cassettes import BodyTransform
from pytest_tabmcp.standin.faults import Fault
from pytest_tabmcp.standin.runner import bound_port, serve_in_thread
from tab_mcp.settings import is_loopback_host

__all__ = ["COMMAND", "StandInHandle", "is_loopback", "main", "run_standin"]

#: The console command's name; ``tabmcp-upstream`` is the same command under its former name.
COMMAND = "tabmcp-standin"
_NAMES = (COMMAND, "tabmcp-upstream")

# One loopback rule for the whole project: the server's (TAB_BASE_URL may be http only on loopback).
is_loopback = is_loopback_host

# What the stand-in needs from uvicorn, in a thread or a process: a bare ASGI app, and scope["client"] the real
# peer (it feeds tcp_connections_opened), and a hanging request must not block the stop.
_UVICORN: dict[str, Any] = {
    "log_level": "warning",
    "access_log": False,
    "lifespan": "off",
    "interface": "asgi3",
    "proxy_headers": False,
    "timeout_graceful_shutdown": 1,
}


def _url(host: str, port: int) -> str:
    return f"http://[{host}]:{port}" if ":" in host else f"http://{host}:{port}"


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

    Raises RuntimeError when the server does not start within the runner's start timeout.
    """
    standin = StandIn(cassette_dir, **kwargs)
    with serve_in_thread(standin.app, name="tabmcp-standin", **_UVICORN) as served:
        yield StandInHandle(standin=standin, url=served.base, port=served.port)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=COMMAND,
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
    parser.add_argument(
        "--token-ttl-spread", type=int, default=0, help="vary each token's expires_in: token-ttl less 0..S seconds"
    )
    parser.add_argument("--require-auth", action="store_true", help="401 unless the last issued token is sent")
    parser.add_argument(
        "--keep-alive", type=int, default=5, help="seconds an idle HTTP connection is kept open (uvicorn's default 5)"
    )
    parser.add_argument("--allow-non-loopback", action="store_true", help="allow binding a non-loopback address")
    parser.add_argument(
        "--response-transform",
        metavar="MODULE:NAME",
        help="serve drifted data: a (method, path, body) -> body callable applied to each recorded body at load",
    )
    return parser


def _import_transform(spec: str) -> BodyTransform:
    """Resolve ``MODULE:NAME`` to a callable; ValueError (one sentence) when it cannot be imported or called."""
    module_name, _, name = spec.partition(":")
    try:
        found = getattr(importlib.import_module(module_name), name) if module_name and name else None
    except (ImportError, AttributeError) as exc:
        raise ValueError(f"--response-transform {spec!r} cannot be imported ({exc}); give MODULE:NAME") from None
    if not callable(found):
        raise ValueError(f"--response-transform {spec!r} is not a callable; give MODULE:NAME of a function")
    transform: BodyTransform = found
    return transform


def _invoked_name() -> str:
    """The command's name as invoked, so a caller of the former ``tabmcp-upstream`` still reads its own name."""
    name = Path(sys.argv[0]).name if sys.argv else ""
    return name if name in _NAMES else COMMAND


def _fail(message: str) -> int:
    print(f"{_invoked_name()}: error: {message}", file=sys.stderr)
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
            print(f"{_invoked_name()} listening on {_url(self.announce_host, bound_port(self))}", flush=True)


def main(argv: list[str] | None = None) -> int:
    """Run the ``tabmcp-standin`` console script; returns the exit code (2 for usage errors)."""
    args = _parser().parse_args(argv)
    host = "127.0.0.1" if args.host.lower() == "localhost" else args.host  # one socket, one port
    if not is_loopback(host) and not args.allow_non_loopback:
        return _fail(
            f"refusing to bind non-loopback address {args.host!r}; "
            "pass --allow-non-loopback to expose the stand-in beyond this machine"
        )
    if not 0 <= args.port <= 65535 or args.delay_ms < 0 or args.token_ttl < 1 or args.keep_alive < 1:
        return _fail("--port must be 0..65535, --delay-ms >= 0, --token-ttl >= 1 and --keep-alive >= 1")
    try:
        transform = _import_transform(args.response_transform) if args.response_transform else None
        standin = StandIn(
            args.cassette_dir,
            delay_ms=args.delay_ms,
            faults=args.fault,
            token_ttl=args.token_ttl,
            require_auth=args.require_auth,
            token_ttl_spread=args.token_ttl_spread,
            response_transform=transform,
        )
    except (OSError, ValueError) as exc:  # a missing/empty cassette dir, bad YAML, a bad --fault spec or spread
        return _fail(str(exc))
    config = uvicorn.Config(standin.app, host=host, port=args.port, timeout_keep_alive=args.keep_alive, **_UVICORN)
    _AnnouncingServer(config, host).run()
    return 0
