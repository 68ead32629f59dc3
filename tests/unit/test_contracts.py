"""Response contracts: the registry covers the 26 typed tools, and a difference reads as one value-free sentence."""

from __future__ import annotations

import copy
from typing import Any

import pytest
from mcp import Client

from pytest_tabmcp.contracts import CONTRACTS, UNCONTRACTED_TOOLS, Violation, check_result
from pytest_tabmcp.contracts.drift import build_section, entry_from_property, drift_property, failure_message
from pytest_tabmcp.fixtures import offline_settings
from tab_mcp.server import create_server

RACE_CARD: dict[str, Any] = {
    "raceNumber": 1,
    "raceName": "MAIDEN PLATE",
    "raceStartTime": "2026-09-23T04:10:00.000Z",
    "raceStatus": "Normal",
    "meeting": {"meetingName": "A", "meetingDate": "2026-09-23", "location": "NSW", "raceType": "R"},
    "runners": [
        {"runnerName": "FAST ONE", "runnerNumber": 1, "fixedOdds": {"returnWin": 3.4}},
        {"runnerName": "SLOW ONE", "runnerNumber": 2, "fixedOdds": {}},
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
    meeting = {"meetingName": "A", "location": "NSW", "raceType": "R", "meetingDate": "2026-09-23", "races": []}
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


@pytest.mark.anyio
@pytest.mark.tabmcp(cassette="oauth")
@pytest.mark.offline_only
async def test_the_grants_the_smoke_suite_does_not_call_meet_their_contracts(call_tool: Any) -> None:
    # call_tool checks every result against its contract; two of these grants need account credentials live.
    # The cassette matches token requests in order (client_credentials, password, refresh), as recorded.
    await call_tool("tab_oauth_client_credentials")
    password = await call_tool(
        "tab_oauth_password_grant", {"username": "PLACEHOLDER_USERNAME", "password": "PLACEHOLDER_PASSWORD"}
    )
    refreshed = await call_tool("tab_oauth_refresh", {"refresh_token": "placeholder-refresh-token"})
    assert password.structured_content["refresh_token"] and refreshed.structured_content["access_token"]
