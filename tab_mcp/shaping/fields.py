"""Named upstream fields: pick them from a TAB object, and report each one that is missing or retyped.

A shaped answer is built only from fields named here, each with the JSON type the reference documents. A
required field that is absent, or any named field whose type changed, is left out of the answer and recorded
as one drift entry (``{"path", "expected", "got"}``, array indexes folded into ``[*]``), so the model and the
contract check see the drift instead of a silent null.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

__all__ = ["ARRAY", "BOOL", "INT", "NUM", "OBJECT", "STR", "Drift", "Named", "json_type"]

STR = "string"
INT = "integer"
NUM = "number"
BOOL = "boolean"
ARRAY = "array"
OBJECT = "object"

_ARTICLE = {INT: "an integer", ARRAY: "an array", OBJECT: "an object"}


def json_type(value: object) -> str:
    """The JSON type name of a parsed value (``integer`` and ``number`` kept apart; a bool is not a number)."""
    if isinstance(value, bool):
        return BOOL
    if isinstance(value, int):
        return INT
    if isinstance(value, float):
        return NUM
    if isinstance(value, str):
        return STR
    if isinstance(value, list):
        return ARRAY
    if isinstance(value, dict):
        return OBJECT
    return "null" if value is None else type(value).__name__


def _a(kind: str) -> str:
    return _ARTICLE.get(kind, "null" if kind == "null" else f"a {kind}")


def _fits(kind: str, value: object) -> bool:
    found = json_type(value)
    return found == kind or (kind == NUM and found == INT)


@dataclass(frozen=True)
class Named:
    """One upstream field a shaped answer uses: its TAB name, JSON type, and whether it may be absent or null."""

    name: str
    kind: str
    optional: bool = False
    nullable: bool = False


class Drift:
    """Collects the drift of one answer: every named field found missing or with another type, once per path."""

    def __init__(self) -> None:
        self._found: dict[str, dict[str, str]] = {}

    def record(self, path: str, expected: str, got: str) -> None:
        """Note one difference at ``path`` (``got`` is a JSON type name, or ``missing``)."""
        self._found.setdefault(path, {"path": path, "expected": expected, "got": got})

    def entries(self) -> list[dict[str, str]]:
        """The differences found, sorted by path."""
        return [self._found[path] for path in sorted(self._found)]

    def sentences(self) -> list[str]:
        """Each difference as words: ``at $.x TAB sent an integer where a string was expected``."""
        return [
            f"at {e['path']} the field is missing"
            if e["got"] == "missing"
            else f"at {e['path']} TAB sent {_a(e['got'])} where {_a(e['expected'])} was expected"
            for e in self.entries()
        ]

    def pick(self, source: object, fields: Sequence[Named], path: str) -> dict[str, Any]:
        """The named ``fields`` of ``source`` that are present with their documented type (others are drift)."""
        if not isinstance(source, Mapping):
            self.record(path, OBJECT, json_type(source))
            return {}
        picked: dict[str, Any] = {}
        for field in fields:
            if field.name not in source:
                if not field.optional:
                    self.record(f"{path}.{field.name}", field.kind, "missing")
                continue
            value = source[field.name]
            if (value is None and field.nullable) or _fits(field.kind, value):
                picked[field.name] = value
            else:
                self.record(f"{path}.{field.name}", field.kind, json_type(value))
        return picked

    def items(self, source: object, key: str, path: str, *, optional: bool = False) -> list[Any]:
        """The array ``source[key]`` (``[]`` when absent and optional); anything else is drift and reads as ``[]``."""
        if not isinstance(source, Mapping):
            self.record(path, OBJECT, json_type(source))
            return []
        if key not in source:
            if not optional:
                self.record(f"{path}.{key}", ARRAY, "missing")
            return []
        value = source[key]
        if isinstance(value, list):
            return value
        if not (optional and value is None):
            self.record(f"{path}.{key}", ARRAY, json_type(value))
        return []
