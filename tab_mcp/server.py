"""The MCP server: ``create_server(settings)`` and its streamable-HTTP app.

The lifespan owns one pooled upstream client and the OAuth token cache. Over HTTP it is entered once for
the app's lifetime and shared by every session; in memory, once per client connection.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import asdict, dataclass

import httpx
from mcp.server.mcpserver import MCPServer
from mcp.server.transport_security import TransportSecuritySettings
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse

from tab_mcp import __version__
from tab_mcp.app_state import AppState
from tab_mcp.client import TabClient, build_http_client
from tab_mcp.errors import TabError
from tab_mcp.sessions import SessionCapMiddleware, SessionRegistry
from tab_mcp.settings import Settings
from tab_mcp.telemetry.instruments import observe_sessions
from tab_mcp.telemetry.middleware import OperationTimer
from tab_mcp.tools import register_all

logger = logging.getLogger("tab_mcp.server")

INSTRUCTIONS = (
    "Tools over the Tabcorp (TAB Australia) API. For racing, start with racing_get_all_meeting_dates or "
    "racing_get_meetings(meeting_date='today') to find venue codes and race numbers; for sports, start with "
    "sports_get_all_open and use names exactly as listed. The server manages its own OAuth token: leave "
    "access_token out. Prices differ by jurisdiction (NSW, VIC, QLD, SA, TAS, ACT, NT). tab_post can place "
    "real bets and is disabled unless the operator enables it."
)
LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "[::1]")
MCP_PATH = "/mcp"
# Sessions the SDK may hold beyond our cap: openings and evictions in progress at the same moment.
SDK_BACKSTOP_MIN = 16


@dataclass
class _Runtime:
    """The live state of the most recent lifespan, for the HTTP health routes (which run outside tools)."""

    state: AppState | None = None
    sessions: SessionRegistry | None = None


def create_server(
    settings: Settings,
    *,
    transport: httpx.AsyncBaseTransport | None = None,
    sessions: SessionRegistry | None = None,
) -> MCPServer:
    """Build the tab-mcp server with its 28 tools; ``transport`` replaces the network (tests, replay).

    ``sessions`` is the HTTP session registry whose figures ``/readyz`` reports (none on stdio).
    """
    runtime = _Runtime(sessions=sessions)

    @asynccontextmanager
    async def lifespan(_server: MCPServer) -> AsyncIterator[AppState]:
        async with build_http_client(settings, transport=transport) as http:
            state = AppState(client=TabClient(http, settings), settings=settings)
            runtime.state = state
            try:
                yield state
            finally:
                if runtime.state is state:
                    runtime.state = None

    # MCPServer() calls logging.basicConfig(); a handler on the root logger turns that into a no-op, so the
    # SDK never takes over the host application's logging.
    root = logging.getLogger()
    placeholder = logging.NullHandler()
    root.addHandler(placeholder)
    try:
        mcp = MCPServer(
            "tab-mcp",
            title="Tabcorp (TAB Australia)",
            version=__version__,
            instructions=INSTRUCTIONS,
            lifespan=lifespan,
            log_level=settings.log_level,
            middleware=[OperationTimer()],
        )
    finally:
        root.removeHandler(placeholder)
    register_all(mcp)
    _add_health_routes(mcp, runtime)
    return mcp


def _add_health_routes(mcp: MCPServer, runtime: _Runtime) -> None:
    # custom_route is an unannotated decorator in the SDK; calling it (not decorating) keeps the routes typed.
    async def healthz(_request: Request) -> JSONResponse:
        """Liveness: the process serves HTTP. Makes no upstream call."""
        return JSONResponse({"status": "ok", "version": __version__})

    async def readyz(_request: Request) -> JSONResponse:
        """Readiness: a token can be obtained (or none is needed); reports its lifetime and the sessions.

        Over stateful HTTP the body carries ``sessions``: open and busy sessions against their cap.
        """
        state = runtime.state
        if state is None:
            return JSONResponse({"status": "starting", "reason": "the server lifespan has not started"}, 503)
        extra = _session_figures(runtime.sessions)
        tokens = state.client.tokens
        if not tokens.has_credentials:
            return JSONResponse({"status": "ready", "auth": "anonymous", **extra})
        try:
            token = await tokens.get_token()
        except TabError as exc:
            return JSONResponse({"status": "unready", "reason": exc.message, **extra}, 503)
        expires_in = round(token.expires_in()) if token is not None else None
        return JSONResponse({"status": "ready", "auth": state.settings.grant, "token_expires_in": expires_in, **extra})

    mcp.custom_route("/healthz", methods=["GET"], include_in_schema=False)(healthz)
    mcp.custom_route("/readyz", methods=["GET"], include_in_schema=False)(readyz)


def _session_figures(sessions: SessionRegistry | None) -> dict[str, object]:
    """``{"sessions": {...}}`` for /readyz when sessions are tracked, else nothing."""
    return {} if sessions is None else {"sessions": asdict(sessions.load())}


def transport_security(settings: Settings) -> TransportSecuritySettings:
    """DNS-rebinding protection: loopback always, plus TAB_ALLOWED_HOSTS; '*' alone turns the check off."""
    if settings.allowed_hosts == ["*"]:
        return TransportSecuritySettings(enable_dns_rebinding_protection=False)
    hosts: list[str] = []
    origins: list[str] = []
    for host in (*LOOPBACK_HOSTS, *settings.allowed_hosts):
        # "name:*" matches only a Host header that carries a port, so list the bare name too.
        hosts += [host, f"{host}:*"]
        origins += [f"http://{host}", f"http://{host}:*", f"https://{host}", f"https://{host}:*"]
    return TransportSecuritySettings(enable_dns_rebinding_protection=True, allowed_hosts=hosts, allowed_origins=origins)


def create_http_app(
    settings: Settings,
    *,
    transport: httpx.AsyncBaseTransport | None = None,
    stateless: bool = False,
    json_response: bool = False,
) -> Starlette:
    """Build the streamable-HTTP ASGI app: MCP at ``/mcp``, plus ``/healthz`` and ``/readyz``.

    Stateful sessions are capped at ``TAB_MAX_SESSIONS`` by :mod:`tab_mcp.sessions`, which evicts the least
    recently used idle session for a newcomer; the SDK's own limit stays on above it as a backstop.
    """
    sessions = None if stateless else SessionRegistry(settings.max_sessions, settings.session_idle_timeout)
    mcp = create_server(settings, transport=transport, sessions=sessions)
    app = mcp.streamable_http_app(
        streamable_http_path=MCP_PATH,
        stateless_http=stateless,
        json_response=json_response,
        transport_security=transport_security(settings),
        session_idle_timeout=settings.session_idle_timeout,
        max_sessions=settings.max_sessions + max(SDK_BACKSTOP_MIN, settings.max_sessions // 10),
    )
    if sessions is not None:
        app.add_middleware(SessionCapMiddleware, registry=sessions, path=MCP_PATH)
        observe_sessions(sessions.load)
    return app
