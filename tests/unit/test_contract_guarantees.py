"""The contracts say what the domain guarantees (tabcorp-api.md evidence levels), and accept every real shape.

Each drift case starts from a hand-built fixture body (``FIXED``, never re-recorded) that meets its contract, and
changes one thing an agent relies on: a renamed block, an emptied list the domain never leaves empty, a price
missing where one is due. Each real-shape case is a shape the reference documents as seen in real data, which
the contracts must keep accepting.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from functools import cache
from typing import Any

import pytest
import yaml

from pytest_tabmcp.contracts import check_result
from tests.helpers.data_sets import FIXED

WFM = "/racing/dates/2026-09-23/meetings/R/WFM/races"
STAR_PELAW = "/races/STAR%20PELAW%20R08%2022%2F09%20PLC%201-2?jurisdiction=NSW&fixedOdds=true"


@cache
def _bodies(cassette: str) -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load((FIXED / f"{cassette}.yaml").read_text(encoding="utf-8"))
    return {i["request"]["uri"]: json.loads(i["response"]["body"]["string"]) for i in data["interactions"]}


def body(cassette: str, uri_end: str) -> dict[str, Any]:
    """A deep copy of the first fixture body whose request URI ends with ``uri_end``."""
    found: dict[str, Any] = copy.deepcopy(next(b for uri, b in _bodies(cassette).items() if uri.endswith(uri_end)))
    return found


def meetings() -> dict[str, Any]:
    return body("racing", "/racing/dates/2026-09-23/meetings?jurisdiction=NSW")


def open_card() -> dict[str, Any]:
    return body("racing", f"{WFM}/2?jurisdiction=NSW")


def resulted_card() -> dict[str, Any]:
    return body("racing", f"{WFM}/1?jurisdiction=NSW")


def open_match() -> dict[str, Any]:
    return body("sports", "/matches/Wst%20Bulldogs%20v%20Adelaide?jurisdiction=NSW")


def sentences(tool: str, data: Any) -> list[str]:
    return [v.sentence() for v in check_result(tool, data)]


def _rename(data: dict[str, Any], old: str, new: str) -> None:
    data[new] = data.pop(old)


# ----- drift: each change must be reported, in one sentence that names the path --------------------------------


def _rename_prices(card: dict[str, Any]) -> dict[str, Any]:
    for runner in card["runners"]:
        _rename(runner, "fixedOdds", "fixedOddsV2")
        _rename(runner, "parimutuel", "tote")
    return card


def _rename_markets(match: dict[str, Any]) -> dict[str, Any]:
    _rename(match, "markets", "topMarkets")
    return match


def _no_venue_on_a_tab_meeting(data: dict[str, Any]) -> dict[str, Any]:
    del data["meetings"][0]["venueMnemonic"]
    return data


def _open_runner_without_a_price(card: dict[str, Any]) -> dict[str, Any]:
    del card["runners"][0]["fixedOdds"]["returnWin"]
    return card


def _paid_race_without_results(data: dict[str, Any]) -> dict[str, Any]:
    data["meetings"][0]["races"][0]["results"] = []
    return data


def _tab_card_without_pools(card: dict[str, Any]) -> dict[str, Any]:
    card["pools"] = []
    return card


def _blank_market_list(match: dict[str, Any]) -> dict[str, Any]:
    match["markets"][0]["propositions"] = []
    return match


def _renamed_race_type(data: dict[str, Any]) -> dict[str, Any]:
    data["meetings"][0]["raceType"] = "Thoroughbred"
    return data


DRIFTS: list[tuple[str, Callable[[], Any], str, str]] = [
    ("racing_get_race", lambda: _rename_prices(open_card()), "$.runners[*].fixedOdds", "missing"),
    ("racing_get_race", lambda: _rename_prices(resulted_card()), "$.runners[*].parimutuel", "missing"),
    ("racing_get_race", lambda: open_card() | {"runners": []}, "$.runners", "an empty array"),
    (
        "racing_get_race",
        lambda: _open_runner_without_a_price(open_card()),
        "$.runners[*].fixedOdds.returnWin",
        "missing",
    ),
    ("racing_get_race", lambda: _tab_card_without_pools(open_card()), "$.pools", "an empty array"),
    ("racing_get_meetings", lambda: {"meetings": []}, "$.meetings", "an empty array"),
    ("racing_get_meetings", lambda: _no_venue_on_a_tab_meeting(meetings()), "$.meetings[*].venueMnemonic", "missing"),
    (
        "racing_get_meetings",
        lambda: _paid_race_without_results(meetings()),
        "$.meetings[*].races[*].results",
        "an empty array",
    ),
    (
        "racing_get_meetings",
        lambda: _renamed_race_type(meetings()),
        "$.meetings[*].raceType",
        "a string that breaks 'enum'",
    ),
    ("racing_get_all_meeting_dates", lambda: {"dates": []}, "$.dates", "an empty array"),
    ("racing_get_next_to_go", lambda: {"races": []}, "$.races", "an empty array"),
    ("racing_get_race_form", lambda: {"form": []}, "$.form", "an empty array"),
    ("sports_get_open_match_in_competition", lambda: _rename_markets(open_match()), "$.markets", "missing"),
    (
        "sports_get_open_match_in_competition",
        lambda: _blank_market_list(open_match()),
        "$.markets[*].propositions",
        "an empty array",
    ),
    ("sports_get_all_open", lambda: {"sports": []}, "$.sports", "an empty array"),
    ("sports_get_next_to_go", lambda: {"matches": []}, "$.matches", "an empty array"),
    (
        "sports_get_open_sport",
        lambda: body("sports", "/sports/Soccer?jurisdiction=NSW") | {"competitions": []},
        "$.competitions",
        "an empty array",
    ),
    (
        "tab_oauth_client_credentials",
        lambda: {"access_token": "", "token_type": "Bearer", "expires_in": 0, "expires_at": 1},
        "$.expires_in",
        "an integer that breaks 'exclusiveMinimum'",
    ),
]


@pytest.mark.parametrize(("tool", "make", "path", "got"), DRIFTS, ids=[f"{d[0]}:{d[2]}" for d in DRIFTS])
def test_a_drift_agents_would_notice_is_reported(tool: str, make: Callable[[], Any], path: str, got: str) -> None:
    violations = check_result(tool, make())
    assert any(v.path == path and v.got == got for v in violations), [v.sentence() for v in violations]


def test_a_renamed_price_block_reads_as_one_sentence_per_block() -> None:
    assert sentences("racing_get_race", _rename_prices(open_card())) == [
        "racing_get_race: at $.runners[*].fixedOdds the contract expects an object, but the field is missing.",
        "racing_get_race: at $.runners[*].parimutuel the contract expects an object, but the field is missing.",
    ]


def test_an_emptied_list_says_it_is_empty() -> None:
    assert sentences("racing_get_meetings", {"meetings": []}) == [
        "racing_get_meetings: at $.meetings the contract expects a non-empty array, but got an empty array."
    ]


# ----- real shapes: the reference documents each of these as real, so none of them is drift -------------------


def _fixed_odds_only_meetings() -> dict[str, Any]:
    data = meetings()
    data["meetings"] = [m for m in data["meetings"] if m.get("fixedOddsOnly")]
    return data


def _overseas_nulls_and_absent_keys() -> dict[str, Any]:
    data = _fixed_odds_only_meetings()
    data["meetings"][0] |= {"weatherCondition": None, "trackCondition": None}
    southwell = data["meetings"][1]
    assert "weatherCondition" not in southwell and "raceDistance" not in southwell["races"][0]
    return data


def _dead_heat_and_two_positions() -> dict[str, Any]:
    data = meetings()
    data["meetings"][0]["races"][0]["results"] = [[4], [2, 7]]
    data["meetings"][-1]["races"][0]["results"] = [[3], [1]]
    return data


def _integer_substitute(card: dict[str, Any]) -> dict[str, Any]:
    card["substitute"] = 6
    assert {type(p["substitute"]) for p in card["pools"]} == {str, int}
    return card


def _runners_of_2018(card: dict[str, Any]) -> dict[str, Any]:
    for runner in card["runners"]:
        runner.pop("vacantBox")
    return card


def _late_scratched_without_a_price() -> dict[str, Any]:
    card = open_card()
    scratched = next(r for r in card["runners"] if r["fixedOdds"]["bettingStatus"] == "LateScratched")
    del scratched["fixedOdds"]["returnWin"], scratched["parimutuel"]["returnWin"]
    return card


def _vacant_box_without_prices() -> dict[str, Any]:
    card = body("racing", STAR_PELAW)
    vacant = next(r for r in card["runners"] if r["vacantBox"])
    del vacant["fixedOdds"]
    return card


def _integer_ids(match: dict[str, Any]) -> dict[str, Any]:
    market = match["markets"][0]
    market["id"] = 2110444
    for n, prop in enumerate(market["propositions"]):
        prop["id"] = 764342 + n
    return match


def _tournament_structured() -> dict[str, Any]:
    competition = body("sports", "/sports/Tennis/competitions/ATP?jurisdiction=NSW")
    assert competition["matches"] == [] and competition["tournaments"]
    return competition


def _match_between_markets(match: dict[str, Any]) -> dict[str, Any]:
    match["markets"] = []
    return match


def _footytab_round_without_series() -> dict[str, Any]:
    details = body("footytab", "/footy/rounds/27?jurisdiction=NSW")
    del details["series"]
    return details


REAL_SHAPES: list[tuple[str, str, Callable[[], Any]]] = [
    (
        "fixed-odds-only meetings (no venueMnemonic, sellCode, exoticPools, _links)",
        "racing_get_meetings",
        _fixed_odds_only_meetings,
    ),
    ("nulls and absent keys on overseas meetings and races", "racing_get_meetings", _overseas_nulls_and_absent_keys),
    ("a dead heat and a two-position result", "racing_get_meetings", _dead_heat_and_two_positions),
    ("a resulted race: hasFixedOdds false, Winner/Loser prices", "racing_get_race", resulted_card),
    ("an integer race and pool substitute", "racing_get_race", lambda: _integer_substitute(open_card())),
    ("runners without vacantBox (2018)", "racing_get_race", lambda: _runners_of_2018(open_card())),
    ("a late-scratched runner without a win price", "racing_get_race", _late_scratched_without_a_price),
    ("a fixed-odds-only card: pools [], no tote, a vacant box", "racing_get_race", lambda: body("racing", STAR_PELAW)),
    ("a vacant box without any price block", "racing_get_race", _vacant_box_without_prices),
    ("integer market and proposition ids", "sports_get_open_match_in_competition", lambda: _integer_ids(open_match())),
    (
        "a match listing no market right now",
        "sports_get_open_match_in_competition",
        lambda: _match_between_markets(open_match()),
    ),
    ("a tournament-structured competition: matches []", "sports_get_open_competition", _tournament_structured),
    ("a FootyTAB round without series", "footytab_get_round_details", _footytab_round_without_series),
    ("empty jackpot lists", "racing_get_open_jackpots", lambda: {"jackpots": []}),
]


@pytest.mark.parametrize(("tool", "make"), [r[1:] for r in REAL_SHAPES], ids=[r[0] for r in REAL_SHAPES])
def test_a_documented_real_shape_is_not_drift(tool: str, make: Callable[[], Any]) -> None:
    assert sentences(tool, make()) == []
