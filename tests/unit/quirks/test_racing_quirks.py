"""Racing quirks of the fixture data: WARWICK FARM R1's dead heat and scratchings, R2's late scratching and
emergency, the fixed-odds-only race addressed by names, non-ASCII names, approximates and jackpots."""

from __future__ import annotations

from typing import Any

import pytest

from tests.smoke._support import RaceTarget, content
from tests.unit.quirks import quirk_marks

pytestmark = quirk_marks("racing")
R1 = RaceTarget("2026-09-23", "R", "WFM", "WARWICK FARM", 1)


async def test_dates_start_today(call_tool: Any) -> None:
    dates = content(await call_tool("racing_get_all_meeting_dates"))["dates"]
    assert dates[0] == {**dates[0], "meetingDate": "2026-09-23", "dateName": "today"}


async def test_meetings_of_every_kind_and_an_overseas_fixed_odds_meeting(call_tool: Any) -> None:
    meetings = content(await call_tool("racing_get_meetings", {"meeting_date": "2026-09-23"}))["meetings"]
    venues = {m["meetingName"]: m for m in meetings}
    assert {"WARWICK FARM", "BENDIGO", "MENANGLE"} <= set(venues)
    assert {m["raceType"] for m in meetings} == {"R", "H", "G"}
    overseas = venues["Star Pelaw (GBR)"]
    assert overseas["fixedOddsOnly"] is True and "venueMnemonic" not in overseas


async def test_races_in_meeting_report_dead_heat_and_scratchings(call_tool: Any) -> None:
    args = {k: v for k, v in R1.args().items() if k != "race_number"}
    first = content(await call_tool("racing_get_all_races_in_meeting", args))["races"][0]
    assert first["results"] == [[4], [2, 7]], "the dead heat for second (2 and 7) is not reported"
    scratched = {s["runnerNumber"]: s["bettingStatus"] for s in first["scratchings"]}
    assert scratched == {6: "Scratched", 3: "Scratched", 5: "LateScratched"}


async def test_race_card_of_a_resulted_race(call_tool: Any) -> None:
    card = content(await call_tool("racing_get_race", R1.args()))
    assert card["results"] == [[4], [2, 7]]
    status = {r["runnerNumber"]: r["fixedOdds"]["bettingStatus"] for r in card["runners"]}
    assert status[5] == "LateScratched" and status[3] == "Scratched" and status[4] == "Winner"


async def test_race_card_marks_late_scratching_and_emergency(call_tool: Any) -> None:
    card = content(await call_tool("racing_get_race", R1.args(race_number=2)))
    runners = {r["runnerNumber"]: r for r in card["runners"]}
    assert runners[3]["runnerName"] == "SALT & PEPPER"
    assert runners[3]["fixedOdds"]["bettingStatus"] == "LateScratched"
    assert runners[5]["emergency"] is True


async def test_fixed_odds_only_race_is_addressed_by_names(call_tool: Any) -> None:
    args = R1.args(venue_mnemonic="Star Pelaw (GBR)", race_type="G", race_number="STAR PELAW R08 22/09 PLC 1-2")
    card = content(await call_tool("racing_get_race", {**args, "fixed_odds": True}))
    assert card["raceName"] == "STAR PELAW R08 22/09 PLC 1-2"
    assert card["runners"], "the fixed-odds-only race card has no runners"


async def test_non_ascii_names_arrive_intact(call_tool: Any) -> None:
    form = content(await call_tool("racing_get_race_form", R1.args()))["form"]
    assert "CÉLESTINE" in {entry["dam"] for entry in form}
    runner = content(await call_tool("racing_get_runner_form", R1.args(runner_number=1)))
    assert runner["runnerName"] == "ZOOM ZOOM"


async def test_next_to_go_starts_at_warwick_farm(call_tool: Any) -> None:
    races = content(await call_tool("racing_get_next_to_go", {"max_races": 5}))["races"]
    assert races[0]["meeting"]["meetingName"] == "WARWICK FARM"


async def test_quinella_approximates(call_tool: Any) -> None:
    data = content(await call_tool("racing_get_approximates", R1.args(wagering_product="Quinella")))
    assert {"selections": [2, 4], "return": 9.1} in data["approximates"]


async def test_big6_jackpot_and_its_pool(call_tool: Any) -> None:
    jackpots = content(await call_tool("racing_get_open_jackpots"))
    assert jackpots["jackpots"][0]["poolType"] == "Big6"
    pools = content(await call_tool("racing_get_jackpot_pools", {"meeting_date": "2026-09-23"}))
    assert pools["jackpotPools"][0]["meetingName"] == "WARWICK FARM"


@pytest.mark.parametrize("date", ["today", "2026-09-23"])
async def test_today_and_the_date_are_the_same_meetings(call_tool: Any, date: str) -> None:
    meetings = content(await call_tool("racing_get_meetings", {"meeting_date": date}))["meetings"]
    assert meetings[0]["meetingName"] == "WARWICK FARM"
