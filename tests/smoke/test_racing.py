"""Racing: dates, meetings, races, a race card, next-to-go, form, runner form, approximates and jackpots.

Identifiers come from the dates and meetings tools (``race_target``). Offline they are the cassette's
WARWICK FARM R1 on 2026-09-23, and the tests check what the data means; live they check invariants.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.smoke._support import DATE, RaceTarget, assert_ok_or_clear_error, content

pytestmark = pytest.mark.anyio  # cassette: cassettes/racing.yaml (the module name without "test_")


async def test_meeting_dates(call_tool: Any, tabmcp_mode: str) -> None:
    dates = content(await call_tool("racing_get_all_meeting_dates"))["dates"]
    assert dates and all(DATE.match(d["meetingDate"]) for d in dates)
    if tabmcp_mode == "offline":
        assert dates[0]["meetingDate"] == "2026-09-23"


async def test_meetings_list_both_kinds_of_meeting(call_tool: Any, race_target: RaceTarget, tabmcp_mode: str) -> None:
    meetings = content(await call_tool("racing_get_meetings", {"meeting_date": race_target.meeting_date}))["meetings"]
    assert all(m["raceType"] in {"R", "H", "G"} and m["meetingName"] for m in meetings)
    if tabmcp_mode == "offline":
        venues = {m["meetingName"]: m for m in meetings}
        assert {"WARWICK FARM", "BENDIGO", "MENANGLE"} <= set(venues)
        assert {m["raceType"] for m in meetings} == {"R", "H", "G"}
        overseas = venues["Star Pelaw (GBR)"]
        assert overseas["fixedOddsOnly"] is True and "venueMnemonic" not in overseas


async def test_races_in_meeting_report_dead_heat_and_scratchings(
    call_tool: Any, race_target: RaceTarget, tabmcp_mode: str
) -> None:
    args = {k: v for k, v in race_target.args().items() if k != "race_number"}
    races = content(await call_tool("racing_get_all_races_in_meeting", args))["races"]
    numbers = [race["raceNumber"] for race in races]
    assert numbers and len(numbers) == len(set(numbers)), f"race numbers are missing or repeated: {numbers}"
    if tabmcp_mode == "offline":
        first = races[0]
        assert first["results"] == [[4], [2, 7]], "the dead heat for second (2 and 7) is not reported"
        scratched = {s["runnerNumber"]: s["bettingStatus"] for s in first["scratchings"]}
        assert scratched == {6: "Scratched", 3: "Scratched", 5: "LateScratched"}


async def test_race_card(call_tool: Any, race_target: RaceTarget, tabmcp_mode: str) -> None:
    card = content(await call_tool("racing_get_race", race_target.args()))
    assert card["raceNumber"] == race_target.race_number
    runners = card["runners"]
    assert runners and len({r["runnerNumber"] for r in runners}) == len(runners)
    if tabmcp_mode == "offline":
        assert card["results"] == [[4], [2, 7]]
        status = {r["runnerNumber"]: r["fixedOdds"]["bettingStatus"] for r in runners}
        assert status[5] == "LateScratched" and status[3] == "Scratched" and status[4] == "Winner"


@pytest.mark.offline_only
async def test_race_card_marks_late_scratching_and_emergency(call_tool: Any, race_target: RaceTarget) -> None:
    card = content(await call_tool("racing_get_race", race_target.args(race_number=2)))
    runners = {r["runnerNumber"]: r for r in card["runners"]}
    assert runners[3]["runnerName"] == "SALT & PEPPER"
    assert runners[3]["fixedOdds"]["bettingStatus"] == "LateScratched"
    assert runners[5]["emergency"] is True


@pytest.mark.offline_only
async def test_fixed_odds_only_race_is_addressed_by_names(call_tool: Any) -> None:
    card = content(
        await call_tool(
            "racing_get_race",
            {
                "meeting_date": "2026-09-23",
                "race_type": "G",
                "venue_mnemonic": "Star Pelaw (GBR)",
                "race_number": "STAR PELAW R08 22/09 PLC 1-2",
                "fixed_odds": True,
            },
        )
    )
    assert card["runners"], "the fixed-odds-only race card has no runners"


async def test_next_to_go(call_tool: Any, tabmcp_mode: str) -> None:
    races = content(await call_tool("racing_get_next_to_go", {"max_races": 5}))["races"]
    assert len(races) <= 5
    assert all(race["raceStartTime"] and race["meeting"]["meetingName"] for race in races)
    if tabmcp_mode == "offline":
        assert races[0]["meeting"]["meetingName"] == "WARWICK FARM"


async def test_race_form_and_runner_form(call_tool: Any, race_target: RaceTarget, tabmcp_mode: str) -> None:
    form = content(await call_tool("racing_get_race_form", race_target.args()))["form"]
    assert form and all("runnerNumber" in entry for entry in form)
    runner = form[0]["runnerNumber"]
    runner_form = content(await call_tool("racing_get_runner_form", race_target.args(runner_number=runner)))
    assert runner_form["runnerNumber"] == runner
    if tabmcp_mode == "offline":
        assert runner_form["runnerName"] == "ZOOM ZOOM"


async def test_approximates(call_tool: Any, race_target: RaceTarget, tabmcp_mode: str) -> None:
    live = tabmcp_mode == "live"
    result = await call_tool(
        "racing_get_approximates", race_target.args(wagering_product="Quinella"), expect_error=None if live else False
    )
    data = assert_ok_or_clear_error(result)
    if data is not None:
        assert all("selections" in a and "return" in a for a in data.get("approximates", []))
    if not live:
        assert data is not None and {"selections": [2, 4], "return": 9.1} in data["approximates"]


async def test_jackpots(call_tool: Any, race_target: RaceTarget, tabmcp_mode: str) -> None:
    live = tabmcp_mode == "live"
    expect_error = None if live else False
    jackpots = assert_ok_or_clear_error(await call_tool("racing_get_open_jackpots", expect_error=expect_error))
    date = {"meeting_date": race_target.meeting_date}
    pools = assert_ok_or_clear_error(await call_tool("racing_get_jackpot_pools", date, expect_error=expect_error))
    if not live:
        assert jackpots is not None and jackpots["jackpots"][0]["poolType"] == "Big6"
        assert pools is not None and pools["jackpotPools"][0]["meetingName"] == "WARWICK FARM"
