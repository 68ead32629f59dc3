"""Racing: dates, meetings, races, a race card, next-to-go, form, runner form, approximates and jackpots.

Identifiers come from the dates and meetings tools (``race_target``); every check is an invariant of TAB's data
or a cross-check between two tools, so it holds for any real data set. The hand-built cassettes' particular
quirks are checked in tests/unit/quirks, on fixture cassettes that are never re-recorded.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.smoke._support import DATE, TIMESTAMP, RaceTarget, content, skip_no_data

pytestmark = pytest.mark.anyio  # cassette: cassettes/racing.yaml (the module name without "test_")


async def test_meeting_dates(call_tool: Any) -> None:
    dates = [d["meetingDate"] for d in content(await call_tool("racing_get_all_meeting_dates"))["dates"]]
    assert dates, "TAB lists no meeting date"
    assert all(DATE.match(d) for d in dates), dates
    assert len(dates) == len(set(dates)), f"a date is listed twice: {dates}"


async def test_meetings_list_the_discovered_meeting(call_tool: Any, race_target: RaceTarget) -> None:
    meetings = content(await call_tool("racing_get_meetings", {"meeting_date": race_target.meeting_date}))["meetings"]
    assert all(m["raceType"] in {"R", "H", "G"} and m["meetingName"] for m in meetings)
    keys = [(m["raceType"], m.get("venueMnemonic") or m["meetingName"]) for m in meetings]
    assert len(keys) == len(set(keys)), f"a meeting is listed twice: {keys}"
    assert all(m.get("meetingDate", race_target.meeting_date) == race_target.meeting_date for m in meetings)
    assert (race_target.race_type, race_target.venue_mnemonic) in keys


async def test_races_in_meeting_match_the_meetings_list(
    call_tool: Any, race_and_meeting: tuple[RaceTarget, dict[str, Any]]
) -> None:
    target, meeting = race_and_meeting
    args = {k: v for k, v in target.args().items() if k != "race_number"}
    races = content(await call_tool("racing_get_all_races_in_meeting", args))["races"]
    numbers = [race["raceNumber"] for race in races]
    assert numbers and len(numbers) == len(set(numbers)), f"race numbers are missing or repeated: {numbers}"
    assert all(isinstance(n, int) and n > 0 for n in numbers), numbers
    assert {r["raceNumber"] for r in meeting["races"]} <= set(numbers), "the meetings list names other races"
    assert all(TIMESTAMP.match(race["raceStartTime"]) for race in races)


async def test_race_card_describes_the_listed_race(
    call_tool: Any, race_and_meeting: tuple[RaceTarget, dict[str, Any]]
) -> None:
    target, meeting = race_and_meeting
    card = content(await call_tool("racing_get_race", target.args()))
    assert card["raceNumber"] == target.race_number
    listed = next(r for r in meeting["races"] if r["raceNumber"] == target.race_number)
    if "raceName" in listed:
        assert card["raceName"] == listed["raceName"], "the card describes another race than the meetings list"
    runners = card["runners"]
    assert runners and len({r["runnerNumber"] for r in runners}) == len(runners)
    assert all(r["runnerName"] for r in runners)


async def test_next_to_go(call_tool: Any) -> None:
    races = content(await call_tool("racing_get_next_to_go", {"max_races": 5}))["races"]
    assert 0 < len(races) <= 5, f"TAB always lists next-to-go races; got {len(races)}"
    for race in races:
        assert TIMESTAMP.match(race["raceStartTime"]), race["raceStartTime"]
        assert race["meeting"]["meetingName"] and race["meeting"]["raceType"] in {"R", "H", "G"}
        assert isinstance(race["raceNumber"], int) and race["raceNumber"] > 0


async def test_form_and_runner_form_match_the_card(call_tool: Any, race_target: RaceTarget) -> None:
    card = content(await call_tool("racing_get_race", race_target.args()))
    names = {r["runnerNumber"]: r["runnerName"] for r in card["runners"]}
    form = content(await call_tool("racing_get_race_form", race_target.args()))["form"]
    assert form and {entry["runnerNumber"] for entry in form} <= set(names), "the form lists runners not in the card"
    runner = form[0]["runnerNumber"]
    runner_form = content(await call_tool("racing_get_runner_form", race_target.args(runner_number=runner)))
    assert runner_form["runnerNumber"] == runner
    assert runner_form["runnerName"] == names[runner] == form[0]["runnerName"]


async def test_approximates_of_an_open_pool(call_tool: Any, race_target: RaceTarget) -> None:
    # The approximates rel is a link of TAB's body, not part of the shaped race card.
    card = content(await call_tool("racing_get_race", race_target.args(detail="full")))
    pools = [p for p in card.get("pools") or [] if p.get("_links", {}).get("approximates")]
    pool = next((p for p in pools if p.get("poolStatusCode") == "Open"), None)
    if pool is None:
        skip_no_data(f"race {race_target.race_number} at {race_target.meeting_name} has no open pool with approximates")
    args = race_target.args(wagering_product=pool["wageringProduct"])
    data = content(await call_tool("racing_get_approximates", args))
    approximates = data["approximates"]
    assert approximates, f"the open {pool['wageringProduct']} pool has no approximates"
    runners = {r["runnerNumber"] for r in card["runners"]}
    for entry in approximates:
        selections = entry["selections"]
        assert selections and set(selections) <= runners, f"selections {selections} are not runners of the race"
        assert entry["return"] > 0


async def test_jackpots_and_pools_name_listed_meetings(call_tool: Any, race_target: RaceTarget) -> None:
    jackpots = content(await call_tool("racing_get_open_jackpots"))["jackpots"]
    assert all(j.get("poolType") for j in jackpots), jackpots
    date = {"meeting_date": race_target.meeting_date}
    pools = content(await call_tool("racing_get_jackpot_pools", date))["jackpotPools"]
    meetings = content(await call_tool("racing_get_meetings", date))["meetings"]
    names = {m["meetingName"] for m in meetings}
    for pool in pools:
        assert pool["wageringProduct"] and pool["jackpot"] >= 0
        assert pool["meetingName"] in names, f"jackpot pool for {pool['meetingName']!r}, not a meeting on that date"
    if not jackpots or not pools:
        skip_no_data(f"{len(jackpots)} open jackpot(s) and {len(pools)} jackpot pool(s) on {race_target.meeting_date}")
