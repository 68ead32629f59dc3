"""Sports results tools: resulted sports, competitions and matches."""

from __future__ import annotations

from mcp.server.mcpserver import Context, MCPServer

from tab_mcp.tools._common import (
    READ_ONLY,
    AccessToken,
    CompetitionName,
    Jurisdiction,
    MatchName,
    SportName,
    ToolResult,
    info_get,
)


def register(mcp: MCPServer) -> None:
    """Register the sports results tools on ``mcp``."""

    @mcp.tool(annotations=READ_ONLY)
    async def sports_get_all_results(
        ctx: Context, jurisdiction: Jurisdiction = None, access_token: AccessToken = None
    ) -> ToolResult:
        """List every sport with resulted markets ({"sports": [...]})."""
        return await info_get(
            ctx, ("sports", "results"), what="the resulted sports", jurisdiction=jurisdiction, access_token=access_token
        )

    @mcp.tool(annotations=READ_ONLY)
    async def sports_get_resulted_sport(
        ctx: Context, sport_name: SportName, jurisdiction: Jurisdiction = None, access_token: AccessToken = None
    ) -> ToolResult:
        """Get one sport's resulted competitions."""
        return await info_get(
            ctx,
            ("sports", "results", ("sport_name", sport_name)),
            what=f"the results for {sport_name!r}",
            jurisdiction=jurisdiction,
            access_token=access_token,
        )

    @mcp.tool(annotations=READ_ONLY)
    async def sports_get_resulted_competition(
        ctx: Context,
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

    @mcp.tool(annotations=READ_ONLY)
    async def sports_get_resulted_match_in_competition(
        ctx: Context,
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
