"""The controls the benchmark measures tab-mcp against.

- **Control A (``upstream``)**: a bare SDK ``MCPServer`` whose tools do the same upstream GET as tab-mcp's
  through one shared pooled ``httpx.AsyncClient`` with a fixed bearer header, and build their
  ``CallToolResult`` directly (the body as received for the text, parsed once for the structured content),
  as tab-mcp does: returning a dict instead would make the SDK serialise every payload twice, extra work
  no correct server needs. Each tool advertises an ``outputSchema`` naming the same TAB fields, with the
  same types, as tab-mcp's answer does (the product requires one, and a client validates every result
  against it, so a control without one would leave the driver less work than the job takes); TAB's body
  conforms to it as it is. It is the least work any correct server must do: no OAuth, retries, bounded
  reads, input checks or shaping. It runs in
  three upstream configurations (``--pool``), and the fastest in a run is the reference for every target:
  ``default`` (``httpx.AsyncClient()``'s limits: 100 connections, 20 kept idle), ``tuned`` (100, all kept
  idle) and ``aiohttp`` (the ``httpx-aiohttp`` transport as shipped, aiohttp's connector capped at 100).
- **Control B (``sleep``)**: the same tool names, each only sleeping 50 ms. It shows what the SDK, the HTTP
  transport and the driving client alone cost on this machine.

Both use the tool names tab-mcp uses, so one driver calls all three servers the same way. Served with
``python -m bench.controls --kind upstream|sleep --upstream URL --port P [--stateless] [--json-response]
[--pool tuned|default]``, on uvicorn with the same streamable-HTTP settings as tab-mcp.
"""

from __future__ import annotations

import argparse
import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Annotated, Any, cast
from urllib.parse import quote

import httpx
from mcp.server.mcpserver import Context, MCPServer
from mcp.server.mcpserver.exceptions import ToolError
from mcp.types import CallToolResult, TextContent
from pydantic import BaseModel, ConfigDict
from starlette.requests import Request
from starlette.responses import JSONResponse

from tab_mcp.shaping.answer import schema_config
from tab_mcp.shaping.racecard import FORM_SCHEMA
from tab_mcp.shaping.racing import DATES_SCHEMA

INFO = "/v1/tab-info-service"
FIXED_TOKEN = "bench-fixed-token"  # noqa: S105 - a placeholder bearer, the stand-in accepts any
SLEEP_S = 0.05
POOLS = ("tuned", "default", "aiohttp")


@dataclass
class _State:
    http: httpx.AsyncClient


def _advertising(properties: dict[str, Any]) -> ConfigDict:
    """A model config whose JSON schema, the tool's ``outputSchema``, is an object with ``properties``."""
    return schema_config({"type": "object", "properties": properties})


class DatesBody(BaseModel):
    """outputSchema: the racing dates (TAB's body), typed as tab-mcp types the same fields."""

    model_config = _advertising(DATES_SCHEMA)


class FormBody(BaseModel):
    """outputSchema: a race's form guide (TAB's body), typed as tab-mcp types the same fields."""

    model_config = _advertising(FORM_SCHEMA)


class AnyBody(BaseModel):
    """outputSchema: any object (tab-mcp advertises no fields for the jackpots either)."""

    model_config = _advertising({})


def pool_limits(pool: str, max_connections: int = 100) -> httpx.Limits:
    """``tuned``: as many idle connections as may be in flight (tab-mcp's setting); ``default``: httpx's
    default of 20 idle connections. Both keep idle connections 30 s like tab-mcp, so only the count differs."""
    keepalive = 20 if pool == "default" else max_connections  # httpx.Limits() default: 100 / 20
    return httpx.Limits(max_connections=max_connections, max_keepalive_connections=keepalive, keepalive_expiry=30.0)


def pool_transport(pool: str, max_connections: int = 100) -> httpx.AsyncBaseTransport | None:
    """The transport for ``pool``: ``aiohttp`` gets httpx-aiohttp's; the others httpx's own (None)."""
    if pool != "aiohttp":
        return None
    from httpx_aiohttp import AiohttpTransport

    # httpx's limits= never reaches aiohttp; the transport reads its own (cap, keep-alive expiry; aiohttp
    # keeps every idle connection, there is no idle count).
    return AiohttpTransport(limits=httpx.Limits(max_connections=max_connections, keepalive_expiry=30.0))


def build_upstream_control(
    base_url: str, *, transport: httpx.AsyncBaseTransport | None = None, pool: str = "tuned", max_connections: int = 100
) -> MCPServer:
    """Control A: MCPServer whose tools GET the info service through one shared pooled client."""

    @asynccontextmanager
    async def lifespan(_server: MCPServer) -> AsyncIterator[_State]:
        """One pooled client for the server's lifetime (per connection in memory)."""
        async with httpx.AsyncClient(
            base_url=base_url,
            transport=transport or pool_transport(pool, max_connections),
            limits=pool_limits(pool, max_connections),
            timeout=httpx.Timeout(10.0),
            headers={"Authorization": f"Bearer {FIXED_TOKEN}"},
            trust_env=False,
        ) as http:
            yield _State(http=http)

    mcp = MCPServer("bench-control-upstream", lifespan=lifespan, log_level="WARNING")
    _add_upstream_tools(mcp)
    _add_healthz(mcp)
    return mcp


