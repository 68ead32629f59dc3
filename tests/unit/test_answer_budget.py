"""On a real-size day every tool's default answer fits the budget, and a fitted answer says what it left out.

The upstream serves the generated real-size bodies (``tabmcp_ops.cassette_builders.real_day``): about 100
meetings of 8-12 races, race cards and form of 14 runners. Sizes are measured as a model receives them, the
text content and the structured content (compact JSON) each, through the in-memory MCP client.
"""

from __future__ import annotations

import json
import re
from typing import Any

import pytest

from tab_mcp.settings import Settings
from tabmcp_ops.answer_sizes import TOOL_CALLS, measure, real_day_server, real_day_settings, result_sizes
from tabmcp_ops.cassette_builders.real_day import MEETING_COUNT, RUNNER_COUNT, real_meetings, real_race_card

pytestmark = pytest.mark.anyio

BUDGET = Settings().max_result_chars
ONE_SENTENCE = re.compile(r"^[A-Z0-9][^\n]*\.$")
RACE = dict(TOOL_CALLS)["racing_get_race"]


async def call(client: Any, tool: str, args: dict[str, Any]) -> dict[str, Any]:
    result = await client.call_tool(tool, args)
    assert not result.is_error, result.content
    text = result.content[0].text
    assert json.loads(text) == result.structured_content, "the text is not the structured answer"
    return dict(result.structured_content)


async def test_every_tool_answers_within_the_budget_on_a_real_size_day() -> None:
    async with real_day_server() as client:
        rows, catalogue = await measure(client)
    assert {r.tool for r in rows} == {t.name for t in (await _tools())}
    assert len(rows) == 28
    for row in rows:
        assert not row.error, f"{row.tool}: {row.error}"
        assert row.text <= BUDGET and row.structured <= BUDGET, f"{row.tool}: {row.text} / {row.structured} chars"
    # The fixture is real-size: the bodies these answers come from are far over the budget.
    full = {r.tool: r.full_text for r in rows}
    assert full["racing_get_meetings"] > 10 * BUDGET and full["racing_get_race_form"] > 5 * BUDGET
    assert catalogue > 0


async def _tools() -> list[Any]:
    async with real_day_server() as client:
        return list((await client.list_tools()).tools)


async def test_meetings_answer_names_every_meeting_and_says_how_to_narrow() -> None:
    async with real_day_server() as client:
        answer = await call(client, "racing_get_meetings", {"meeting_date": "2026-09-23"})
    names = [m["meetingName"] for m in real_meetings()["meetings"]]
    assert answer["total"] == MEETING_COUNT == len(names)
    assert [m["meetingName"] for m in answer["meetings"]] == names
    assert ONE_SENTENCE.match(answer["note"]) and "race_type" in answer["note"], answer["note"]
    # Meetings whose races did not fit keep a count and the next race, never an empty race list.
    for meeting in answer["meetings"]:
        assert meeting.get("races") or meeting["raceCount"] > 0, meeting


async def test_meetings_filters_narrow_to_every_race() -> None:
    async with real_day_server() as client:
        answer = await call(client, "racing_get_meetings", {"meeting_date": "2026-09-23", "race_type": "h"})
        one = await call(client, "racing_get_meetings", {"meeting_date": "2026-09-23", "venue": "randwick"})
        few = await call(client, "racing_get_meetings", {"meeting_date": "2026-09-23", "max_meetings": 3})
    harness = [m for m in real_meetings()["meetings"] if m["raceType"] == "H"]
    assert [m["meetingName"] for m in answer["meetings"]] == [m["meetingName"] for m in harness]
    assert "note" not in answer and all(m["races"] for m in answer["meetings"])
    assert [m["meetingName"] for m in one["meetings"]] == ["RANDWICK"]
    assert [r["raceNumber"] for r in one["meetings"][0]["races"]] == list(range(1, 9))
    assert few["shown"] == 3 and len(few["omitted"]) == MEETING_COUNT - 3


