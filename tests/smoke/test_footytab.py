"""FootyTAB: the rounds of the sport that advertises FootyTAB, and one round with and without a series.

A sport advertises FootyTAB with ``_links.footytab`` (tabcorp-api.md §12.1); such a sport's rounds must answer.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.smoke._support import content, skip_no_data

pytestmark = pytest.mark.anyio  # cassette: cassettes/footytab.yaml


async def test_rounds_and_round_details(call_tool: Any) -> None:
    # The FootyTAB rel is a link of TAB's body (detail="full"), not part of the shaped answer.
    sports = content(await call_tool("sports_get_all_open", {"detail": "full"}))["sports"]
    sport = next((s["name"] for s in sports if (s.get("_links") or {}).get("footytab")), None)
    if sport is None:
        skip_no_data("no open sport advertises FootyTAB")
    rounds = content(await call_tool("footytab_get_all_rounds", {"sport_name": sport}))["rounds"]
    numbers = [r["roundNumber"] for r in rounds]
    assert numbers and len(numbers) == len(set(numbers)), f"FootyTAB round numbers are missing or repeated: {numbers}"
    chosen = next((r["roundNumber"] for r in rounds if r.get("status") == "Open"), numbers[-1])
    details = content(await call_tool("footytab_get_round_details", {"sport_name": sport, "round_number": chosen}))
    assert details["roundNumber"] == chosen
    listed = next(r for r in rounds if r["roundNumber"] == chosen)
    assert details["status"] == listed["status"], "the round's details and the rounds list disagree on its status"
    series = details.get("series") or []
    games = details.get("games") or []
    if not series:  # a FootyTAB round without series: its games are the whole round
        assert games, f"round {chosen} lists neither series nor games"
    # The games' fields are [INFERRED] (no public sample), so none is required; a name given blank is never right.
    for game in games:
        assert game["matchName"], f"a game of round {chosen} has a blank matchName"
        blank = [side for side in ("homeTeam", "awayTeam") if side in game and not game[side]]
        assert not blank, f"game {game['matchName']!r} of round {chosen} has a blank {' and '.join(blank)}"
    if not series:
        return
    number = str(series[0]["seriesNumber"])
    args = {"sport_name": sport, "round_number": chosen, "series": number}
    one = content(await call_tool("footytab_get_round_details", args))
    assert one["roundNumber"] == chosen
    assert [str(s["seriesNumber"]) for s in one["series"]] == [number], "the series filter answered other series"
