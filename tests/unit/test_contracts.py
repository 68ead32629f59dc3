"""Response contracts: the registry covers the 26 typed tools, and a difference reads as one value-free sentence."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl

import httpx
import pytest
import yaml
from mcp import Client

from pytest_tabmcp.contracts import CONTRACTS, UNCONTRACTED_TOOLS, Violation, check_result
from pytest_tabmcp.contracts.drift import build_section, drift_property, entry_from_property, failure_message
from pytest_tabmcp.fixtures import offline_settings
from tab_mcp.server import create_server
from tests.helpers.data_sets import FIXED

ROOT = Path(__file__).resolve().parents[2]
RACE_CARD: dict[str, Any] = {
    "raceNumber": 1,
    "raceName": "MAIDEN PLATE",
    "raceStartTime": "2026-09-23T04:10:00.000Z",
    "raceStatus": "Normal",
    "hasFixedOdds": True,
    "hasParimutuel": False,
    "results": [],
    "meeting": {"meetingName": "A", "meetingDate": "2026-09-23", "location": "NSW", "raceType": "R"},
    "runners": [
        {
            "runnerName": "FAST ONE",
            "runnerNumber": 1,
            "barrierNumber": 3,
            "fixedOdds": {"returnWin": 3.4, "bettingStatus": "Open"},
        },
        {"runnerName": "SLOW ONE", "runnerNumber": 2, "barrierNumber": 1, "fixedOdds": {"bettingStatus": "Scratched"}},
    ],
}


@pytest.mark.anyio
async def test_every_tool_but_the_generic_two_has_a_contract() -> None:
    async with Client(create_server(offline_settings()), mode="legacy") as client:
        tools = {tool.name for tool in (await client.list_tools()).tools}
    assert set(CONTRACTS) == tools - UNCONTRACTED_TOOLS
    assert len(CONTRACTS) == 26


def test_a_conforming_result_with_extra_fields_and_absent_optionals_passes() -> None:
    card = copy.deepcopy(RACE_CARD) | {"brandNewField": {"x": 1}}
    assert check_result("racing_get_race", card) == []


def test_a_renamed_field_and_a_number_turned_string_give_one_sentence_each_without_values() -> None:
    card = copy.deepcopy(RACE_CARD)
    card["raceStartTimeUtc"] = card.pop("raceStartTime")
    for runner in card["runners"]:
        runner["runnerNumber"] = str(runner["runnerNumber"])  # both runners: still one difference
    card["runners"][0]["fixedOdds"]["returnWin"] = "3.40"
    sentences = [v.sentence() for v in check_result("racing_get_race", card)]
    assert sentences == [
        "racing_get_race: at $.raceStartTime the contract expects an ISO 8601 UTC timestamp, but the field is missing.",
        "racing_get_race: at $.runners[*].fixedOdds.returnWin the contract expects a number, but got a string.",
        "racing_get_race: at $.runners[*].runnerNumber the contract expects an integer, but got a string.",
    ]
    assert not any(value in " ".join(sentences) for value in ("3.40", "FAST ONE", "2026-09-23"))


def test_a_timestamp_in_another_format_is_drift() -> None:
    card = copy.deepcopy(RACE_CARD) | {"raceStartTime": "23/09/2026 14:10"}
    assert check_result("racing_get_race", card) == [
        Violation("racing_get_race", "$.raceStartTime", "an ISO 8601 UTC timestamp", "a string in another format")
    ]


def test_nullable_and_inferred_fields() -> None:
    race = {
        "raceNumber": 1,
        "raceName": "R1",
        "raceStartTime": "2026-09-22T19:16:00.000Z",
        "raceStatus": "Normal",
        "hasParimutuel": False,
        "hasFixedOdds": True,
        "results": [],
        "scratchings": [],
    }
    meeting = {
        "meetingName": "A (GBR)",
        "displayMeetingName": "A",
        "fixedOddsOnly": True,
        "location": "GBR",
        "raceType": "R",
        "meetingDate": "2026-09-23",
        "races": [race],
    }
    assert check_result("racing_get_meetings", {"meetings": [meeting | {"trackCondition": None}]}) == []
    # §11.3 is [INFERRED]: an empty object is no drift, a wrong type where a field is present is.
    assert check_result("racing_get_jackpot_pools", {}) == []
    [violation] = check_result("racing_get_jackpot_pools", {"jackpotPools": {}})
    assert (violation.path, violation.expected, violation.got) == ("$.jackpotPools", "an array", "an object")


def test_no_structured_content_and_uncontracted_tools() -> None:
    [violation] = check_result("racing_get_race", None)
    assert violation.sentence() == (
        "racing_get_race: at $ the contract expects an object, but got no structured content."
    )
    assert check_result("tab_get", {"anything": 1}) == []


def test_drift_section_merges_tests_and_counts_distinct_sentences() -> None:
    violations = check_result("racing_get_race", {**RACE_CARD, "raceNumber": "1"})
    prop = drift_property("racing_get_race", violations)
    section = build_section([entry_from_property("t::a", prop), entry_from_property("t::b", prop)])
    assert section == {"violations": 1, "tools": {"racing_get_race": prop["sentences"]}, "tests": ["t::a", "t::b"]}
    assert failure_message("racing_get_race", violations).splitlines()[1].strip() == prop["sentences"][0]


def _token_bodies_by_grant() -> dict[str, bytes]:
    """The hand-built cassette's successful token bodies, by the grant_type of their request."""
    cassette = yaml.safe_load((FIXED / "oauth.yaml").read_text(encoding="utf-8"))
    bodies: dict[str, bytes] = {}
    for interaction in cassette["interactions"]:
        if interaction["response"]["status"]["code"] == 200:
            grant = dict(parse_qsl(interaction["request"]["body"]))["grant_type"]
            bodies.setdefault(grant, interaction["response"]["body"]["string"].encode())
    return bodies


@pytest.mark.anyio
async def test_the_three_grants_over_the_cassette_bodies_meet_their_contracts(settings: Any) -> None:
    # The smoke suite calls only client_credentials (the others need account credentials live), and the
    # cassette matcher ignores request bodies, so each grant is served its own cassette body here.
    bodies = _token_bodies_by_grant()

    def answer(request: httpx.Request) -> httpx.Response:
        grant = dict(parse_qsl(request.content.decode()))["grant_type"]
        return httpx.Response(200, content=bodies[grant], headers={"content-type": "application/json"})

    # The token tools mint only with the caller's own credentials, so each call brings them.
    own = {"client_id": "PLACEHOLDER_CLIENT_ID", "client_secret": "PLACEHOLDER_CLIENT_SECRET"}
    calls = {
        "tab_oauth_client_credentials": own,
        "tab_oauth_password_grant": {**own, "username": "PLACEHOLDER_USERNAME", "password": "PLACEHOLDER_PASSWORD"},
        "tab_oauth_refresh": {**own, "refresh_token": "placeholder-refresh-token"},
    }
    async with Client(create_server(settings, transport=httpx.MockTransport(answer)), mode="legacy") as client:
        for tool, arguments in calls.items():
            result = await client.call_tool(tool, arguments)
            assert not result.is_error, tool
            assert check_result(tool, result.structured_content) == [], tool
    assert set(bodies) == {"client_credentials", "password", "refresh_token"}
