"""The MCP server: ``create_server(settings)`` and its streamable-HTTP app.

The lifespan owns one pooled upstream client and the OAuth token cache. Over HTTP it is entered once for
the app's lifetime and shared by every session; in memory, once per client connection.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import asdict, dataclass
from typing import Any

import httpx
from mcp.server.mcpserver import Context, MCPServer
from mcp.server.transport_security import TransportSecuritySettings
from mcp.types import CallToolResult, InputRequiredResult
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse

from tab_mcp import __version__
from tab_mcp.access import (
    CallerRateLimiter,
    HostCheckMiddleware,
    caller_from_scope,
    check_tool_call,
    current_caller,
    inbound_auth,
    transport_security,
)
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
MCP_PATH = "/mcp"
# Sessions the SDK may hold beyond our cap: openings and evictions in progress at the same moment.
SDK_BACKSTOP_MIN = 16


@dataclass
class _Runtime:
    """The live state of the most recent lifespan, for the HTTP health routes (which run outside tools)."""

    state: AppState | None = None
    sessions: SessionRegistry | None = None


class _LimitedServer(MCPServer[AppState]):
    """The SDK's server with each HTTP caller's tool calls taken from its rate share first."""

    limiter: CallerRateLimiter | None = None

    async def call_tool(
        self, name: str, arguments: dict[str, Any], context: Context[AppState, Any] | None = None
    ) -> CallToolResult | InputRequiredResult:
        """Refuse the call when its caller is over ``TAB_RATE_LIMIT``, else run the tool."""
        caller = current_caller(context) if self.limiter is not None and context is not None else None
        if self.limiter is not None and caller is not None:
            check_tool_call(self.limiter, caller)
        return await super().call_tool(name, arguments, context)


def create_server(
    settings: Settings,
    *,
    transport: httpx.AsyncBaseTransport | None = None,
    sessions: SessionRegistry | None = None,
    http: bool = False,
) -> MCPServer:
    """Build the tab-mcp server with its 28 tools; ``transport`` replaces the network (tests, replay).

    ``sessions`` is the HTTP session registry whose figures ``/readyz`` reports (none on stdio). ``http``
    adds what only HTTP callers need: inbound authentication and the per-caller tool-call rate.
    """
    runtime = _Runtime(sessions=sessions)
    auth = inbound_auth(settings) if http else None

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
        mcp = _LimitedServer(
            "tab-mcp",
            title="Tabcorp (TAB Australia)",
            version=__version__,
            instructions=INSTRUCTIONS,
            lifespan=lifespan,
            log_level=settings.log_level,
            auth=auth.settings if auth is not None else None,
            token_verifier=auth.verifier if auth is not None else None,
            middleware=[OperationTimer()],
        )
    finally:
        root.removeHandler(placeholder)
    if http and settings.rate_limit:
        mcp.limiter = CallerRateLimiter(settings.rate_limit)
    register_all(mcp)
    _add_health_routes(mcp, runtime)
    return mcp


def _add_health_routes(mcp: MCPServer, runtime: _Runtime) -> None:
    # custom_route is an unannotated decorator in the SDK; calling it (not decorating) keeps the routes typed.
    async def healthz(_request: Request) -> PlainTextResponse:
        """Liveness: the process serves HTTP. Makes no upstream call and says nothing else."""
        return PlainTextResponse("ok")

    async def readyz(request: Request) -> JSONResponse:
        """Readiness as a status code for everyone; the details only for a loopback or authenticated caller."""
        status, details = await _readiness(runtime)
        caller = caller_from_scope(request.scope)
        if caller.loopback or caller.authenticated:
            return JSONResponse(details, status)
        return JSONResponse({"status": details["status"]}, status)

    mcp.custom_route("/healthz", methods=["GET"], include_in_schema=False)(healthz)
    mcp.custom_route("/readyz", methods=["GET"], include_in_schema=False)(readyz)


async def _readiness(runtime: _Runtime) -> tuple[int, dict[str, object]]:
    """Readiness: a token can be obtained (or none is needed); reports its lifetime and the sessions.

    Over stateful HTTP the body carries ``sessions``: open and busy sessions against their cap.
    """
    state = runtime.state
    if state is None:
        return 503, {"status": "starting", "reason": "the server lifespan has not started"}
    extra = _session_figures(runtime.sessions)
    tokens = state.client.tokens
    if not tokens.has_credentials:
        return 200, {"status": "ready", "auth": "anonymous", **extra}
    try:
        token = await tokens.get_token()
    except TabError as exc:
        return 503, {"status": "unready", "reason": exc.message, **extra}
    expires_in = round(token.expires_in()) if token is not None else None
    return 200, {"status": "ready", "auth": state.settings.grant, "token_expires_in": expires_in, **extra}


def _session_figures(sessions: SessionRegistry | None) -> dict[str, object]:
    """``{"sessions": {...}}`` for /readyz when sessions are tracked, else nothing."""
    return {} if sessions is None else {"sessions": asdict(sessions.load())}


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
    sessions = (
        None
        if stateless
        else SessionRegistry(
            settings.max_sessions, settings.session_idle_timeout, per_caller=settings.max_sessions_per_caller
        )
    )
    mcp = create_server(settings, transport=transport, sessions=sessions, http=True)
    security = transport_security(settings)
    app = mcp.streamable_http_app(
        streamable_http_path=MCP_PATH,
        stateless_http=stateless,
        json_response=json_response,
        # HostCheckMiddleware (outermost, below) applies these Host/Origin rules to every route; checking them
        # again inside /mcp would repeat the work on each call. The SDK still checks a POST's Content-Type.
        transport_security=TransportSecuritySettings(enable_dns_rebinding_protection=False),
        session_idle_timeout=settings.session_idle_timeout,
        max_sessions=settings.max_sessions + max(SDK_BACKSTOP_MIN, settings.max_sessions // 10),
    )
    # The request path, outermost first: the Host check (every route), then the SDK's own authentication
    # middleware (already in the list when auth is on), then the per-caller session share and the cap.
    if sessions is not None:
        app.user_middleware.append(Middleware(SessionCapMiddleware, registry=sessions, path=MCP_PATH))
        observe_sessions(sessions.load)
    app.user_middleware.insert(
        0, Middleware(HostCheckMiddleware, security=security, inbound_auth=settings.inbound_auth)
    )
    return app
