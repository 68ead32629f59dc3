"""Sports quirks of the fixture data: the three sports, a tournament-structured competition, "&" in a name."""

from __future__ import annotations

from typing import Any

from tests.smoke._support import content
from tests.unit.quirks import quirk_marks

pytestmark = quirk_marks("sports")


async def test_the_open_sports(call_tool: Any) -> None:
    sports = content(await call_tool("sports_get_all_open"))["sports"]
    assert {"AFL Football", "Soccer", "Tennis"} <= {sport["name"] for sport in sports}


async def test_open_match_contestants(call_tool: Any) -> None:
    args = {"sport_name": "AFL Football", "competition_name": "AFL", "match_name": "Wst Bulldogs v Adelaide"}
    match = content(await call_tool("sports_get_open_match_in_competition", args))
    assert [c["name"] for c in match["contestants"]] == ["Wst Bulldogs", "Adelaide"]


async def test_tournament_and_its_match(call_tool: Any) -> None:
    names = {"sport_name": "Tennis", "competition_name": "ATP", "tournament_name": "ATP Munich"}
    competition = content(await call_tool("sports_get_open_competition", {k: names[k] for k in list(names)[:2]}))
    assert competition["matches"] == [] and competition["tournaments"][0]["name"] == "ATP Munich"
    tournament = content(await call_tool("sports_get_open_tournament", names))
    assert tournament["name"] == "ATP Munich"
    match = content(
        await call_tool("sports_get_open_match_in_tournament", {**names, "match_name": "Kecmanovic v Basilashvili"})
    )
    assert match["name"] == "Kecmanovic v Basilashvili"


async def test_next_to_go_starts_with_an_ampersand_name(call_tool: Any) -> None:
    matches = content(await call_tool("sports_get_next_to_go", {"limit": 5}))["matches"]
    assert matches[0]["name"] == "Brighton & Hove v Chelsea"