async def test_race_card_names_every_runner_with_its_current_fixed_win_price() -> None:
    async with real_day_server() as client:
        card = await call(client, "racing_get_race", RACE)
        two = await call(client, "racing_get_race", {**RACE, "runner_numbers": [2, 5]})
    body = {r["runnerNumber"]: r for r in real_race_card()["runners"]}
    assert card["total"] == RUNNER_COUNT
    for runner in card["runners"]:
        upstream = body[runner["runnerNumber"]]
        assert runner["runnerName"] == upstream["runnerName"]
        assert runner["fixedOdds"]["returnWin"] == upstream["fixedOdds"]["returnWin"]
        assert runner["parimutuel"]["returnWin"] == upstream["parimutuel"]["returnWin"]
        assert "flucs" not in runner["fixedOdds"] and "silkURL" not in runner
    assert [r["runnerNumber"] for r in card["runners"]] == sorted(body)
    assert [r["runnerNumber"] for r in two["runners"]] == [2, 5] and two["total"] == RUNNER_COUNT


async def test_an_answer_over_a_small_budget_stays_within_it_and_says_what_was_left_out() -> None:
    small = 6_000
    async with real_day_server(real_day_settings(max_result_chars=small)) as client:
        meetings = await client.call_tool("racing_get_meetings", {"meeting_date": "2026-09-23", "race_type": "R"})
        form = await client.call_tool("racing_get_race_form", RACE)
        match = await client.call_tool(
            "sports_get_open_match_in_competition", dict(TOOL_CALLS)["sports_get_open_match_in_competition"]
        )
    for result in (meetings, form, match):
        assert not result.is_error, result.content
        assert max(result_sizes(result)) <= small
        note = result.structured_content["note"]
        assert ONE_SENTENCE.match(note) and str(small) in note, note
    thoroughbred = [m for m in real_meetings()["meetings"] if m["raceType"] == "R"]
    answer = meetings.structured_content
    assert answer["shown"] + len(answer["omitted"]) == len(thoroughbred)
    assert "left out" in answer["note"] and "venue" in answer["note"]
    assert "pass market" in match.structured_content["note"]


async def test_sports_and_form_filters_narrow_the_answer() -> None:
    calls = dict(TOOL_CALLS)
    async with real_day_server() as client:
        match = await call(
            client, "sports_get_open_match_in_competition",
            {**calls["sports_get_open_match_in_competition"], "market": "line"},
        )  # fmt: skip
        competition = await call(
            client, "sports_get_open_competition", {**calls["sports_get_open_competition"], "max_matches": 2}
        )
        upcoming = await call(client, "sports_get_next_to_go", {"sport": "basketball"})
        form = await call(client, "racing_get_race_form", {**RACE, "runner_numbers": [3], "max_starts": 2})
        runner = await call(client, "racing_get_runner_form", {**RACE, "runner_number": 1, "max_starts": 4})
        races = await call(client, "racing_get_next_to_go", {"race_type": "G"})
    assert match["markets"] and all(m["betOption"] == "Line" for m in match["markets"])
    assert match["total"] > match["shown"] == len(match["markets"])
    assert competition["shown"] == 2 and len(competition["matches"]) == 2 and len(competition["omitted"]) == 38
    assert upcoming["matches"] == [] and upcoming["total"] == 100  # every generated match is AFL
    assert [r["runnerNumber"] for r in form["form"]] == [3]
    assert len(form["form"][0]["runnerStarts"]["previousStarts"]) == 2
    dates = [s["startDate"] for s in runner["runnerStarts"]["previousStarts"]]
    assert len(dates) == 4 and dates == sorted(dates, reverse=True)
    assert races["races"] and all(r["meeting"]["raceType"] == "G" for r in races["races"])
    assert races["shown"] == 40 and races["total"] == 100
