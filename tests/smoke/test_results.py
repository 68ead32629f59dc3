"""Results: all resulted sports, a resulted sport, competition and match (discovered at run time)."""

from __future__ import annotations

from typing import Any

import pytest

from tests.smoke._support import MatchTarget, content, skip_no_data

pytestmark = pytest.mark.anyio  # cassette: cassettes/results.yaml


async def test_all_results(call_tool: Any) -> None:
    sports = content(await call_tool("sports_get_all_results"))["sports"]
    names = [sport["name"] for sport in sports]
    assert names, "TAB always lists resulted sports"
    assert all(names) and len(names) == len(set(names)), f"sport names are empty or repeated: {names}"


async def test_resulted_sport_competition_and_match(call_tool: Any, resulted_match: MatchTarget) -> None:
    sport = content(await call_tool("sports_get_resulted_sport", {"sport_name": resulted_match.sport_name}))
    assert sport["name"] == resulted_match.sport_name
    assert resulted_match.competition_name in {c["name"] for c in sport["competitions"]}
    match = content(
        await call_tool(
            "sports_get_resulted_match_in_competition",
            {
                "sport_name": resulted_match.sport_name,
                "competition_name": resulted_match.competition_name,
                "match_name": resulted_match.match_name,
            },
        )
    )
    assert match["name"] == resulted_match.match_name
    markets = match["markets"]
    if not markets:
        skip_no_data(f"resulted match {resulted_match.match_name!r} lists no settled market")
    for market in markets:
        assert market["name"] and market["propositions"], f"settled market {market['name']!r} names no proposition"
        assert all(p["name"] for p in market["propositions"])