def _add_upstream_tools(mcp: MCPServer) -> None:
    """The three measured tools, each one GET through the lifespan's client, its body returned as the result."""

    async def fetch(ctx: Context, path: str, jurisdiction: str) -> CallToolResult:
        """GET an info-service path and return it as a result; an error status becomes a ToolError."""
        state = cast(_State, ctx.request_context.lifespan_context)
        response = await state.http.get(INFO + path, params={"jurisdiction": jurisdiction})
        if response.status_code >= 400:
            raise ToolError(f"upstream returned {response.status_code}")
        data = response.json()
        structured = data if isinstance(data, dict) else {"result": data}
        return CallToolResult(content=[TextContent(type="text", text=response.text)], structured_content=structured)

    @mcp.tool()
    async def racing_get_all_meeting_dates(
        ctx: Context, jurisdiction: str = "NSW"
    ) -> Annotated[CallToolResult, DatesBody]:
        """The racing dates."""
        return await fetch(ctx, "/racing/dates", jurisdiction)

    @mcp.tool()
    async def racing_get_open_jackpots(ctx: Context, jurisdiction: str = "NSW") -> Annotated[CallToolResult, AnyBody]:
        """The open jackpots."""
        return await fetch(ctx, "/racing/jackpots", jurisdiction)

    @mcp.tool()
    async def racing_get_race_form(
        ctx: Context,
        meeting_date: str,
        race_type: str,
        venue_mnemonic: str,
        race_number: int,
        jurisdiction: str = "NSW",
    ) -> Annotated[CallToolResult, FormBody]:
        """The form guide of one race."""
        segments = (
            "racing",
            "dates",
            meeting_date,
            "meetings",
            race_type,
            venue_mnemonic,
            "races",
            race_number,
            "form",
        )
        return await fetch(ctx, "/" + "/".join(quote(str(s), safe="") for s in segments), jurisdiction)


def build_sleep_control() -> MCPServer:
    """Control B: the same tool names, each sleeping 50 ms and returning a small object."""
    mcp = MCPServer("bench-control-sleep", log_level="WARNING")

    @mcp.tool()
    async def racing_get_all_meeting_dates(jurisdiction: str = "NSW") -> dict[str, Any]:
        """Sleep 50 ms."""
        await asyncio.sleep(SLEEP_S)
        return {"dates": [], "jurisdiction": jurisdiction}

    @mcp.tool()
    async def racing_get_open_jackpots(jurisdiction: str = "NSW") -> dict[str, Any]:
        """Sleep 50 ms."""
        await asyncio.sleep(SLEEP_S)
        return {"jackpots": [], "jurisdiction": jurisdiction}

    _add_healthz(mcp)
    return mcp


def _add_healthz(mcp: MCPServer) -> None:
    async def healthz(_request: Request) -> JSONResponse:
        """Readiness for the bench: the process serves HTTP."""
        return JSONResponse({"status": "ok"})

    # custom_route is an unannotated decorator in the SDK; calling it (not decorating) keeps the route typed.
    mcp.custom_route("/healthz", methods=["GET"])(healthz)


def main(argv: list[str] | None = None) -> int:
    """Serve one control over streamable HTTP at ``/mcp`` on 127.0.0.1."""
    import uvicorn

    parser = argparse.ArgumentParser(prog="bench.controls")
    parser.add_argument("--kind", choices=("upstream", "sleep"), required=True)
    parser.add_argument("--upstream", default="http://127.0.0.1:9")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--stateless", action="store_true")
    parser.add_argument("--json-response", action="store_true")
    parser.add_argument("--pool", choices=POOLS, default="tuned")
    parser.add_argument("--max-connections", type=int, default=100)
    args = parser.parse_args(argv)
    mcp = (
        build_upstream_control(args.upstream, pool=args.pool, max_connections=args.max_connections)
        if args.kind == "upstream"
        else build_sleep_control()
    )
    # Same settings as tab-mcp's create_http_app; host=127.0.0.1 turns on the SDK's loopback Host check too.
    app = mcp.streamable_http_app(
        streamable_http_path="/mcp", stateless_http=args.stateless, json_response=args.json_response, host="127.0.0.1"
    )
    uvicorn.run(
        app,
        host="127.0.0.1",
        port=args.port,
        log_config=None,
        log_level="warning",
        access_log=False,
        timeout_graceful_shutdown=10,
        timeout_keep_alive=75,  # as tab-mcp serve: a starved driver may reuse a connection idle for seconds
        server_header=False,
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
