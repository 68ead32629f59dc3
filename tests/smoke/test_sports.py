"""Sports: the open list, a sport, a competition, a match, a tournament match, and next-to-go.

Identifiers come from the sports list (``open_match``); offline that is AFL Football / AFL /
Wst Bulldogs v Adelaide in the cassette.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.smoke._support import MatchTarget, content

pytestmark = pytest.mark.anyio  # cassette: cassettes/sports.yaml


async def test_all_open_sports(call_tool: Any, tabmcp_mode: str) -> None:
    sports = content(await call_tool("sports_get_all_open"))["sports"]
    assert sports and all(sport["name"] for sport in sports)
    if tabmcp_mode == "offline":
        assert {"AFL Football", "Soccer", "Tennis"} <= {sport["name"] for sport in sports}


async def test_open_sport_and_competition(call_tool: Any, open_match: MatchTarget, tabmcp_mode: str) -> None:
    sport = content(await call_tool("sports_get_open_sport", {"sport_name": open_match.sport_name}))
    assert sport["name"] == open_match.sport_name
    assert open_match.competition_name in {c["name"] for c in sport.get("competitions", [])}
    if tabmcp_mode == "offline":
        assert (open_match.sport_name, open_match.competition_name) == ("AFL Football", "AFL")


async def test_open_match(call_tool: Any, open_match: MatchTarget, tabmcp_mode: str) -> None:
    args = {
        "sport_name": open_match.sport_name,
        "competition_name": open_match.competition_name,
        "match_name": open_match.match_name,
    }
    match = content(await call_tool("sports_get_open_match_in_competition", args))
    assert match["name"] == open_match.match_name
    assert all("propositions" in market for market in match.get("markets", []))
    if tabmcp_mode == "offline":
        assert [c["name"] for c in match["contestants"]] == ["Wst Bulldogs", "Adelaide"]


@pytest.mark.offline_only
async def test_tournament_and_its_match(call_tool: Any) -> None:
    # Tennis is tournament-structured: the competition lists tournaments, and matches hang off them.
    names = {"sport_name": "Tennis", "competition_name": "ATP", "tournament_name": "ATP Munich"}
    tournament = content(await call_tool("sports_get_open_tournament", names))
    assert tournament["name"] == "ATP Munich"
    match = content(
        await call_tool("sports_get_open_match_in_tournament", {**names, "match_name": "Kecmanovic v Basilashvili"})
    )
    assert match["name"] == "Kecmanovic v Basilashvili"


async def test_sports_next_to_go(call_tool: Any, tabmcp_mode: str) -> None:
    matches = content(await call_tool("sports_get_next_to_go", {"limit": 5}))["matches"]
    assert len(matches) <= 5
    assert all(match["name"] and match["startTime"] for match in matches)
    if tabmcp_mode == "offline":
        assert matches[0]["name"] == "Brighton & Hove v Chelsea"
