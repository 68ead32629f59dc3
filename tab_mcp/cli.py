"""The ``tab-mcp`` command: serve, list tools, check the token."""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import httpx

from tab_mcp import __version__
from tab_mcp.errors import ConfigError, TabError
from tab_mcp.logs import configure_logging
from tab_mcp.settings import Settings, load_settings

if TYPE_CHECKING:
    from starlette.applications import Starlette

EXIT_OK = 0
EXIT_TOKEN_LOW = 1
EXIT_CONFIG = 2
EXIT_UPSTREAM = 3
WARN_BELOW_SECONDS = 300
WORKER_HEALTHCHECK_S = 30
# How ``serve --workers N`` hands its HTTP options to the worker processes' app factory.
HTTP_OPTIONS_ENV = "TABMCP_HTTP_OPTIONS"  # not TAB_*: that prefix belongs to Settings


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="tab-mcp", description="MCP server over the Tabcorp (TAB Australia) API.")
    parser.add_argument("--version", action="version", version=f"tab-mcp {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)
    serve = sub.add_parser("serve", help="Serve MCP over stdio or streamable HTTP")
    serve.add_argument("--transport", choices=("stdio", "http"), default="stdio", help="Transport (default stdio)")
    serve.add_argument("--host", default="127.0.0.1", help="HTTP bind address (default 127.0.0.1)")
    serve.add_argument("--port", type=int, default=None, help="HTTP port (default $PORT, else 8000)")
    serve.add_argument("--stateless", action="store_true", help="Stateless HTTP: no sessions (horizontal scaling)")
    serve.add_argument("--json-response", action="store_true", help="Answer POSTs with JSON instead of SSE")
    serve.add_argument(
        "--workers", type=int, default=1, help="HTTP worker processes (default 1; more than 1 needs --stateless)"
    )
    sub.add_parser("tools", help="List the tools with their one-line descriptions")
    status = sub.add_parser("token-status", help="Obtain a token and report its lifetime")
    status.add_argument("--json", action="store_true", help="Print the result as JSON")
    return parser


def main(argv: Sequence[str] | None = None, *, transport: httpx.AsyncBaseTransport | None = None) -> int:
    """Run the CLI and return its exit code (2 for configuration errors).

    ``transport`` replaces the network for the upstream calls (embedding and tests).
    """
    args = _parser().parse_args(argv)
    try:
        settings = load_settings()
        configure_logging(settings.log_level, settings.secret_values())
        if args.command == "serve":
            return _serve(settings, args, transport)
        if args.command == "tools":
            return _tools(settings)
        return asyncio.run(_token_status(settings, as_json=args.json, transport=transport))
    except ConfigError as exc:
        print(f"tab-mcp: configuration error: {exc.message}", file=sys.stderr)
        return EXIT_CONFIG
    except KeyboardInterrupt:
        return 130


def _resolve_port(port: int | None) -> int:
    if port is not None:
        return port
    raw = os.environ.get("PORT", "8000")
    if not raw.isdigit() or not 0 < int(raw) < 65536:
        raise ConfigError(f"PORT={raw!r} is not a TCP port; set PORT to a number between 1 and 65535.")
    return int(raw)


def _serve(settings: Settings, args: argparse.Namespace, transport: httpx.AsyncBaseTransport | None) -> int:
    from tab_mcp.server import create_http_app, create_server
    from tab_mcp.telemetry.sdk import configure_from_environment

    configure_from_environment()
    if args.transport == "stdio":
        if args.workers != 1:
            raise ConfigError(
                f"--workers {args.workers} needs --transport http; stdio serves one client in one process."
            )
        create_server(settings, transport=transport).run("stdio")
        return EXIT_OK
    import uvicorn
    from sse_starlette.sse import AppStatus

    from tab_mcp.connection_bounds import bounded_http_protocol

    # Check the options before changing any process-wide state, and refuse an unsafe start before listening.
    port, workers = _checked_http_start(settings, args, transport)
    # sse-starlette closes every event stream as soon as shutdown starts, including the stream that carries
    # an in-flight tool result (2025-11-25 clients then see "SSE stream ended without a response"). Let
    # uvicorn's bounded graceful shutdown drain them instead.
    AppStatus.disable_automatic_graceful_drain()
    app: Any
    if workers > 1:
        # Each worker process builds its own app (and upstream pool) from the factory and the environment.
        os.environ[HTTP_OPTIONS_ENV] = json.dumps({"stateless": True, "json_response": bool(args.json_response)})
        app = "tab_mcp.cli:http_app_from_environment"
    else:
        app = create_http_app(settings, transport=transport, stateless=args.stateless, json_response=args.json_response)
    print(
        f"tab-mcp {__version__} serving streamable HTTP on http://{args.host}:{port}/mcp"
        + (f" with {workers} worker processes" if workers > 1 else ""),
        file=sys.stderr,
    )
    # log_config=None keeps our redacting handler; the graceful timeout bounds shutdown, since an open
    # GET /mcp event stream never ends by itself.
    uvicorn.run(
        app,
        # A deadline to receive each request and a cap on open connections (tab_mcp/connection_bounds.py).
        http=bounded_http_protocol(settings),
        factory=workers > 1,
        workers=workers if workers > 1 else None,
        # A worker must answer the supervisor's health ping within this; importing the server in a fresh
        # process takes several seconds on a busy machine, and uvicorn's 5 s default restarts it in a loop.
        timeout_worker_healthcheck=WORKER_HEALTHCHECK_S,
        host=args.host,
        port=port,
        log_config=None,
        # Every MCP call is the same "POST /mcp" line, naming neither tool nor caller, and a proxy in front logs
        # requests anyway; so the line per request is the operator's choice (TAB_ACCESS_LOG), not a cost on every call.
        access_log=settings.access_log,
        timeout_graceful_shutdown=10,
        # Longer than the 60 s idle timeout of common load balancers, so they never reuse a connection that
        # uvicorn (default 5 s) has just closed.
        timeout_keep_alive=75,
        server_header=False,
    )
    return EXIT_OK


def _checked_http_start(
    settings: Settings, args: argparse.Namespace, transport: httpx.AsyncBaseTransport | None
) -> tuple[int, int]:
    """The port and worker count, once the inbound auth is valid and the start is safe (else a ``ConfigError``)."""
    from tab_mcp.access import check_http_start, inbound_auth

    port = _resolve_port(args.port)
    workers = _checked_workers(args, transport)
    inbound_auth(settings)
    warning = check_http_start(settings, args.host)
    if warning is not None:
        print(f"tab-mcp: warning: {warning}", file=sys.stderr)
    return port, workers


def _checked_workers(args: argparse.Namespace, transport: httpx.AsyncBaseTransport | None) -> int:
    workers = int(args.workers)
    if workers < 1:
        raise ConfigError(f"--workers {workers} is not a process count; pass 1 or more.")
    if workers > 1 and not args.stateless:
        raise ConfigError(
            f"--workers {workers} needs --stateless: a session lives in one process, and the workers share one "
            "port, so a session's requests would reach workers that do not know it."
        )
    if workers > 1 and transport is not None:
        raise ConfigError("--workers above 1 cannot use an injected upstream transport; run one worker.")
    return workers


def http_app_from_environment() -> Starlette:
    """The uvicorn app factory of each ``--workers`` process: settings from ``TAB_*``, options from the parent."""
    from sse_starlette.sse import AppStatus

    from tab_mcp.connection_bounds import bounded_http_protocol
    from tab_mcp.server import create_http_app
    from tab_mcp.telemetry.sdk import configure_from_environment

    settings = load_settings()
    configure_logging(settings.log_level, settings.secret_values())
    bounded_http_protocol(settings)  # this process imported the protocol class afresh: set its bounds here too
    configure_from_environment()
    AppStatus.disable_automatic_graceful_drain()
    options = json.loads(os.environ.get(HTTP_OPTIONS_ENV, "{}"))
    return create_http_app(
        settings, stateless=bool(options.get("stateless")), json_response=bool(options.get("json_response"))
    )


def _tools(settings: Settings) -> int:
    from tab_mcp.server import create_server

    tools = asyncio.run(create_server(settings).list_tools())
    for tool in sorted(tools, key=lambda t: t.name):
        summary = (tool.description or "").strip().splitlines()[0] if tool.description else ""
        print(f"{tool.name:42} {summary}")
    return EXIT_OK


async def _token_status(settings: Settings, *, as_json: bool, transport: httpx.AsyncBaseTransport | None) -> int:
    from tab_mcp.client import TabClient, build_http_client

    if settings.grant == "none":
        raise ConfigError(
            "token-status needs TAB_CLIENT_ID and TAB_CLIENT_SECRET (and optionally TAB_USERNAME/TAB_PASSWORD)."
        )
    async with build_http_client(settings, transport=transport) as http:
        client = TabClient(http, settings)
        try:
            token = await client.tokens.get_token()
        except TabError as exc:
            _report(
                as_json, {"ok": False, "error": exc.message}, f"token-status: could not obtain a token: {exc.message}"
            )
            return EXIT_UPSTREAM
    remaining = round(token.expires_in()) if token is not None else 0
    buffer = settings.token_refresh_buffer
    ok = remaining > buffer
    result: dict[str, object] = {
        "ok": ok,
        "grant": settings.grant,
        "expires_in": remaining,
        "refresh_buffer": buffer,
        "warning": remaining < WARN_BELOW_SECONDS,
    }
    text = f"token-status: {settings.grant} token expires in {remaining} s (refresh buffer {buffer} s)"
    if not ok:
        text += "; under the buffer, so every call will refresh it: check TAB_TOKEN_REFRESH_BUFFER"
    elif remaining < WARN_BELOW_SECONDS:
        text += "; WARNING: under 5 minutes left"
    _report(as_json, result, text)
    return EXIT_OK if ok else EXIT_TOKEN_LOW


def _report(as_json: bool, data: dict[str, object], text: str) -> None:
    print(json.dumps(data) if as_json else text)
