"""Results quirks of the fixture data: the resulted AFL match, and a doubles match whose name holds "/"."""

from __future__ import annotations

from typing import Any

from tests.smoke._support import content
from tests.unit.quirks import quirk_marks

pytestmark = quirk_marks("results")


async def test_all_results_start_with_afl(call_tool: Any) -> None:
    sports = content(await call_tool("sports_get_all_results"))["sports"]
    assert [sport["name"] for sport in sports][:1] == ["AFL Football"]


async def test_resulted_match_has_its_resulted_time(call_tool: Any) -> None:
    args = {"sport_name": "AFL Football", "competition_name": "AFL", "match_name": "Wst Bulldogs v Adelaide"}
    match = content(await call_tool("sports_get_resulted_match_in_competition", args))
    assert match["name"] == "Wst Bulldogs v Adelaide" and "resultedTime" in match


async def test_a_slash_in_a_match_name_stays_one_segment(call_tool: Any) -> None:
    args = {"sport_name": "Tennis", "competition_name": "ATP", "match_name": "Ebden/Purcell v Granollers/Zeballos"}
    match = content(await call_tool("sports_get_resulted_match_in_competition", args))
    assert match["name"] == "Ebden/Purcell v Granollers/Zeballos"
