"""Error paths: a bad argument is refused before any upstream call, and an upstream 404 reads clearly."""

from __future__ import annotations

import re
from typing import Any

import pytest

from pytest_tabmcp.fixtures import error_text
from tests.smoke._support import CLEAR_UPSTREAM_ERROR, RaceTarget, discover_race

pytestmark = pytest.mark.anyio  # cassette: cassettes/errors.yaml (offline targets are fixed: WFM on 2026-09-23)


async def test_bad_race_type_lists_the_accepted_values(call_tool: Any) -> None:
    args = {"meeting_date": "2026-09-23", "race_type": "X", "venue_mnemonic": "WFM", "race_number": 1}
    result = await call_tool("racing_get_race", args, expect_error=True)
    text = error_text(result)
    assert text.startswith("Error executing tool racing_get_race")
    assert all(re.search(rf"\b{kind}\b", text) for kind in ("R", "H", "G")), text


@pytest.fixture
async def error_target(call_tool: Any, tabmcp_mode: str) -> RaceTarget:
    """Offline: the race errors.yaml holds (it has no dates or meetings); live: a meeting found at run time."""
    if tabmcp_mode != "live":
        return RaceTarget("2026-09-23", "R", "WFM", "WARWICK FARM", 1)
    return await discover_race(call_tool, tabmcp_mode)


async def test_unknown_race_is_a_clear_404(call_tool: Any, error_target: RaceTarget, tabmcp_mode: str) -> None:
    result = await call_tool("racing_get_race", error_target.args(race_number=99), expect_error=True)
    text = error_text(result)
    assert CLEAR_UPSTREAM_ERROR.search(text), text
    if tabmcp_mode == "offline":
        assert "returned 404" in text and "RESOURCE_NOT_FOUND_ERROR" in text and "Race not found" in text


async def test_fixed_odds_on_a_tab_race_is_a_clear_404(call_tool: Any, error_target: RaceTarget) -> None:
    # tabcorp-api.md quirk 2: fixedOdds=true on a TAB (not fixed-odds-only) race is a 404, "verified live".
    result = await call_tool("racing_get_race", error_target.args(fixed_odds=True), expect_error=True)
    text = error_text(result)
    assert CLEAR_UPSTREAM_ERROR.search(text) and "RESOURCE_NOT_FOUND_ERROR" in text, text
