"""Smoke-suite fixtures: identifiers discovered at run time, so the same tests run offline and live.

Offline the discovery lands on the cassettes' fixed data (2026-09-23, WARWICK FARM R1, AFL Football / AFL /
Wst Bulldogs v Adelaide), which the tests then check for meaning. Live, data changes every day, so the
tests check structure and invariants on whatever the dates, meetings and sports tools return.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.smoke._support import MatchTarget, RaceTarget, content, discover_race, skip_live_only

MAX_CANDIDATES = 5  # live discovery tries at most this many competitions


@pytest.fixture
async def race_target(call_tool: Any, tabmcp_mode: str) -> RaceTarget:
    """The first race of the first TAB meeting (one with a venueMnemonic) on the first listed date."""
    return await discover_race(call_tool, tabmcp_mode)


async def _first_match(call_tool: Any, sports: list[dict[str, Any]], *, resulted: bool) -> MatchTarget | None:
    tool = "sports_get_resulted_competition" if resulted else "sports_get_open_competition"
    candidates = [(s["name"], c["name"]) for s in sports for c in s.get("competitions") or []]
    for sport_name, competition_name in candidates[:MAX_CANDIDATES]:
        competition = content(await call_tool(tool, {"sport_name": sport_name, "competition_name": competition_name}))
        matches = competition.get("matches") or []
        if matches:
            return MatchTarget(sport_name, competition_name, matches[0]["name"])
    return None


@pytest.fixture
async def open_match(call_tool: Any, tabmcp_mode: str) -> MatchTarget:
    """The first match of the first listed sport competition that has matches."""
    sports = content(await call_tool("sports_get_all_open"))["sports"]
    target = await _first_match(call_tool, sports, resulted=False)
    if target is None:
        skip_live_only(tabmcp_mode, f"none of the first {MAX_CANDIDATES} open competitions lists a match")
    return target


@pytest.fixture
async def resulted_match(call_tool: Any, tabmcp_mode: str) -> MatchTarget:
    """The first resulted match of the first resulted competition that has one."""
    sports = content(await call_tool("sports_get_all_results"))["sports"]
    target = await _first_match(call_tool, sports, resulted=True)
    if target is None:
        skip_live_only(tabmcp_mode, f"none of the first {MAX_CANDIDATES} resulted competitions lists a match")
    return target
