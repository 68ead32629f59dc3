"""Sports results tools: resulted sports, competitions and matches."""

from __future__ import annotations

from tab_mcp.app_state import ToolContext
from tab_mcp.tools.annotations import READ_ONLY, ToolTable
from tab_mcp.tools.arguments import AccessToken, CompetitionName, Jurisdiction, MatchName, SportName
from tab_mcp.tools.calls import ToolResult, info_get


async def sports_get_all_results(
    ctx: ToolContext, jurisdiction: Jurisdiction = None, access_token: AccessToken = None
) -> ToolResult:
    """List every sport with resulted markets ({"sports": [...]})."""
    return await info_get(
        ctx, ("sports", "results"), what="the resulted sports", jurisdiction=jurisdiction, access_token=access_token
    )


async def sports_get_resulted_sport(
    ctx: ToolContext, sport_name: SportName, jurisdiction: Jurisdiction = None, access_token: AccessToken = None
) -> ToolResult:
    """Get one sport's resulted competitions."""
    return await info_get(
        ctx,
        ("sports", "results", ("sport_name", sport_name)),
        what=f"the results for {sport_name!r}",
        jurisdiction=jurisdiction,
        access_token=access_token,
    )


async def sports_get_resulted_competition(
    ctx: ToolContext,
    sport_name: SportName,
    competition_name: CompetitionName,
    jurisdiction: Jurisdiction = None,
    access_token: AccessToken = None,
) -> ToolResult:
    """Get a competition's resulted matches and dividends."""
    return await info_get(
        ctx,
        ("sports", "results", ("sport_name", sport_name), "competitions", ("competition_name", competition_name)),
        what=f"the results of {competition_name!r} in {sport_name!r}",
        jurisdiction=jurisdiction,
        access_token=access_token,
    )


async def sports_get_resulted_match_in_competition(
    ctx: ToolContext,
    sport_name: SportName,
    competition_name: CompetitionName,
    match_name: MatchName,
    jurisdiction: Jurisdiction = None,
    access_token: AccessToken = None,
) -> ToolResult:
    """Get one resulted match with its settled markets."""
    return await info_get(
        ctx,
        (
            "sports",
            "results",
            ("sport_name", sport_name),
            "competitions",
            ("competition_name", competition_name),
            "matches",
            ("match_name", match_name),
        ),
        what=f"the result of {match_name!r} in {competition_name!r}",
        jurisdiction=jurisdiction,
        access_token=access_token,
    )


# Registration order is the order tools/list shows them in.
TOOLS: ToolTable = {
    sports_get_all_results: READ_ONLY,
    sports_get_resulted_sport: READ_ONLY,
    sports_get_resulted_competition: READ_ONLY,
    sports_get_resulted_match_in_competition: READ_ONLY,
}
