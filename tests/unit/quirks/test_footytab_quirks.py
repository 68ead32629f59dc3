"""FootyTAB quirks of the fixture data: rounds 26 and 27, round 27's games, and its series filter."""

from __future__ import annotations

from typing import Any

from tests.smoke._support import content
from tests.unit.quirks import quirk_marks

pytestmark = quirk_marks("footytab")
AFL = {"sport_name": "AFL Football"}


async def test_rounds_and_round_details(call_tool: Any) -> None:
    rounds = content(await call_tool("footytab_get_all_rounds", AFL))["rounds"]
    assert [r["roundNumber"] for r in rounds] == [26, 27]
    details = content(await call_tool("footytab_get_round_details", {**AFL, "round_number": 27}))
    assert details["roundNumber"] == 27 and details["games"] and len(details["series"]) == 2
    series = content(await call_tool("footytab_get_round_details", {**AFL, "round_number": 27, "series": "1"}))
    assert series["roundNumber"] == 27 and [s["seriesNumber"] for s in series["series"]] == [1]
