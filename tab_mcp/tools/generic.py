"""Generic tools: GET any info-service path, and POST (betting; off unless the operator enables it)."""

from __future__ import annotations

import re
from typing import Annotated, Any

from pydantic import Field

from tab_mcp.app_state import ToolContext, call_scope
from tab_mcp.errors import InputError, PolicyError
from tab_mcp.paths import INFO_PREFIX, normalise_info_path
from tab_mcp.tools.annotations import BETTING, READ_ONLY, ToolTable
from tab_mcp.tools.arguments import AccessToken, Jurisdiction
from tab_mcp.tools.calls import ToolResult, tool_result

POST_PREFIX = "/v1/"
MAX_PARAMS = 30
_PARAM_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9_.-]{0,63}$")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def _query(path_query: list[tuple[str, str]], params: dict[str, Any] | None) -> list[tuple[str, str]]:
    merged: dict[str, str] = dict(path_query)
    for key, value in (params or {}).items():
        if value is None:
            continue
        if isinstance(value, bool):
            value = "true" if value else "false"
        if not isinstance(value, (str, int, float)):
            raise InputError(f"params[{key!r}] must be a string, number or boolean, not {type(value).__name__}.")
        merged[key] = str(value)
    if len(merged) > MAX_PARAMS:
        raise InputError(f"Too many query parameters ({len(merged)}); the limit is {MAX_PARAMS}.")
    for key, value in merged.items():
        if not _PARAM_NAME.match(key):
            raise InputError(f"Query parameter name {key!r} is not valid: use letters, digits, '_', '.' or '-'.")
        if _CONTROL.search(value) or len(value) > 500:
            raise InputError(f"Query parameter {key!r} has control characters or is over 500 characters long.")
    return list(merged.items())


async def tab_get(
    ctx: ToolContext,
    path: Annotated[
        str,
        Field(
            description=f"Path under {INFO_PREFIX}, e.g. '{INFO_PREFIX}racing/dates'. A path from a _links "
            "URL may keep its query string; scheme and host are not accepted.",
            min_length=1,
        ),
    ],
    params: Annotated[
        dict[str, str | int | float | bool] | None,
        Field(description="Extra query parameters, e.g. {'maxRaces': 5}; jurisdiction is added if absent."),
    ] = None,
    jurisdiction: Jurisdiction = None,
    access_token: AccessToken = None,
) -> ToolResult:
    """GET any TAB info-service resource the other tools do not cover (pool results, big bets, markets...).

    Follow a _links URL by passing its path and query, e.g. '/v1/tab-info-service/sports/AFL%20Football'.
    """
    scope = call_scope(ctx)
    clean_path, path_query = normalise_info_path(path)
    query = _query(path_query, params)
    if not any(k == "jurisdiction" for k, _ in query):
        query.insert(0, ("jurisdiction", scope.jurisdiction(jurisdiction)))
    return tool_result(await scope.get(clean_path, query, access_token=access_token, what=f"GET {clean_path}"))


async def tab_post(
    ctx: ToolContext,
    path: Annotated[str, Field(description="API path under /v1/, e.g. a betting endpoint.", min_length=1)],
    body: Annotated[dict[str, Any] | None, Field(description="JSON request body.")] = None,
    access_token: AccessToken = None,
) -> ToolResult:
    """POST to a TAB API path. It can place real bets with real money, so it is off by default.

    Refused unless the operator set TAB_ENABLE_BETTING=true. Never retried automatically.
    """
    scope = call_scope(ctx)
    if not scope.state.settings.enable_betting:
        raise PolicyError(
            "tab_post is disabled because it can place real bets; the operator must set TAB_ENABLE_BETTING=true "
            "to allow it."
        )
    clean_path, path_query = normalise_info_path(path, prefix=POST_PREFIX)
    if path_query:
        raise InputError("tab_post takes no query string in path; put the data in body.")
    return tool_result(await scope.post(clean_path, body or {}, access_token=access_token, what=f"POST {clean_path}"))


# Registration order is the order tools/list shows them in.
TOOLS: ToolTable = {
    tab_get: READ_ONLY,
    tab_post: BETTING,
}
