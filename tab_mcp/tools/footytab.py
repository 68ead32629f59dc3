"""FootyTAB tools: tipping rounds for football codes."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

from tab_mcp.app_state import ToolContext
from tab_mcp.tools.annotations import READ_ONLY, ToolTable
from tab_mcp.tools.arguments import AccessToken, Jurisdiction, SportName
from tab_mcp.tools.calls import ToolResult, info_get


async def footytab_get_all_rounds(
    ctx: ToolContext, sport_name: SportName, jurisdiction: Jurisdiction = None, access_token: AccessToken = None
) -> ToolResult:
    """List the FootyTAB rounds of a football code (e.g. 'AFL Football', 'Rugby League')."""
    return await info_get(
        ctx,
        ("sports", ("sport_name", sport_name), "footy", "rounds"),
        what=f"the FootyTAB rounds for {sport_name!r}",
        jurisdiction=jurisdiction,
        access_token=access_token,
    )


async def footytab_get_round_details(
    ctx: ToolContext,
    sport_name: SportName,
    round_number: Annotated[int, Field(description="Round number, e.g. 1.", ge=0, le=1000)],
    series: Annotated[str | None, Field(description="Series name, for codes that run more than one.")] = None,
    jurisdiction: Jurisdiction = None,
    access_token: AccessToken = None,
) -> ToolResult:
    """Get one FootyTAB round: its matches and tipping details."""
    return await info_get(
        ctx,
        ("sports", ("sport_name", sport_name), "footy", "rounds", ("round_number", round_number)),
        what=f"FootyTAB round {round_number} for {sport_name!r}",
        jurisdiction=jurisdiction,
        access_token=access_token,
        extra={"series": series or None},
    )


# Registration order is the order tools/list shows them in.
TOOLS: ToolTable = {
    footytab_get_all_rounds: READ_ONLY,
    footytab_get_round_details: READ_ONLY,
}
