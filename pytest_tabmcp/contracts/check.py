"""Check a tool's structured result against its contract and describe each difference in one sentence.

A sentence names the tool, the JSON path, what the contract expects and what came back (a JSON type, or
"missing"), never a value: upstream bodies are large and may carry data that does not belong in a report.
Array indexes are folded into ``[*]``, so one renamed field in 40 runners is one difference, not 40.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError

from pytest_tabmcp.contracts.shapes import Schema

_JSON_TYPES: dict[type, str] = {dict: "object", list: "array", str: "string", bool: "boolean", type(None): "null"}
_ARTICLE = {"object": "an object", "array": "an array", "integer": "an integer"}


@dataclass(frozen=True, order=True)
class Violation:
    """One difference between a result and its contract: where, what was expected, what came back."""

    tool: str
    path: str
    expected: str
    got: str

    def sentence(self) -> str:
        """The difference as one sentence, e.g. ``t: at $.races[*].raceStartTime the contract expects ...``."""
        got = "the field is missing" if self.got == "missing" else f"got {self.got}"
        return f"{self.tool}: at {self.path} the contract expects {self.expected}, but {got}."


def json_type(value: object) -> str:
    """The JSON type name of a parsed JSON value (``integer`` and ``number`` kept apart, bool is not a number)."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return _JSON_TYPES.get(type(value), type(value).__name__)
    return "integer" if isinstance(value, int) else "number"


def _a(kind: str) -> str:
    return _ARTICLE.get(kind, "null" if kind == "null" else f"a {kind}")


def describe(schema: Mapping[str, Any]) -> str:
    """What ``schema`` expects, in words: its ``description``, else its type(s) with an article."""
    if "description" in schema:
        return str(schema["description"])
    kind = schema.get("type", "any value")
    kinds = kind if isinstance(kind, list) else [kind]
    return " or ".join(_a(str(k)) for k in kinds)


def json_path(parts: Iterable[str | int]) -> str:
    """``$.races[*].meeting.meetingName`` from jsonschema's path parts (indexes folded into ``[*]``)."""
    path = "$"
    for part in parts:
        path += "[*]" if isinstance(part, int) else f".{part}"
    return path


@functools.cache
def _validator(tool: str, schema_id: int, shaped: bool = False) -> Draft202012Validator:
    from pytest_tabmcp.contracts import CONTRACTS, SHAPED_CONTRACTS

    return Draft202012Validator(SHAPED_CONTRACTS[tool] if shaped else CONTRACTS[tool])


def _schema_at(schema: Mapping[str, Any], path: str) -> Mapping[str, Any] | None:
    """The sub-schema a folded path (``$.races[*].raceStartTime``) points at, or None when the contract is silent."""
    node: Mapping[str, Any] | None = schema
    for part in path.removeprefix("$").replace("[*]", ".[*]").split("."):
        if not part or node is None:
            continue
        node = node.get("items") if part == "[*]" else (node.get("properties") or {}).get(part)
    return node


def _reported_drift(tool: str, data: Mapping[str, Any], schema: Mapping[str, Any]) -> list[Violation]:
    """The shaper's own findings (a named field missing or retyped) as violations, in the contract's words.

    The shaper leaves a drifted field out of its answer and says what TAB sent instead; the sentence names
    what the contract expects there (or the shaper's expected type where the contract is silent).
    """
    from pytest_tabmcp.contracts.shaped import drift_entries

    found = []
    for path, expected, got in drift_entries(data):
        at = _schema_at(schema, path)
        wanted = describe(at) if at else _a(expected)
        found.append(Violation(tool, path, wanted, got if got == "missing" else _a(got)))
    return found


def _violations_of(tool: str, error: ValidationError) -> list[Violation]:
    path = list(error.absolute_path)
    # The contracts are dict schemas (never the boolean ones the stubs allow), and ``required`` holds a list.
    schema = error.schema if isinstance(error.schema, Mapping) else {}
    if error.validator == "required":
        properties = schema.get("properties", {})
        required = error.validator_value if isinstance(error.validator_value, list) else []
        return [
            Violation(tool, json_path([*path, name]), describe(properties.get(name, {})), "missing")
            for name in required
            if isinstance(error.instance, Mapping) and name not in error.instance
        ]
    got = json_type(error.instance)
    if error.validator == "pattern":
        got = f"{_a(got)} in another format"
    elif error.validator == "type":
        got = _a(got)
    elif error.validator == "minItems" and isinstance(error.instance, list):
        got = "an empty array" if not error.instance else f"an array of {len(error.instance)} item(s)"
    else:
        got = f"{_a(got)} that breaks '{error.validator}'"
    return [Violation(tool, json_path(path), describe(schema), got)]


def check_result(tool: str, data: object, schema: Schema | None = None) -> list[Violation]:
    """Every difference between ``data`` (a tool's structured content) and the tool's contract, sorted, unique.

    ``schema`` defaults to the registered contract: a shaped answer (``"detail": "summary"``, a tool's default)
    is checked against the tool's ``SHAPED_CONTRACTS`` entry plus the drift the server reported in it, and
    anything else (``detail="full"``: TAB's body) against its full-body ``CONTRACTS`` entry. A tool without
    one (``tab_get``, ``tab_post``) has none.
    """
    from pytest_tabmcp.contracts.shaped import is_shaped

    reported: list[Violation] = []
    if schema is None:
        from pytest_tabmcp.contracts import CONTRACTS, SHAPED_CONTRACTS

        shaped = is_shaped(data) and tool in SHAPED_CONTRACTS
        contracts = SHAPED_CONTRACTS if shaped else CONTRACTS
        if tool not in contracts:
            return []
        validator = _validator(tool, id(contracts[tool]), shaped)
        if shaped and isinstance(data, Mapping):
            reported = _reported_drift(tool, data, contracts[tool])
    else:
        validator = Draft202012Validator(schema)
    if data is None:
        return [Violation(tool, "$", "an object", "no structured content")]
    found = {v for error in validator.iter_errors(data) for v in _violations_of(tool, error)}
    # A field the shaper reported was left out of its answer: the report, not the gap it left, is the drift.
    seen = {v.path for v in reported}
    return sorted({v for v in found if v.path not in seen} | set(reported))
