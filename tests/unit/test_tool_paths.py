"""Every tool sends exactly the documented upstream path and query, with names encoded as one segment."""

from __future__ import annotations

import pytest
from mcp import Client

from tab_mcp import create_server
from tab_mcp.settings import Settings

pytestmark = pytest.mark.anyio

P = "/v1/tab-info-service"
M = f"{P}/racing/dates/2026-09-23/meetings/R/WFM"
RACE = {"meeting_date": "2026-09-23", "race_type": "R", "venue_mnemonic": "WFM", "race_number": 2}
NSW = "jurisdiction=NSW"

CASES: list[tuple[str, dict[str, object], str]] = [
    ("racing_get_all_meeting_dates", {}, f"{P}/racing/dates?{NSW}"),
    ("racing_get_meetings", {"meeting_date": "today"}, f"{P}/racing/dates/today/meetings?{NSW}"),
    (
        "racing_get_meetings",
        {"meeting_date": "2026-09-23", "jurisdiction": "vic"},
        f"{P}/racing/dates/2026-09-23/meetings?jurisdiction=VIC",
    ),
    (
        "racing_get_all_races_in_meeting",
        {k: RACE[k] for k in ("meeting_date", "race_type", "venue_mnemonic")},
        f"{M}/races?{NSW}",
    ),
    ("racing_get_race", RACE, f"{M}/races/2?{NSW}"),
    (
        "racing_get_race",
        {
            "meeting_date": "2026-09-23",
            "race_type": "G",
            "venue_mnemonic": "Star Pelaw (GBR)",
            "race_number": "STAR PELAW R08 22/09 PLC 1-2",
            "fixed_odds": True,
        },
        f"{P}/racing/dates/2026-09-23/meetings/G/Star%20Pelaw%20%28GBR%29/races/"
        f"STAR%20PELAW%20R08%2022%2F09%20PLC%201-2?{NSW}&fixedOdds=true",
    ),
    ("racing_get_next_to_go", {}, f"{P}/racing/next-to-go/races?{NSW}"),
    (
        "racing_get_next_to_go",
        {"max_races": 5, "include_recently_closed": True},
        f"{P}/racing/next-to-go/races?{NSW}&maxRaces=5&includeRecentlyClosed=true",
    ),
    ("racing_get_race_form", RACE, f"{M}/races/2/form?{NSW}"),
    ("racing_get_runner_form", {**RACE, "runner_number": 1}, f"{M}/races/2/form/1?{NSW}"),
    (
        "racing_get_approximates",
        {**RACE, "wagering_product": "quinella"},
        f"{M}/races/2/pools/Quinella/approximates?{NSW}",
    ),
    ("racing_get_open_jackpots", {}, f"{P}/racing/jackpots?{NSW}"),
    ("racing_get_jackpot_pools", {"meeting_date": "tomorrow"}, f"{P}/racing/dates/tomorrow/jackpot-pools?{NSW}"),
    ("sports_get_all_open", {}, f"{P}/sports?{NSW}"),
    ("sports_get_open_sport", {"sport_name": "AFL Football"}, f"{P}/sports/AFL%20Football?{NSW}"),
    (
        "sports_get_open_competition",
        {"sport_name": "Rugby League", "competition_name": "State of Origin & Co"},
        f"{P}/sports/Rugby%20League/competitions/State%20of%20Origin%20%26%20Co?{NSW}",
    ),
    (
        "sports_get_open_tournament",
        {"sport_name": "Tennis", "competition_name": "ATP", "tournament_name": "Wimbledon Men's Singles"},
        f"{P}/sports/Tennis/competitions/ATP/tournaments/Wimbledon%20Men%27s%20Singles?{NSW}",
    ),
    (
        "sports_get_open_match_in_competition",
        {"sport_name": "Soccer", "competition_name": "J League", "match_name": "Shimizu v FC Tōkyō"},
        f"{P}/sports/Soccer/competitions/J%20League/matches/Shimizu%20v%20FC%20T%C5%8Dky%C5%8D?{NSW}",
    ),
    (
        "sports_get_open_match_in_tournament",
        {
            "sport_name": "Tennis",
            "competition_name": "ATP",
            "tournament_name": "ATP Munich",
            "match_name": "Ebden/Purcell v Granollers/Zeballos",
        },
        f"{P}/sports/Tennis/competitions/ATP/tournaments/ATP%20Munich/matches/"
        f"Ebden%2FPurcell%20v%20Granollers%2FZeballos?{NSW}",
    ),
    ("sports_get_next_to_go", {}, f"{P}/sports/nextToGo?{NSW}"),
    (
        "sports_get_next_to_go",
        {"limit": 3, "live_betting_only": True, "futures_only": True, "open_only": True},
        f"{P}/sports/nextToGo?{NSW}&limit=3&liveBettingOnly=true&futuresOnly=true&openOnly=true",
    ),
    ("sports_get_all_results", {}, f"{P}/sports/results?{NSW}"),
    ("sports_get_resulted_sport", {"sport_name": "Basketball"}, f"{P}/sports/results/Basketball?{NSW}"),
    (
        "sports_get_resulted_competition",
        {"sport_name": "Basketball", "competition_name": "NBA"},
        f"{P}/sports/results/Basketball/competitions/NBA?{NSW}",
    ),
    (
        "sports_get_resulted_match_in_competition",
        {"sport_name": "Basketball", "competition_name": "NBA", "match_name": "Lakers v Warriors"},
        f"{P}/sports/results/Basketball/competitions/NBA/matches/Lakers%20v%20Warriors?{NSW}",
    ),
    ("footytab_get_all_rounds", {"sport_name": "AFL Football"}, f"{P}/sports/AFL%20Football/footy/rounds?{NSW}"),
    (
        "footytab_get_round_details",
        {"sport_name": "Rugby League", "round_number": 7, "series": "NRL"},
        f"{P}/sports/Rugby%20League/footy/rounds/7?{NSW}&series=NRL",
    ),
    ("tab_get", {"path": f"{P}/racing/dates"}, f"{P}/racing/dates?{NSW}"),
    (
        "tab_get",
        {"path": f"{P}/sports/AFL%20Football?jurisdiction=QLD", "params": {"homeState": "QLD", "cashSales": False}},
        f"{P}/sports/AFL%20Football?jurisdiction=QLD&homeState=QLD&cashSales=false",
    ),
]

