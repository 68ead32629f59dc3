"""How a tool calls upstream and shapes its answer: ``info_get``, ``tool_result`` and the ``flag`` renderer.

Tools build their CallToolResult themselves: the text block is the upstream body as received and the
structured content is its parsed JSON. Letting the SDK convert a returned dict re-serialises the whole
payload twice (pretty-printed text, then a pydantic dump), which was over half of a call's CPU time on a
large meetings list. The Annotated ``ToolResult`` type keeps the advertised outputSchema an object.
"""

from __future__ import annotations

from typing import Annotated, Any

from mcp.types import CallToolResult, TextContent

from tab_mcp.app_state import ToolContext, call_scope
from tab_mcp.client import UpstreamDocument
from tab_mcp.paths import info_path

__all__ = ["ToolResult", "flag", "info_get", "tool_result"]

ToolResult = Annotated[CallToolResult, dict[str, Any]]


def flag(value: bool | None) -> str | None:
    """Render an optional boolean query flag the way TAB expects ('true'), or None to leave it out."""
    return "true" if value else None


async def info_get(
    ctx: ToolContext,
    segments: tuple[Any, ...],
    *,
    what: str,
    jurisdiction: str | None,
    access_token: str | None,
    extra: dict[str, Any] | None = None,
) -> CallToolResult:
    """GET an info-service resource and return its JSON as the tool's result."""
    scope = call_scope(ctx)
    path = info_path(*segments)
    params = [("jurisdiction", scope.jurisdiction(jurisdiction))]
    for key, val in (extra or {}).items():
        if val is not None:
            params.append((key, str(val)))
    return tool_result(await scope.get(path, params, access_token=access_token, what=what))


def tool_result(document: UpstreamDocument) -> CallToolResult:
    """Turn an upstream JSON document into a tool result (text = the body as received, structured = parsed).

    MCP structured content must be an object, so a bare array or scalar is wrapped as ``{"result": ...}``.
    """
    data = document.data if isinstance(document.data, dict) else {"result": document.data}
    return CallToolResult(content=[TextContent(type="text", text=document.text)], structured_content=data)
