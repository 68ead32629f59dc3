"""How a tool calls upstream and builds its answer: ``info_get``, ``tool_result`` and the ``flag`` renderer.

Tools build their CallToolResult themselves. With ``detail="full"`` (and for ``tab_get``/``tab_post``) the text
block is the upstream body as received and the structured content its parsed JSON. Otherwise the tool's
``shape`` function (``tab_mcp.shaping``) turns the parsed body into the default answer, within the server's
character budget (``TAB_MAX_RESULT_CHARS``), sent once as compact JSON text and once as structured content.
Letting the SDK convert a returned dict would re-serialise the payload twice (pretty-printed text, then a
pydantic dump), which was over half of a call's CPU time on a large meetings list.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any

from mcp.types import CallToolResult

from tab_mcp.app_state import ToolContext, call_scope
from tab_mcp.client import UpstreamDocument
from tab_mcp.paths import info_path
from tab_mcp.shaping.answer import FULL_BODY, body_result, shaped_result

__all__ = ["Shape", "ToolResult", "flag", "info_get", "tool_result"]

ToolResult = Annotated[CallToolResult, dict[str, Any]]
#: Turns a parsed upstream body into a tool's default answer, given the character budget.
Shape = Callable[[Any, int], dict[str, Any]]


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
    shape: Shape | None = None,
    detail: str = FULL_BODY,
) -> CallToolResult:
    """GET an info-service resource; answer with ``shape`` of its JSON, or its body unchanged (``detail='full'``)."""
    scope = call_scope(ctx)
    path = info_path(*segments)
    params = [("jurisdiction", scope.jurisdiction(jurisdiction))]
    for key, val in (extra or {}).items():
        if val is not None:
            params.append((key, str(val)))
    document = await scope.get(path, params, access_token=access_token, what=what)
    if shape is None or detail == FULL_BODY:
        return tool_result(document)
    return shaped_result(shape(document.data, scope.state.settings.max_result_chars))


def tool_result(document: UpstreamDocument) -> CallToolResult:
    """Turn an upstream JSON document into a tool result (text = the body as received, structured = parsed).

    MCP structured content must be an object, so a bare array or scalar is wrapped as ``{"result": ...}``.
    """
    return body_result(document.text, document.data)
