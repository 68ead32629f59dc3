"""A shaped answer's envelope, its advertised ``outputSchema``, and the tool result that carries it.

Every shaped answer is one JSON object with ``"detail": "summary"``, the tool's own keys (TAB's field names),
and, when they apply, ``total``/``shown``/``omitted``/``note`` (what was left out and how to narrow) and
``drift`` (named upstream fields found missing or retyped). The text content is the same object as compact
JSON, so a model reads it once. ``detail="full"`` answers carry TAB's body unchanged instead; the outputSchema
says so with its second branch, which never constrains the body (an upstream change must not make a client
reject the call: drift is reported by the contracts and the monitor instead).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from mcp.types import CallToolResult, TextContent
from pydantic import ConfigDict

from tab_mcp.shaping.budget import compact
from tab_mcp.shaping.fields import ARRAY, INT, STR, Drift, Named

__all__ = [
    "FULL_BODY",
    "SUMMARY",
    "answer_config",
    "body_result",
    "field_schema",
    "finish",
    "schema_config",
    "shaped_result",
]

SUMMARY = "summary"
FULL_BODY = "full"
Schema = dict[str, Any]

_ENVELOPE: Schema = {
    "detail": {"const": SUMMARY},
    "total": {"type": INT},
    "shown": {"type": INT},
    "omitted": {"type": ARRAY},
    "note": {"type": STR},
    "drift": {"type": ARRAY},
}


def field_schema(fields: Sequence[Named], nested: Mapping[str, Schema] | None = None) -> Schema:
    """The JSON Schema of an object picked with ``fields`` (plus ``nested`` sub-objects and lists)."""
    properties: Schema = {f.name: {"type": [f.kind, "null"] if f.nullable else f.kind} for f in fields} | dict(
        nested or {}
    )
    return {"type": "object", "properties": properties}


def answer_config(properties: Schema) -> ConfigDict:
    """The model config that advertises a tool's shaped answer as its ``outputSchema``.

    A tool's return annotation is ``Annotated[CallToolResult, M]`` with ``M`` a model using this config. The
    schema is either the shaped answer (``detail: "summary"``, the tool's ``properties``) or, with
    ``detail="full"``, TAB's body (any object without ``detail``). ``M`` accepts any object, so the server spends
    no time re-validating a body it already parsed.
    """
    return schema_config(
        {
            "type": "object",
            "anyOf": [
                {"required": ["detail"], "properties": _ENVELOPE | properties},
                {"not": {"required": ["detail"]}, "description": "detail='full': TAB's body"},
            ],
        }
    )


def schema_config(schema: Schema) -> ConfigDict:
    """The config of a model that accepts any object and advertises ``schema`` as its JSON schema."""

    def _advertise(target: dict[str, Any]) -> None:
        target.clear()
        target.update(schema)

    return ConfigDict(extra="allow", json_schema_extra=_advertise)


def finish(answer: dict[str, Any], drift: Drift) -> dict[str, Any]:
    """``answer`` marked as a summary, with its drift entries when there are any."""
    entries = drift.entries()
    return {"detail": SUMMARY, **answer, **({"drift": entries} if entries else {})}


def shaped_result(answer: dict[str, Any]) -> CallToolResult:
    """A shaped answer as a tool result: compact JSON text and the same object as structured content."""
    return CallToolResult(content=[TextContent(type="text", text=compact(answer))], structured_content=answer)


def body_result(text: str, data: Any) -> CallToolResult:
    """TAB's body unchanged: the text exactly as received and its parsed JSON as structured content.

    MCP structured content must be an object, so a bare array or scalar is wrapped as ``{"result": ...}``.
    """
    structured = data if isinstance(data, dict) else {"result": data}
    return CallToolResult(content=[TextContent(type="text", text=text)], structured_content=structured)
