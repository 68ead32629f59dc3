"""FootyTAB tools: tipping rounds for football codes."""

from __future__ import annotations

from typing import Annotated

from mcp.server.mcpserver import Context, MCPServer
from pydantic import Field

from tab_mcp.tools._common import READ_ONLY, AccessToken, Jurisdiction, SportName, ToolResult, info_get


def register(mcp: MCPServer) -> None:
    """Register the FootyTAB tools on ``mcp``."""

    @mcp.tool(annotations=READ_ONLY)
    async def footytab_get_all_rounds(
        ctx: Context, sport_name: SportName, jurisdiction: Jurisdiction = None, access_token: AccessToken = None
    ) -> ToolResult:
        """List the FootyTAB rounds of a football code (e.g. 'AFL Football', 'Rugby League')."""
        return await info_get(
            ctx,
            ("sports", ("sport_name", sport_name), "footy", "rounds"),
            what=f"the FootyTAB rounds for {sport_name!r}",
            jurisdiction=jurisdiction,
            access_token=access_token,
        )

    @mcp.tool(annotations=READ_ONLY)
    async def footytab_get_round_details(
        ctx: Context,
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
