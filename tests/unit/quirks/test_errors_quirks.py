"""Error quirks of the fixture data: TAB's exact 404 messages for an unknown race and fixedOdds on a TAB race."""

from __future__ import annotations

from typing import Any

from pytest_tabmcp.fixtures import error_text
from tests.smoke._support import RaceTarget
from tests.unit.quirks import quirk_marks

pytestmark = quirk_marks("errors")
R1 = RaceTarget("2026-09-23", "R", "WFM", "WARWICK FARM", 1)


async def test_unknown_race_reads_race_not_found(call_tool: Any) -> None:
    text = error_text(await call_tool("racing_get_race", R1.args(race_number=99), expect_error=True))
    assert "returned 404" in text and "RESOURCE_NOT_FOUND_ERROR: Race not found" in text, text


async def test_fixed_odds_on_a_tab_race_reads_fixed_odds_race_not_found(call_tool: Any) -> None:
    text = error_text(await call_tool("racing_get_race", R1.args(fixed_odds=True), expect_error=True))
    assert "RESOURCE_NOT_FOUND_ERROR: Fixed odds race not found" in text, text
