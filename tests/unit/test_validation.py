"""tab_mcp.validation: a bad argument gets one sentence listing the valid values, before any request."""

from __future__ import annotations

import pytest
from mcp import Client

from tab_mcp import create_server

pytestmark = pytest.mark.anyio


RACE = {"meeting_date": "today", "race_type": "R", "venue_mnemonic": "WFM", "race_number": 2}

VALIDATION_CASES = [
    ("racing_get_meetings", {"meeting_date": "23/09/2026"}, "meeting_date '23/09/2026' is not a date: use YYYY-MM-DD"),
    ("racing_get_meetings", {"meeting_date": "2026-02-30"}, "'today', 'tomorrow' or 'futures'"),
    (
        "racing_get_meetings",
        {"meeting_date": "today", "jurisdiction": "WA"},
        "use one of NSW, VIC, QLD, SA, TAS, ACT, NT",
    ),
    ("racing_get_race", {**RACE, "race_type": "T"}, "use R (thoroughbred), H (harness) or G (greyhound)"),
    ("racing_get_race", {**RACE, "race_number": 0}, "races are numbered from 1"),
    ("racing_get_race", {**RACE, "race_number": "  "}, "race_number must not be empty"),
    ("racing_get_race", {**RACE, "venue_mnemonic": ".."}, "venue_mnemonic '..' is not a name"),
    ("racing_get_race", {**RACE, "venue_mnemonic": "W\r\nX-Injected: 1"}, "contains control characters"),
    ("racing_get_approximates", {**RACE, "wagering_product": "Lotto"}, "use one of Win, Place, Quinella"),
    ("sports_get_open_sport", {"sport_name": "   "}, "sport_name must not be empty"),
    ("sports_get_open_sport", {"sport_name": "x" * 300}, "the limit is 200"),
    ("tab_get", {"path": "https://evil.example/v1/tab-info-service/sports"}, "names a scheme or host"),
    ("tab_get", {"path": "//evil.example/v1/tab-info-service/sports"}, "names a scheme or host"),
    ("tab_get", {"path": "/v1/account-service/accounts/me"}, "is outside /v1/tab-info-service/"),
    ("tab_get", {"path": "/v1/tab-info-service/%2e%2e/account-service"}, "'..' segment"),
    ("tab_get", {"path": "/v1/tab-info-service/sports#frag"}, "fragment"),
    ("tab_get", {"path": "v1/tab-info-service/sports"}, "must be absolute"),
    ("tab_get", {"path": "/v1/tab-info-service/a\\b"}, "backslash"),
    ("tab_get", {"path": "/v1/tab-info-service/%ff"}, "not UTF-8"),
    ("tab_get", {"path": "/v1/tab-info-service/sports", "params": {"bad name": "1"}}, "is not valid"),
    ("tab_get", {"path": "/v1/tab-info-service/sports", "params": {"x": "a\r\nb"}}, "control characters"),
    ("tab_get", {"path": "/v1/tab-info-service/sports", "access_token": "two words"}, "bare token text"),
]


@pytest.mark.parametrize(("tool", "args", "fragment"), VALIDATION_CASES, ids=[c[2][:40] for c in VALIDATION_CASES])
async def test_invalid_argument_is_refused_before_any_request(upstream, settings, tool, args, fragment) -> None:
    async with Client(create_server(settings, transport=upstream.transport)) as client:
        result = await client.call_tool(tool, args)

    assert result.is_error
    assert fragment in result.content[0].text
    assert upstream.api_requests == []
