"""Sports tools: open sports, competitions, tournaments, matches and next-to-go."""

from __future__ import annotations

from typing import Annotated

from mcp.types import CallToolResult
from pydantic import BaseModel, Field

from tab_mcp.app_state import ToolContext
from tab_mcp.shaping import sports as shapes
from tab_mcp.shaping.answer import answer_config
from tab_mcp.tools.annotations import READ_ONLY, ToolTable
from tab_mcp.tools.arguments import (
    AccessToken,
    CompetitionName,
    Detail,
    Jurisdiction,
    MatchName,
    SportName,
    TournamentName,
)
from tab_mcp.tools.calls import flag, info_get


class SportsAnswer(BaseModel):
    """outputSchema: Sports and their competitions."""

    model_config = answer_config(shapes.SPORTS_SCHEMA)


class SportAnswer(BaseModel):
    """outputSchema: One sport and its competitions."""

    model_config = answer_config(shapes.SPORT_SCHEMA)


class CompetitionAnswer(BaseModel):
    """outputSchema: Matches and their top markets."""

    model_config = answer_config(shapes.COMPETITION_SCHEMA)


class MatchAnswer(BaseModel):
    """outputSchema: One match's markets and prices."""

    model_config = answer_config(shapes.MATCH_SCHEMA)


class NextMatchesAnswer(BaseModel):
    """outputSchema: The next matches to start."""

    model_config = answer_config(shapes.NEXT_MATCHES_SCHEMA)


MaxMatches = Annotated[int | None, Field(description="Most matches to list.", ge=1, le=500)]
Market = Annotated[
    str | None, Field(description="Only markets whose name or bet option contains this, e.g. 'Head To Head'.")
]


async def sports_get_all_open(
    ctx: ToolContext, detail: Detail = "summary", jurisdiction: Jurisdiction = None, access_token: AccessToken = None
) -> Annotated[CallToolResult, SportsAnswer]:
    """List every sport with open markets and its competitions' and tournaments' names.

    Use the names exactly as listed (e.g. 'AFL Football') in the other sports tools. detail='full': TAB's
    whole body.
    """
    return await info_get(
        ctx,
        ("sports",),
        what="the open sports",
        jurisdiction=jurisdiction,
        access_token=access_token,
        shape=lambda data, budget: shapes.sports_answer(data, budget=budget),
        detail=detail,
    )


async def sports_get_open_sport(
    ctx: ToolContext,
    sport_name: SportName,
    detail: Detail = "summary",
    jurisdiction: Jurisdiction = None,
    access_token: AccessToken = None,
) -> Annotated[CallToolResult, SportAnswer]:
    """Get one sport with its open competitions and tournaments (names, ids). detail='full': TAB's body."""
    return await info_get(
        ctx,
        ("sports", ("sport_name", sport_name)),
        what=f"the sport {sport_name!r}",
        jurisdiction=jurisdiction,
        access_token=access_token,
        shape=lambda data, budget: shapes.sport_answer(data, budget=budget),
        detail=detail,
    )


async def sports_get_open_competition(
    ctx: ToolContext,
    sport_name: SportName,
    competition_name: CompetitionName,
    max_matches: MaxMatches = None,
    detail: Detail = "summary",
    jurisdiction: Jurisdiction = None,
    access_token: AccessToken = None,
) -> Annotated[CallToolResult, CompetitionAnswer]:
    """Get a competition's open matches with their top markets and prices.

    Tennis and golf competitions return matches: [] and list tournaments instead; then call
    sports_get_open_tournament. Narrow with max_matches; detail='full': TAB's whole body.
    """
    return await info_get(
        ctx,
        ("sports", ("sport_name", sport_name), "competitions", ("competition_name", competition_name)),
        what=f"the competition {competition_name!r} in {sport_name!r}",
        jurisdiction=jurisdiction,
        access_token=access_token,
        shape=lambda data, budget: shapes.competition_answer(data, budget=budget, max_matches=max_matches),
        detail=detail,
    )


async def sports_get_open_tournament(
    ctx: ToolContext,
    sport_name: SportName,
    competition_name: CompetitionName,
    tournament_name: TournamentName,
    max_matches: MaxMatches = None,
    detail: Detail = "summary",
    jurisdiction: Jurisdiction = None,
    access_token: AccessToken = None,
) -> Annotated[CallToolResult, CompetitionAnswer]:
    """Get a tournament's open matches (e.g. an ATP event in Tennis) with their top markets.

    Narrow with max_matches; detail='full': TAB's whole body.
    """
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
        shape=lambda data, budget: shapes.competition_answer(data, budget=budget, max_matches=max_matches),
        detail=detail,
    )


async def sports_get_open_match_in_competition(
    ctx: ToolContext,
    sport_name: SportName,
    competition_name: CompetitionName,
    match_name: MatchName,
    market: Market = None,
    detail: Detail = "summary",
    jurisdiction: Jurisdiction = None,
    access_token: AccessToken = None,
) -> Annotated[CallToolResult, MatchAnswer]:
    """Get one match of a competition with its open markets: each proposition's name and prices.

    Narrow with market; detail='full' returns TAB's whole body (market flags, links).
    """
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
        shape=lambda data, budget: shapes.match_answer(data, budget=budget, market=market),
        detail=detail,
    )


async def sports_get_open_match_in_tournament(
    ctx: ToolContext,
    sport_name: SportName,
    competition_name: CompetitionName,
    tournament_name: TournamentName,
    match_name: MatchName,
    market: Market = None,
    detail: Detail = "summary",
    jurisdiction: Jurisdiction = None,
    access_token: AccessToken = None,
) -> Annotated[CallToolResult, MatchAnswer]:
    """Get one match of a tournament with its open markets: each proposition's name and prices.

    Narrow with market; detail='full' returns TAB's whole body (market flags, links).
    """
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
        shape=lambda data, budget: shapes.match_answer(data, budget=budget, market=market),
        detail=detail,
    )


async def sports_get_next_to_go(
    ctx: ToolContext,
    limit: Annotated[int | None, Field(description="Most matches to return, e.g. 20.", ge=1, le=200)] = None,
    live_betting_only: Annotated[bool, Field(description="Only matches open for live (in-play) betting.")] = False,
    futures_only: Annotated[bool, Field(description="Only futures markets.")] = False,
    open_only: Annotated[bool, Field(description="Only matches with open markets.")] = False,
    sport: Annotated[str | None, Field(description="Only matches whose sportName contains this.")] = None,
    detail: Detail = "summary",
    jurisdiction: Jurisdiction = None,
    access_token: AccessToken = None,
) -> Annotated[CallToolResult, NextMatchesAnswer]:
    """List the next sports matches to start, soonest first: name, sport, competition, start time, in play.

    Markets are left out: call sports_get_open_match_in_competition for a match's prices. detail='full'
    returns TAB's whole body.
    """
    return await info_get(
        ctx,
        ("sports", "nextToGo"),
        what="the next-to-go matches",
        jurisdiction=jurisdiction,
        access_token=access_token,
        shape=lambda data, budget: shapes.next_matches_answer(data, budget=budget, sport=sport),
        detail=detail,
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
