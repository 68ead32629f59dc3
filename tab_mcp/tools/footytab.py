"""FootyTAB tools: tipping rounds for football codes."""

from __future__ import annotations

from typing import Annotated

from mcp.types import CallToolResult
from pydantic import BaseModel, Field

from tab_mcp.app_state import ToolContext
from tab_mcp.shaping.answer import answer_config
from tab_mcp.shaping.generic import GENERIC_SCHEMA, body_answer
from tab_mcp.tools.annotations import READ_ONLY, ToolTable
from tab_mcp.tools.arguments import AccessToken, Detail, Jurisdiction, SportName
from tab_mcp.tools.calls import info_get


class RoundsAnswer(BaseModel):
    """outputSchema: TAB's body (fitted to the budget when over it)."""

    model_config = answer_config(GENERIC_SCHEMA)


async def footytab_get_all_rounds(
    ctx: ToolContext,
    sport_name: SportName,
    detail: Detail = "summary",
    jurisdiction: Jurisdiction = None,
    access_token: AccessToken = None,
) -> Annotated[CallToolResult, RoundsAnswer]:
    """List the FootyTAB rounds of a football code (e.g. 'AFL Football', 'Rugby League').

    TAB's body; over the size budget, fitted with a note. detail='full': TAB's whole body.
    """
    return await info_get(
        ctx,
        ("sports", ("sport_name", sport_name), "footy", "rounds"),
        what=f"the FootyTAB rounds for {sport_name!r}",
        jurisdiction=jurisdiction,
        access_token=access_token,
        shape=lambda data, budget: body_answer(data, budget=budget, noun="round list"),
        detail=detail,
    )


async def footytab_get_round_details(
    ctx: ToolContext,
    sport_name: SportName,
    round_number: Annotated[int, Field(description="Round number, e.g. 1.", ge=0, le=1000)],
    series: Annotated[str | None, Field(description="Series name, for codes that run more than one.")] = None,
    detail: Detail = "summary",
    jurisdiction: Jurisdiction = None,
    access_token: AccessToken = None,
) -> Annotated[CallToolResult, RoundsAnswer]:
    """Get one FootyTAB round: its matches and tipping details.

    TAB's body; over the size budget, fitted with a note. detail='full': TAB's whole body.
    """
    return await info_get(
        ctx,
        ("sports", ("sport_name", sport_name), "footy", "rounds", ("round_number", round_number)),
        what=f"FootyTAB round {round_number} for {sport_name!r}",
        jurisdiction=jurisdiction,
        access_token=access_token,
        shape=lambda data, budget: body_answer(data, budget=budget, noun="round"),
        detail=detail,
        extra={"series": series or None},
    )


# Registration order is the order tools/list shows them in.
TOOLS: ToolTable = {
    footytab_get_all_rounds: READ_ONLY,
    footytab_get_round_details: READ_ONLY,
}
