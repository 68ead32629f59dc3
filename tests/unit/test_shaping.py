"""tab_mcp.shaping: TAB's body unchanged on request, drift reported instead of nulled, lists fitted honestly."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest
import yaml
from mcp import Client

from pytest_tabmcp.contracts import check_result
from tab_mcp import create_server
from tab_mcp.settings import Settings
from tab_mcp.shaping.budget import ListFit, compact, fit
from tab_mcp.shaping.racing import meetings_answer
from tabmcp_ops.answer_sizes import fake_upstream
from tests.helpers.data_sets import FIXED

pytestmark = pytest.mark.anyio

P = "/v1/tab-info-service"
MEETINGS = f"{P}/racing/dates/2026-09-23/meetings"
CARD = f"{MEETINGS}/R/WFM/races/2"


def recorded_body(path: str) -> str:
    """The response body recorded for ``path`` in the fixture racing cassette, exactly as stored."""
    cassette = yaml.safe_load((FIXED / "racing.yaml").read_text(encoding="utf-8"))
    for interaction in cassette["interactions"]:
        if interaction["request"]["uri"].split("?")[0].endswith(path):
            return str(interaction["response"]["body"]["string"])
    raise AssertionError(f"no recorded body for {path}")


def serving(bodies: dict[str, str]) -> httpx.MockTransport:
    def handle(request: httpx.Request) -> httpx.Response:
        body = bodies[request.url.raw_path.decode().split("?")[0]]
        return httpx.Response(200, content=body.encode(), headers={"content-type": "application/json"})

    return httpx.MockTransport(handle)


@pytest.mark.parametrize(
    ("tool", "path", "args"),
    [
        ("racing_get_meetings", MEETINGS, {"meeting_date": "2026-09-23"}),
        (
            "racing_get_race",
            CARD,
            {"meeting_date": "2026-09-23", "race_type": "R", "venue_mnemonic": "WFM", "race_number": 2},
        ),
    ],
)
async def test_detail_full_returns_the_recorded_body_byte_for_byte(tool: str, path: str, args: dict[str, Any]) -> None:
    body = recorded_body(path)
    async with Client(create_server(Settings(), transport=serving({path: body}))) as client:
        full = await client.call_tool(tool, {**args, "detail": "full"})
        raw = await client.call_tool("tab_get", {"path": path})
        default = await client.call_tool(tool, args)
    assert full.content[0].text == body
    assert full.structured_content == json.loads(body)
    assert raw.content[0].text == body, "tab_get on the same path no longer returns the body"
    # The default answer is the compact shaped one, not the body pretty-printed.
    assert default.structured_content["detail"] == "summary"
    assert default.content[0].text == compact(default.structured_content)
    assert len(default.content[0].text) < len(body)


async def test_a_missing_or_retyped_field_is_reported_never_nulled() -> None:
    body = {
        "meetings": [
            {
                "meetingName": "RANDWICK",
                "raceType": "R",
                "location": "NSW",
                "venueMnemonic": 7,
                "races": [{"raceNumber": "1", "raceName": "A", "raceStartTime": "2026-09-23T01:00:00.000Z"}],
            },
        ]
    }
    answer = meetings_answer(body, budget=75_000, race_type=None, venue=None, max_meetings=None)
    meeting, race = answer["meetings"][0], answer["meetings"][0]["races"][0]
    assert "venueMnemonic" not in meeting and "raceNumber" not in race and "raceStatus" not in race
    assert answer["drift"] == [
        {"path": "$.meetings[*].races[*].raceNumber", "expected": "integer", "got": "string"},
        {"path": "$.meetings[*].races[*].raceStatus", "expected": "string", "got": "missing"},
        {"path": "$.meetings[*].venueMnemonic", "expected": "string", "got": "integer"},
    ]
    # The contract check (and so the smoke suite and the monitor) sees the shaper's findings as drift.
    sentences = [v.sentence() for v in check_result("racing_get_meetings", answer)]
    assert "racing_get_meetings: at $.meetings[*].venueMnemonic the contract expects a string, but got an integer." in (
        sentences
    )
    assert any("raceStatus" in s and "missing" in s for s in sentences)


async def test_a_body_without_its_list_is_drift_not_an_error() -> None:
    transport = fake_upstream({"racing/dates/2026-09-23/meetings": {"meetingz": []}})
    async with Client(create_server(Settings(), transport=transport)) as client:
        result = await client.call_tool("racing_get_meetings", {"meeting_date": "2026-09-23"})
    assert not result.is_error
    assert result.structured_content["drift"] == [{"path": "$.meetings", "expected": "array", "got": "missing"}]


def _items(n: int) -> list[dict[str, Any]]:
    return [{"name": f"item {k}", "bulk": "x" * 200} for k in range(n)]


SPEC = ListFit(
    key="items",
    noun="items",
    label=lambda i: i["name"],
    narrow="pass max_items to narrow",
    summarise=lambda i: {"name": i["name"]},
    summary_drops="their bulk left out",
)


def test_fit_keeps_an_answer_that_fits_untouched() -> None:
    answer = {"items": _items(3)}
    assert fit(answer, SPEC, 75_000) is answer


def test_fit_summarises_the_last_items_first_and_says_how_many() -> None:
    fitted = fit({"items": _items(40)}, SPEC, 6_000)
    assert len(compact(fitted)) <= 6_000
    assert [i["name"] for i in fitted["items"]] == [f"item {k}" for k in range(40)]
    kept_whole = sum("bulk" in i for i in fitted["items"])
    assert 0 < kept_whole < 40 and all("bulk" not in i for i in fitted["items"][kept_whole:])
    assert fitted["note"].startswith(f"The last {40 - kept_whole} of 40 items are summarised (their bulk left out)")
    assert fitted["note"].endswith("pass max_items to narrow.")


def test_fit_leaves_out_items_from_the_end_and_names_them() -> None:
    spec = ListFit(key="items", noun="items", label=lambda i: i["name"], narrow="pass max_items to narrow")
    fitted = fit({"items": _items(100)}, spec, 4_000)
    assert len(compact(fitted)) <= 4_000
    shown = fitted["shown"]
    # Named one by one up to a cap, then counted: the list of names must not itself outweigh the answer.
    named = [f"item {k}" for k in range(shown, shown + 60)]
    assert 0 < shown < 40 and fitted["omitted"] == [*named, f"... and {100 - shown - 60} more"]
    assert fitted["note"] == (
        f"{100 - shown} of 100 items were left out (named in omitted) to keep this answer within 4000 characters; "
        "pass max_items to narrow."
    )


async def test_every_shaping_tool_has_a_shaped_contract() -> None:
    from pytest_tabmcp.contracts import SHAPED_CONTRACTS

    async with Client(create_server(Settings())) as client:
        tools = (await client.list_tools()).tools
    shaping = {t.name for t in tools if "detail" in t.input_schema.get("properties", {})}
    assert shaping == set(SHAPED_CONTRACTS)