# The tools that issue a POST to /oauth/token instead of an info-service GET are checked in test_oauth_tools.
READ_TOOLS = {name for name, _, _ in CASES}


async def test_cases_cover_every_read_only_query_tool() -> None:
    async with Client(create_server(Settings())) as client:
        tools = (await client.list_tools()).tools
    expected = {t.name for t in tools if not t.name.startswith("tab_oauth_") and t.name != "tab_post"}
    assert expected == READ_TOOLS


@pytest.mark.parametrize(("tool", "args", "expected"), CASES, ids=[f"{c[0]}-{i}" for i, c in enumerate(CASES)])
async def test_tool_sends_exact_path_and_query(upstream, settings, tool, args, expected) -> None:
    # detail="full" (every tool but tab_get takes it) answers with the upstream body unchanged.
    full = args if tool == "tab_get" else {**args, "detail": "full"}
    async with Client(create_server(settings, transport=upstream.transport)) as client:
        result = await client.call_tool(tool, full)

    assert not result.is_error, result.content
    sent = upstream.api_requests
    assert len(sent) == 1
    assert sent[0].method == "GET"
    assert sent[0].url.host == "api.beta.tab.com.au"
    assert sent[0].url.raw_path.decode() == expected
    assert sent[0].headers["authorization"] == "Bearer tok-1"
    # The upstream JSON comes back as the structured result.
    assert result.structured_content == {"raw_path": expected}


async def test_per_call_access_token_is_used_for_that_call_only(upstream, settings) -> None:
    async with Client(create_server(settings, transport=upstream.transport)) as client:
        await client.call_tool("sports_get_all_open", {"access_token": "caller-token"})
        await client.call_tool("sports_get_all_open", {})

    first, second = upstream.api_requests
    assert first.headers["authorization"] == "Bearer caller-token"
    assert second.headers["authorization"] == "Bearer tok-1"


async def test_anonymous_without_credentials(upstream) -> None:
    async with Client(create_server(Settings(), transport=upstream.transport)) as client:
        result = await client.call_tool("racing_get_all_meeting_dates", {})

    assert not result.is_error
    assert upstream.oauth_requests == []
    assert "authorization" not in upstream.api_requests[0].headers


async def test_default_jurisdiction_comes_from_settings(upstream) -> None:
    async with Client(create_server(Settings(jurisdiction="qld"), transport=upstream.transport)) as client:
        await client.call_tool("sports_get_all_open", {})

    assert upstream.api_requests[0].url.params["jurisdiction"] == "QLD"


async def test_non_object_json_is_wrapped_as_structured_result(upstream, settings) -> None:
    import httpx

    upstream.route(f"{P}/racing/jackpots", lambda _r: httpx.Response(200, json=[{"amount": 1}]))
    async with Client(create_server(settings, transport=upstream.transport)) as client:
        result = await client.call_tool("racing_get_open_jackpots", {})

    assert result.structured_content == {"result": [{"amount": 1}]}
