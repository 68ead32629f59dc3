"""Response contracts: per tool, the fields its callers rely on, as JSON Schema (pytest-free).

``SHAPED_CONTRACTS`` (:mod:`pytest_tabmcp.contracts.shaped`) holds the contracts of the tools' default,
shaped answers (``"detail": "summary"``); ``check_result`` picks it for such an answer and ``CONTRACTS`` for TAB's
body (``detail="full"``).

``CONTRACTS`` maps each of the 26 typed tools (every tool except ``tab_get`` and ``tab_post``, whose shape is
whatever the path returns) to a JSON Schema built from :mod:`pytest_tabmcp.contracts.shapes`;
:func:`check_result` returns the differences of one result as :class:`Violation` objects.

The contracts live on the test side, not in the tools' MCP ``outputSchema``: the SDK client validates a
result against a published ``outputSchema`` and *raises* on a mismatch (see the README, "Response
contracts"), so one drifted upstream field would fail every user's call instead of one monitor check.
"""

from __future__ import annotations

from pytest_tabmcp.contracts import oauth, racing, sports
from pytest_tabmcp.contracts.check import Violation, check_result, describe, json_path, json_type
from pytest_tabmcp.contracts.shaped import SHAPED_CONTRACTS, is_shaped
from pytest_tabmcp.contracts.shapes import Schema

CONTRACTS: dict[str, Schema] = {
    **oauth.CONTRACTS,
    **racing.CONTRACTS,
    **sports.SPORTS_CONTRACTS,
    **sports.RESULTS_CONTRACTS,
    **sports.FOOTYTAB_CONTRACTS,
}
#: Tools whose result is the raw body of any path, so no contract can describe it.
UNCONTRACTED_TOOLS = frozenset({"tab_get", "tab_post"})

__all__ = [
    "CONTRACTS",
    "SHAPED_CONTRACTS",
    "UNCONTRACTED_TOOLS",
    "Schema",
    "Violation",
    "check_result",
    "describe",
    "is_shaped",
    "json_path",
    "json_type",
]
