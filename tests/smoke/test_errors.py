"""Error paths: a bad argument is refused before any upstream call, and TAB's 404s read clearly.

Each error is one the domain makes certain, on a discovered race: race number 99 does not exist, and
``fixedOdds=true`` on a TAB race is a 404 (tabcorp-api.md quirk 2, verified live). The test asserts TAB's status
and error code, so a stand-in miss (599 STANDIN_NO_CASSETTE) or a renamed path can never pass for them.
"""

from __future__ import annotations

import re
from typing import Any

import pytest

from pytest_tabmcp.fixtures import error_text
from tests.smoke._support import RaceTarget, assert_upstream_error

pytestmark = pytest.mark.anyio  # cassette: cassettes/errors.yaml (it holds the dates and meetings too)


async def test_bad_race_type_lists_the_accepted_values(call_tool: Any, race_target: RaceTarget) -> None:
    result = await call_tool("racing_get_race", race_target.args(race_type="X"), expect_error=True)
    text = error_text(result)
    assert text.startswith("Error executing tool racing_get_race")
    assert all(re.search(rf"\b{kind}\b", text) for kind in ("R", "H", "G")), text


async def test_unknown_race_is_a_clear_404(call_tool: Any, race_target: RaceTarget) -> None:
    result = await call_tool("racing_get_race", race_target.args(race_number=99), expect_error=True)
    assert_upstream_error(result, 404, "RESOURCE_NOT_FOUND_ERROR")


async def test_fixed_odds_on_a_tab_race_is_a_clear_404(call_tool: Any, race_target: RaceTarget) -> None:
    result = await call_tool("racing_get_race", race_target.args(fixed_odds=True), expect_error=True)
    assert_upstream_error(result, 404, "RESOURCE_NOT_FOUND_ERROR")
