"""Smoke-suite fixtures: identifiers discovered at run time, so the same tests run on any data, in every mode.

Nothing here (or in the tests) names a venue, runner, sport or date: offline the discovery lands on whatever
the cassettes hold, live on whatever TAB lists today. When the data has nothing to check, a test skips with
``no data: ...``; the run lists every skip, and ``--tabmcp-strict`` (make smoke, CI's live path) fails on it.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.smoke._support import MatchTarget, RaceTarget, content, discover_race, skip_no_data

MAX_CANDIDATES = 5  # discovery tries at most this many competitions


@pytest.fixture
async def race_and_meeting(call_tool: Any) -> tuple[RaceTarget, dict[str, Any]]:
    """The discovered race and its meeting as ``racing_get_meetings`` lists it."""
    return await discover_race(call_tool)


@pytest.fixture
def race_target(race_and_meeting: tuple[RaceTarget, dict[str, Any]]) -> RaceTarget:
    """The first race of the first TAB meeting (one with a venueMnemonic) on the first listed date."""
    return race_and_meeting[0]


async def _first_match(call_tool: Any, sports: list[dict[str, Any]], *, resulted: bool) -> MatchTarget | None:
    tool = "sports_get_resulted_competition" if resulted else "sports_get_open_competition"
    candidates = [(s["name"], c["name"]) for s in sports for c in s.get("competitions") or []]
    for sport_name, competition_name in candidates[:MAX_CANDIDATES]:
        competition = content(await call_tool(tool, {"sport_name": sport_name, "competition_name": competition_name}))
        assert competition["name"] == competition_name, f"{tool} answered for {competition['name']!r}"
        matches = competition.get("matches") or []
        if matches:
            return MatchTarget(sport_name, competition_name, matches[0]["name"])
    return None


@pytest.fixture
async def open_sports(call_tool: Any) -> list[dict[str, Any]]:
    """The open sports list (TAB always lists some)."""
    sports = content(await call_tool("sports_get_all_open"))["sports"]
    assert sports, "sports_get_all_open listed no sport"
    return sports


@pytest.fixture
async def open_match(call_tool: Any, open_sports: list[dict[str, Any]]) -> MatchTarget:
    """The first match of the first listed sport competition that has matches."""
    target = await _first_match(call_tool, open_sports, resulted=False)
    if target is None:
        skip_no_data(f"none of the first {MAX_CANDIDATES} open competitions lists a match")
    return target


@pytest.fixture
async def resulted_match(call_tool: Any) -> MatchTarget:
    """The first resulted match of the first resulted competition that has one."""
    sports = content(await call_tool("sports_get_all_results"))["sports"]
    assert sports, "sports_get_all_results listed no sport"
    target = await _first_match(call_tool, sports, resulted=True)
    if target is None:
        skip_no_data(f"none of the first {MAX_CANDIDATES} resulted competitions lists a match")
    return target
