"""Times every MCP message the server handles, as ``mcp.server.operation.duration``.

The SDK's own OpenTelemetry middleware already opens a SERVER span per message (and parents it on the trace
context a client sends in ``_meta``); this one adds the duration histogram the semantic conventions name, with
the method, the tool's name and, for a failed call, the error type. It runs inside the SDK's span.
"""

from __future__ import annotations

import time
from typing import Any

from mcp.server.context import CallNext, HandlerResult, ServerMiddleware, ServerRequestContext
from mcp.types import CallToolResult

from tab_mcp.telemetry.instruments import record_operation

__all__ = ["OperationTimer"]


class OperationTimer(ServerMiddleware[Any]):
    """Record each message's duration with ``mcp.method.name``, ``gen_ai.tool.name`` and ``error.type``."""

    async def __call__(self, ctx: ServerRequestContext[Any, Any], call_next: CallNext) -> HandlerResult:
        """Run the message and record how long it took, and whether it failed."""
        attributes = {"mcp.method.name": ctx.method}
        name = ctx.params.get("name") if ctx.params else None
        if ctx.method == "tools/call":
            attributes["gen_ai.operation.name"] = "execute_tool"
            if isinstance(name, str):
                attributes["gen_ai.tool.name"] = name
        started = time.perf_counter()
        try:
            result = await call_next(ctx)
        except Exception as exc:
            attributes["error.type"] = type(exc).__qualname__
            record_operation(time.perf_counter() - started, attributes)
            raise
        if (isinstance(result, CallToolResult) and result.is_error) or (
            isinstance(result, dict) and result.get("isError") is True
        ):
            attributes["error.type"] = "tool_error"
        record_operation(time.perf_counter() - started, attributes)
        return result
