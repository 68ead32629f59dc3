"""The building blocks of the response contracts: small functions that return JSON Schema (draft 2020-12).

A contract says what a tool's structured result must hold, and nothing more: objects accept extra keys
(``additionalProperties`` is never closed), so a new upstream field is not drift. ``obj(required, optional)``
makes the difference between a field that is always present and one that may be absent explicit; a field
the reference tags [INFERRED] goes in ``optional`` until a real recording confirms it. A ``description``
names the expectation in drift sentences (``"an ISO 8601 UTC timestamp"``) where the type alone says too little.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

Schema = dict[str, Any]

STR: Schema = {"type": "string"}
INT: Schema = {"type": "integer"}
NUM: Schema = {"type": "number"}
BOOL: Schema = {"type": "boolean"}
ANY_OBJECT: Schema = {"type": "object"}
# Upstream timestamps are UTC with a "Z" (or a zero offset); a local-time string is drift the tools would
# pass on to a model as the wrong time.
ISO_UTC: Schema = {
    "type": "string",
    "pattern": r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]00:?00)$",
    "description": "an ISO 8601 UTC timestamp",
}
DATE: Schema = {"type": "string", "pattern": r"^\d{4}-\d{2}-\d{2}$", "description": "a YYYY-MM-DD date"}


def nullable(schema: Schema) -> Schema:
    """``schema`` that also accepts JSON ``null`` (the reference writes these ``string | null``)."""
    kind = schema["type"]
    kinds = [*kind, "null"] if isinstance(kind, list) else [kind, "null"]
    widened = {**schema, "type": kinds}
    if "description" in widened:
        widened["description"] = f"{widened['description']} or null"
    return widened


def array(items: Schema) -> Schema:
    """A JSON array whose every item matches ``items``."""
    return {"type": "array", "items": items}


def obj(required: Mapping[str, Schema], optional: Mapping[str, Schema] | None = None) -> Schema:
    """A JSON object that must hold every key of ``required`` and may hold those of ``optional``; extra keys pass."""
    properties = {**dict(optional or {}), **dict(required)}
    schema: Schema = {"type": "object", "properties": properties}
    if required:
        schema["required"] = list(required)
    return schema
