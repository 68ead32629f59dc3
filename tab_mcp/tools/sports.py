"""Sports tools: open sports, competitions, tournaments, matches and next-to-go."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

from tab_mcp.app_state import ToolContext
from tab_mcp.tools.annotations import READ_ONLY, ToolTable
from tab_mcp.tools.arguments import AccessToken, CompetitionName, Jurisdiction, MatchName, SportName, TournamentName
from tab_mcp.tools.calls import ToolResult, flag, info_get


async def sports_get_all_open(
    ctx: ToolContext, jurisdiction: Jurisdiction = None, access_token: AccessToken = None
) -> ToolResult:
    """List every sport with open or suspended markets ({"sports": [...]}) and its competitions.

    Use the names exactly as listed (e.g. 'AFL Football') in the other sports tools.
    """
    return await info_get(
        ctx, ("sports",), what="the open sports", jurisdiction=jurisdiction, access_token=access_token
    )


async def sports_get_open_sport(
    ctx: ToolContext, sport_name: SportName, jurisdiction: Jurisdiction = None, access_token: AccessToken = None
) -> ToolResult:
    """Get one sport with its open competitions and tournaments."""
    return await info_get(
        ctx,
        ("sports", ("sport_name", sport_name)),
        what=f"the sport {sport_name!r}",
        jurisdiction=jurisdiction,
        access_token=access_token,
    )


async def sports_get_open_competition(
    ctx: ToolContext,
    sport_name: SportName,
    competition_name: CompetitionName,
    jurisdiction: Jurisdiction = None,
    access_token: AccessToken = None,
) -> ToolResult:
    """Get a competition's open matches with their top markets and prices.

    Tennis and golf competitions return matches: [] and list tournaments instead; then call
    sports_get_open_tournament.
    """
    return await info_get(
        ctx,
        ("sports", ("sport_name", sport_name), "competitions", ("competition_name", competition_name)),
        what=f"the competition {competition_name!r} in {sport_name!r}",
        jurisdiction=jurisdiction,
        access_token=access_token,
    )


async def sports_get_open_tournament(
    ctx: ToolContext,
    sport_name: SportName,
    competition_name: CompetitionName,
    tournament_name: TournamentName,
    jurisdiction: Jurisdiction = None,
    access_token: AccessToken = None,
) -> ToolResult:
    """Get a tournament's open matches (e.g. an ATP event in Tennis) with their top markets."""
    return await info_get(
        ctx,
        (
            "sports",
            ("sport_name", sport_name),
            "competitions",
            ("competition_name", competition_name),
            "tournaments",
            ("tournament_name", tournament_name),
        ),
        what=f"the tournament {tournament_name!r} in {competition_name!r}",
        jurisdiction=jurisdiction,
        access_token=access_token,
    )


async def sports_get_open_match_in_competition(
    ctx: ToolContext,
    sport_name: SportName,
    competition_name: CompetitionName,
    match_name: MatchName,
    jurisdiction: Jurisdiction = None,
    access_token: AccessToken = None,
) -> ToolResult:
    """Get one match of a competition with all its open markets and propositions (prices)."""
    return await info_get(
        ctx,
        (
            "sports",
            ("sport_name", sport_name),
            "competitions",
            ("competition_name", competition_name),
            "matches",
            ("match_name", match_name),
        ),
        what=f"the match {match_name!r} in {competition_name!r}",
        jurisdiction=jurisdiction,
        access_token=access_token,
    )


async def sports_get_open_match_in_tournament(
    ctx: ToolContext,
    sport_name: SportName,
    competition_name: CompetitionName,
    tournament_name: TournamentName,
    match_name: MatchName,
    jurisdiction: Jurisdiction = None,
    access_token: AccessToken = None,
) -> ToolResult:
    """Get one match of a tournament with all its open markets and propositions (prices)."""
    return await info_get(
        ctx,
        (
            "sports",
            ("sport_name", sport_name),
            "competitions",
            ("competition_name", competition_name),
            "tournaments",
            ("tournament_name", tournament_name),
            "matches",
            ("match_name", match_name),
        ),
        what=f"the match {match_name!r} in {tournament_name!r}",
        jurisdiction=jurisdiction,
        access_token=access_token,
    )


async def sports_get_next_to_go(
    ctx: ToolContext,
    limit: Annotated[int | None, Field(description="Most matches to return, e.g. 20.", ge=1, le=200)] = None,
    live_betting_only: Annotated[bool, Field(description="Only matches open for live (in-play) betting.")] = False,
    futures_only: Annotated[bool, Field(description="Only futures markets.")] = False,
    open_only: Annotated[bool, Field(description="Only matches with open markets.")] = False,
    jurisdiction: Jurisdiction = None,
    access_token: AccessToken = None,
) -> ToolResult:
    """List the next sports matches to start, soonest first ({"matches": [...]})."""
    return await info_get(
        ctx,
        ("sports", "nextToGo"),
        what="the next-to-go matches",
        jurisdiction=jurisdiction,
        access_token=access_token,
        extra={
            "limit": limit,
            "liveBettingOnly": flag(live_betting_only),
            "futuresOnly": flag(futures_only),
            "openOnly": flag(open_only),
        },
    )


# Registration order is the order tools/list shows them in.
TOOLS: ToolTable = {
    sports_get_all_open: READ_ONLY,
    sports_get_open_sport: READ_ONLY,
    sports_get_open_competition: READ_ONLY,
    sports_get_open_tournament: READ_ONLY,
    sports_get_open_match_in_competition: READ_ONLY,
    sports_get_open_match_in_tournament: READ_ONLY,
    sports_get_next_to_go: READ_ONLY,
}
