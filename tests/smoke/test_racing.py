"""Racing: dates, meetings, races, a race card, next-to-go, form, runner form, approximates and jackpots.

Identifiers come from the dates and meetings tools (``race_target``); every check is an invariant of TAB's data
or a cross-check between two tools, so it holds for any real data set. The hand-built cassettes' particular
quirks are checked in tests/unit/quirks, on fixture cassettes that are never re-recorded.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

import pytest

from tests.smoke._support import DATE, TIMESTAMP, RaceTarget, content, skip_no_data

pytestmark = pytest.mark.anyio  # cassette: cassettes/racing.yaml (the module name without "test_")


async def test_meeting_dates(call_tool: Any) -> None:
    dates = [d["meetingDate"] for d in content(await call_tool("racing_get_all_meeting_dates"))["dates"]]
    assert dates, "TAB lists no meeting date"
    assert all(DATE.match(d) for d in dates), dates
    assert len(dates) == len(set(dates)), f"a date is listed twice: {dates}"


async def test_meetings_list_and_the_card_name_the_same_meeting(
    call_tool: Any, race_and_meeting: tuple[RaceTarget, dict[str, Any]]
) -> None:
    target, meeting = race_and_meeting
    # TAB's body (detail="full"): the default answer leaves meetingDate out, the list being of one date.
    args = {"meeting_date": target.meeting_date, "detail": "full"}
    meetings = content(await call_tool("racing_get_meetings", args))["meetings"]
    assert all(m["raceType"] in {"R", "H", "G"} and m["meetingName"] for m in meetings)
    keys = [(m["raceType"], m.get("venueMnemonic") or m["meetingName"]) for m in meetings]
    assert len(keys) == len(set(keys)), f"a meeting is listed twice: {keys}"
    assert {m["meetingDate"] for m in meetings} == {target.meeting_date}, "the list holds meetings of another date"
    # Cross-checked against another response: the race card's own meeting block.
    card_meeting = content(await call_tool("racing_get_race", target.args(detail="full")))["meeting"]
    assert (card_meeting["meetingName"], card_meeting["raceType"], card_meeting["meetingDate"]) == (
        meeting["meetingName"],
        target.race_type,
        target.meeting_date,
    ), "the race card belongs to another meeting than the one the meetings list names"
    assert card_meeting["venueMnemonic"] == target.venue_mnemonic


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
    assert card["raceName"] == listed["raceName"], "the card describes another race than the meetings list"
    assert card["raceStartTime"] == listed["raceStartTime"]
    runners = card["runners"]
    assert runners and len({r["runnerNumber"] for r in runners}) == len(runners)
    assert all(r["runnerName"] for r in runners)


async def test_race_card_prices_its_open_runners_or_places_its_runners(call_tool: Any, race_target: RaceTarget) -> None:
    card = content(await call_tool("racing_get_race", race_target.args()))
    numbers = {r["runnerNumber"] for r in card["runners"]}
    if card["results"]:  # run: every placing is a runner of the card, and no runner is placed twice
        placed = [n for position in card["results"] for n in position]
        assert placed and set(placed) <= numbers and len(placed) == len(set(placed)), card["results"]
        return
    if not card["hasFixedOdds"]:
        skip_no_data(f"race {race_target.race_number} at {race_target.meeting_name} has no result and no fixed odds")
    runners = [r for r in card["runners"] if not r.get("vacantBox")]  # the contract: these all carry fixedOdds
    priced = [r for r in runners if r["fixedOdds"]["bettingStatus"] == "Open"]
    if not priced:
        skip_no_data(f"race {race_target.race_number} at {race_target.meeting_name} has no result and no open runner")
    # Decimal odds: an open runner pays more than its stake back.
    assert all(r["fixedOdds"]["returnWin"] > 1 for r in priced), [r["fixedOdds"]["returnWin"] for r in priced]


async def test_next_to_go(call_tool: Any) -> None:
    races = content(await call_tool("racing_get_next_to_go", {"max_races": 5}))["races"]
    assert 0 < len(races) <= 5, f"TAB always lists next-to-go races; got {len(races)}"
    for race in races:
        assert TIMESTAMP.match(race["raceStartTime"]), race["raceStartTime"]
        assert race["meeting"]["meetingName"] and race["meeting"]["raceType"] in {"R", "H", "G"}
        assert isinstance(race["raceNumber"], int) and race["raceNumber"] > 0
    starts = [race["raceStartTime"] for race in races]  # UTC ISO strings sort as times
    assert starts == sorted(starts), f"next-to-go is not in start order: {starts}"


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
    # The approximates rel is a link of TAB's body (detail="full"), not part of the shaped race card.
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
    date = {"meeting_date": race_target.meeting_date}
    pools = content(await call_tool("racing_get_jackpot_pools", date))["jackpotPools"]
    if not jackpots or not pools:
        skip_no_data(f"{len(jackpots)} open jackpot(s) and {len(pools)} jackpot pool(s) on {race_target.meeting_date}")
    for jackpot in jackpots:
        assert jackpot["poolType"] and jackpot["meeting"], jackpot
        assert jackpot["amount"] > 0, f"an open {jackpot['poolType']} jackpot of {jackpot['amount']}"
    meetings = content(await call_tool("racing_get_meetings", date))["meetings"]
    venues = {m["meetingName"]: m.get("venueMnemonic") for m in meetings}
    for pool in pools:
        assert pool["wageringProduct"] and pool["jackpot"] > 0 and pool["poolTotal"] >= 0, pool
        assert pool["meetingName"] in venues, f"jackpot pool for {pool['meetingName']!r}, not a meeting on that date"
        assert pool["venueMnemonic"] == venues[pool["meetingName"]], "the pool's venue is not its meeting's"
        assert pool["raceType"] in {"R", "H", "G"}


async def test_tab_get_follows_the_meeting_races_link(
    call_tool: Any, race_and_meeting: tuple[RaceTarget, dict[str, Any]]
) -> None:
    target, _listed = race_and_meeting
    # The races rel is a link of TAB's body (detail="full"), not part of the default answer.
    args = {"meeting_date": target.meeting_date, "detail": "full"}
    meetings = content(await call_tool("racing_get_meetings", args))["meetings"]
    meeting = next(
        m for m in meetings if (m["raceType"], m.get("venueMnemonic")) == (target.race_type, target.venue_mnemonic)
    )
    link = (meeting.get("_links") or {}).get("races")
    if not link:
        skip_no_data(f"meeting {target.meeting_name} lists no _links.races")
    parts = urlsplit(link)
    assert parts.path.endswith("/races") and "jurisdiction=" in parts.query, link
    followed = content(await call_tool("tab_get", {"path": f"{parts.path}?{parts.query}"}))
    args = {k: v for k, v in target.args().items() if k != "race_number"}
    races = content(await call_tool("racing_get_all_races_in_meeting", args))["races"]
    assert [r["raceNumber"] for r in followed["races"]] == [r["raceNumber"] for r in races]
