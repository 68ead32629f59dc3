"""Sports results tools: resulted sports, competitions and matches."""

from __future__ import annotations

from typing import Annotated

from mcp.types import CallToolResult
from pydantic import BaseModel

from tab_mcp.app_state import ToolContext
from tab_mcp.shaping import sports as shapes
from tab_mcp.shaping.answer import answer_config
from tab_mcp.shaping.generic import GENERIC_SCHEMA, body_answer
from tab_mcp.tools.annotations import READ_ONLY, ToolTable
from tab_mcp.tools.arguments import AccessToken, CompetitionName, Detail, Jurisdiction, MatchName, SportName
from tab_mcp.tools.calls import info_get


class ResultedSportsAnswer(BaseModel):
    """outputSchema: Sports with resulted markets."""

    model_config = answer_config(shapes.SPORTS_SCHEMA)


class ResultedSportAnswer(BaseModel):
    """outputSchema: One sport's resulted competitions."""

    model_config = answer_config(shapes.SPORT_SCHEMA)


class ResultedCompetitionAnswer(BaseModel):
    """outputSchema: A competition's resulted matches."""

    model_config = answer_config(shapes.COMPETITION_SCHEMA)


class ResultedMatchAnswer(BaseModel):
    """outputSchema: TAB's body (fitted to the budget when over it)."""

    model_config = answer_config(GENERIC_SCHEMA)


async def sports_get_all_results(
    ctx: ToolContext, detail: Detail = "summary", jurisdiction: Jurisdiction = None, access_token: AccessToken = None
) -> Annotated[CallToolResult, ResultedSportsAnswer]:
    """List every sport with resulted markets and its competitions' names. detail='full': TAB's body."""
    return await info_get(
        ctx,
        ("sports", "results"),
        what="the resulted sports",
        jurisdiction=jurisdiction,
        access_token=access_token,
        shape=lambda data, budget: shapes.sports_answer(data, budget=budget),
        detail=detail,
    )


async def sports_get_resulted_sport(
    ctx: ToolContext,
    sport_name: SportName,
    detail: Detail = "summary",
    jurisdiction: Jurisdiction = None,
    access_token: AccessToken = None,
) -> Annotated[CallToolResult, ResultedSportAnswer]:
    """Get one sport's resulted competitions. detail='full': TAB's body."""
    return await info_get(
        ctx,
        ("sports", "results", ("sport_name", sport_name)),
        what=f"the results for {sport_name!r}",
        jurisdiction=jurisdiction,
        access_token=access_token,
        shape=lambda data, budget: shapes.sport_answer(data, budget=budget),
        detail=detail,
    )


async def sports_get_resulted_competition(
    ctx: ToolContext,
    sport_name: SportName,
    competition_name: CompetitionName,
    detail: Detail = "summary",
    jurisdiction: Jurisdiction = None,
    access_token: AccessToken = None,
) -> Annotated[CallToolResult, ResultedCompetitionAnswer]:
    """Get a competition's resulted matches and dividends. detail='full': TAB's body."""
    return await info_get(
        ctx,
        ("sports", "results", ("sport_name", sport_name), "competitions", ("competition_name", competition_name)),
        what=f"the results of {competition_name!r} in {sport_name!r}",
        jurisdiction=jurisdiction,
        access_token=access_token,
        shape=lambda data, budget: shapes.competition_answer(data, budget=budget, max_matches=None),
        detail=detail,
    )


async def sports_get_resulted_match_in_competition(
    ctx: ToolContext,
    sport_name: SportName,
    competition_name: CompetitionName,
    match_name: MatchName,
    detail: Detail = "summary",
    jurisdiction: Jurisdiction = None,
    access_token: AccessToken = None,
) -> Annotated[CallToolResult, ResultedMatchAnswer]:
    """Get one resulted match with its settled markets.

    TAB's body; over the size budget, fitted with a note. detail='full': TAB's whole body.
    """
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
        shape=lambda data, budget: body_answer(data, budget=budget, noun="resulted match"),
        detail=detail,
    )


# Registration order is the order tools/list shows them in.
TOOLS: ToolTable = {
    sports_get_all_results: READ_ONLY,
    sports_get_resulted_sport: READ_ONLY,
    sports_get_resulted_competition: READ_ONLY,
    sports_get_resulted_match_in_competition: READ_ONLY,
}
