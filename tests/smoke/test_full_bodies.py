"""TAB's whole bodies (``detail="full"``) stay reachable and checked, and each default answer agrees with its body.

A tool's default answer is shaped from named fields of TAB's body; this suite asks for both on the same
discovered identifiers, so ``call_tool`` checks the full body against the full-body contract (drift detection
on every field the contracts name, not only the shaped ones) and the shaped answer against its own contract,
and each test asserts that the answer says what the body says (no item lost, no value changed).
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.smoke._support import RaceTarget, content

# The same requests as test_racing and test_sports (detail changes the answer, not the request): their cassettes.
pytestmark = [pytest.mark.anyio, pytest.mark.tabmcp(cassette="racing")]


async def both(call_tool: Any, tool: str, args: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """The default answer and TAB's body for the same call."""
    shaped = content(await call_tool(tool, args))
    full = content(await call_tool(tool, {**args, "detail": "full"}))
    assert shaped.get("detail") == "summary", f"{tool}'s default answer is not marked as a summary"
    assert "detail" not in full, f"{tool} with detail='full' did not return TAB's body"
    return shaped, full


async def test_meetings_answer_names_every_meeting_of_the_body(call_tool: Any, race_target: RaceTarget) -> None:
    shaped, full = await both(call_tool, "racing_get_meetings", {"meeting_date": race_target.meeting_date})
    names = [m["meetingName"] for m in full["meetings"]]
    assert shaped["total"] == len(names)
    listed = [m["meetingName"] for m in shaped["meetings"]] + list(shaped.get("omitted") or [])
    assert [m["meetingName"] for m in shaped["meetings"]] == names[: len(shaped["meetings"])], listed
    for answer, body in zip(shaped["meetings"], full["meetings"], strict=False):
        races = answer.get("races")
        if races is not None:
            assert [r["raceNumber"] for r in races] == [r["raceNumber"] for r in body["races"]]
            assert [r["raceStartTime"] for r in races] == [r["raceStartTime"] for r in body["races"]]


async def test_race_card_answer_has_every_runner_and_its_fixed_price(call_tool: Any, race_target: RaceTarget) -> None:
    shaped, full = await both(call_tool, "racing_get_race", race_target.args())
    body_prices = {r["runnerNumber"]: r["fixedOdds"].get("returnWin") for r in full["runners"]}
    answer_prices = {r["runnerNumber"]: r["fixedOdds"].get("returnWin") for r in shaped["runners"]}
    assert shaped["total"] == len(full["runners"])
    assert answer_prices == body_prices
    assert shaped["meeting"]["meetingName"] == full["meeting"]["meetingName"]


async def test_form_answers_keep_every_runner(call_tool: Any, race_target: RaceTarget) -> None:
    shaped, full = await both(call_tool, "racing_get_race_form", race_target.args())
    assert [r["runnerNumber"] for r in shaped["form"]] == [r["runnerNumber"] for r in full["form"]]
    runner = full["form"][0]["runnerNumber"]
    one, whole = await both(call_tool, "racing_get_runner_form", race_target.args(runner_number=runner))
    assert (one["runnerNumber"], one["runnerName"]) == (whole["runnerNumber"], whole["runnerName"])


async def test_races_and_dates_answers_match_their_bodies(call_tool: Any, race_target: RaceTarget) -> None:
    meeting = {k: v for k, v in race_target.args().items() if k != "race_number"}
    shaped, full = await both(call_tool, "racing_get_all_races_in_meeting", meeting)
    assert [r["raceNumber"] for r in shaped["races"]] == [r["raceNumber"] for r in full["races"]]
    dates, body = await both(call_tool, "racing_get_all_meeting_dates", {})
    assert [d["meetingDate"] for d in dates["dates"]] == [d["meetingDate"] for d in body["dates"]]


@pytest.mark.tabmcp(cassette="sports")
async def test_sports_answers_match_their_bodies(call_tool: Any) -> None:
    shaped, full = await both(call_tool, "sports_get_all_open", {})
    assert [s["name"] for s in shaped["sports"]] == [s["name"] for s in full["sports"]]
    upcoming, body = await both(call_tool, "sports_get_next_to_go", {"limit": 5})
    assert [m["name"] for m in upcoming["matches"]] == [m["name"] for m in body["matches"]]
