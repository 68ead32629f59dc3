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


def array(items: Schema, *, min_items: int = 0) -> Schema:
    """A JSON array whose every item matches ``items``, with at least ``min_items`` of them."""
    schema: Schema = {"type": "array", "items": items}
    if min_items:
        schema["minItems"] = min_items
        schema["description"] = "a non-empty array" if min_items == 1 else f"an array of at least {min_items} items"
    return schema


def non_empty(items: Schema) -> Schema:
    """A JSON array the domain never leaves empty (``minItems: 1``): an empty one is drift, not data."""
    return array(items, min_items=1)


def one_of_types(*kinds: str, description: str) -> Schema:
    """A value that may hold any of the JSON types ``kinds`` (the reference shows each of them on real data)."""
    return {"type": list(kinds), "description": description}


def const(value: Any) -> Schema:
    """Exactly ``value`` (used in conditions: ``fixedOddsOnly`` is ``true``, ``bettingStatus`` is ``"Open"``)."""
    return {"const": value}


def when(condition: Mapping[str, Schema], then: Schema, otherwise: Schema | None = None) -> Schema:
    """``if`` every field of ``condition`` is present and matches, ``then`` applies (else ``otherwise``).

    For fields the domain guarantees only in some cases: prices on a runner that is not scratched, a
    ``venueMnemonic`` on a meeting that is not fixed-odds-only. ``then`` is usually an :func:`obj`, so a drift
    sentence can still name what the missing field should be.
    """
    rule: Schema = {"if": {"properties": dict(condition), "required": list(condition)}, "then": then}
    if otherwise is not None:
        rule["else"] = otherwise
    return rule


def obj(
    required: Mapping[str, Schema],
    optional: Mapping[str, Schema] | None = None,
    *,
    rules: tuple[Schema, ...] = (),
) -> Schema:
    """A JSON object that must hold every key of ``required`` and may hold those of ``optional``; extra keys pass.

    ``rules`` are conditional requirements (:func:`when`), all of which must hold.
    """
    properties = {**dict(optional or {}), **dict(required)}
    schema: Schema = {"type": "object", "properties": properties}
    if required:
        schema["required"] = list(required)
    if rules:
        schema["allOf"] = list(rules)
    return schema
