"""Sports: the open list, a sport, a competition, a match, a tournament and its match, and next-to-go.

Identifiers come from the sports list (``open_match``); the checks are invariants and cross-checks between
the list, the sport, the competition and the match, so they hold for any real data set.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.smoke._support import TIMESTAMP, MatchTarget, content, skip_no_data

pytestmark = pytest.mark.anyio  # cassette: cassettes/sports.yaml


async def test_all_open_sports(open_sports: list[dict[str, Any]]) -> None:
    names = [sport["name"] for sport in open_sports]
    assert all(names) and len(names) == len(set(names)), f"sport names are empty or repeated: {names}"


async def test_open_sport_and_competition(call_tool: Any, open_match: MatchTarget) -> None:
    sport = content(await call_tool("sports_get_open_sport", {"sport_name": open_match.sport_name}))
    assert sport["name"] == open_match.sport_name
    assert open_match.competition_name in {c["name"] for c in sport["competitions"]}


async def test_open_match_is_the_listed_match_with_its_markets(call_tool: Any, open_match: MatchTarget) -> None:
    names = {"sport_name": open_match.sport_name, "competition_name": open_match.competition_name}
    competition = content(await call_tool("sports_get_open_competition", names))
    listed = next(m for m in competition["matches"] if m["name"] == open_match.match_name)
    match = content(await call_tool("sports_get_open_match_in_competition", {**names, "match_name": listed["name"]}))
    assert (match["name"], match["id"]) == (listed["name"], listed["id"]), "the match is not the one listed"
    markets = match["markets"]
    if not markets:
        skip_no_data(f"match {open_match.match_name!r} lists no market right now")
    # The competition lists a match's top markets; the match itself lists them all.
    assert {m["name"] for m in listed["markets"]} <= {m["name"] for m in markets}
    for market in markets:
        assert market["betOption"] and market["propositions"], f"market {market['name']!r} offers nothing"
        assert all(p["name"] and p["returnWin"] >= 0 for p in market["propositions"]), market["name"]


async def test_tournament_and_its_match(call_tool: Any, open_sports: list[dict[str, Any]]) -> None:
    # Tournament-structured competitions (tennis) list tournaments, and matches hang off them.
    found = next(
        (
            (s["name"], c["name"], t["name"])
            for s in open_sports
            for c in s.get("competitions") or []
            for t in c.get("tournaments") or []
        ),
        None,
    )
    if found is None:
        skip_no_data("no open competition lists a tournament")
    names = {"sport_name": found[0], "competition_name": found[1], "tournament_name": found[2]}
    tournament = content(await call_tool("sports_get_open_tournament", names))
    assert tournament["name"] == found[2]
    matches = tournament.get("matches") or []
    if not matches:
        skip_no_data(f"tournament {found[2]!r} lists no match")
    match_name = matches[0]["name"]
    match = content(await call_tool("sports_get_open_match_in_tournament", {**names, "match_name": match_name}))
    assert match["name"] == match_name


async def test_sports_next_to_go(call_tool: Any) -> None:
    matches = content(await call_tool("sports_get_next_to_go", {"limit": 5}))["matches"]
    assert 0 < len(matches) <= 5, f"TAB always lists next-to-go matches; got {len(matches)}"
    assert all(match["name"] and TIMESTAMP.match(match["startTime"]) for match in matches)
    # Each match says where it belongs, and that sport is open.
    open_names = {sport["name"] for sport in content(await call_tool("sports_get_all_open"))["sports"]}
    for match in matches:
        assert match["competitionName"], match["name"]
        assert match["sportName"] in open_names, f"{match['name']!r} belongs to {match['sportName']!r}, not open"
