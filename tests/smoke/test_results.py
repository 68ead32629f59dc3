"""Results: all resulted sports, a resulted sport, competition and match (discovered at run time)."""

from __future__ import annotations

from typing import Any

import pytest

from tests.smoke._support import MatchTarget, content

pytestmark = pytest.mark.anyio  # cassette: cassettes/results.yaml


async def test_all_results(call_tool: Any, tabmcp_mode: str) -> None:
    sports = content(await call_tool("sports_get_all_results"))["sports"]
    assert all(sport["name"] for sport in sports)
    if tabmcp_mode == "offline":
        assert [sport["name"] for sport in sports][:1] == ["AFL Football"]


async def test_resulted_sport_competition_and_match(
    call_tool: Any, resulted_match: MatchTarget, tabmcp_mode: str
) -> None:
    sport = content(await call_tool("sports_get_resulted_sport", {"sport_name": resulted_match.sport_name}))
    assert sport["name"] == resulted_match.sport_name
    match = content(
        await call_tool(
            "sports_get_resulted_match_in_competition",
            {
                "sport_name": resulted_match.sport_name,
                "competition_name": resulted_match.competition_name,
                "match_name": resulted_match.match_name,
            },
        )
    )
    assert match["name"] == resulted_match.match_name
    if tabmcp_mode == "offline":
        assert match["name"] == "Wst Bulldogs v Adelaide"
        assert "resultedTime" in match
