"""Bad input gets one sentence listing the valid values, and no request leaves the info service."""

from __future__ import annotations

import pytest
from mcp import Client

from tab_mcp import create_server
from tab_mcp.errors import InputError, PolicyError
from tab_mcp.paths import encode_segment, info_path, normalise_info_path
from tab_mcp.settings import Settings

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


async def test_tab_post_is_refused_by_default(upstream) -> None:
    async with Client(create_server(Settings(), transport=upstream.transport)) as client:
        result = await client.call_tool("tab_post", {"path": "/v1/betting-service/bets", "body": {"x": 1}})
    assert result.is_error and "TAB_ENABLE_BETTING=true" in result.content[0].text
    assert upstream.requests == []


async def test_tab_post_when_enabled_stays_under_v1(upstream) -> None:
    async with Client(create_server(Settings(enable_betting=True), transport=upstream.transport)) as client:
        ok = await client.call_tool("tab_post", {"path": "/v1/betting-service/bets", "body": {"x": 1}})
        oauth = await client.call_tool("tab_post", {"path": "/oauth/token"})
        query = await client.call_tool("tab_post", {"path": "/v1/x?y=1"})
    assert not ok.is_error
    assert oauth.is_error and "outside /v1/" in oauth.content[0].text
    assert query.is_error and "no query string" in query.content[0].text
    assert [r.url.raw_path.decode() for r in upstream.api_requests] == ["/v1/betting-service/bets"]


async def test_tab_get_rejects_non_scalar_params(upstream, settings) -> None:
    async with Client(create_server(settings, transport=upstream.transport)) as client:
        result = await client.call_tool("tab_get", {"path": "/v1/tab-info-service/sports", "params": {"a": 1.5}})
    assert not result.is_error
    assert upstream.api_requests[0].url.params["a"] == "1.5"


def test_encode_segment_leaves_nothing_safe() -> None:
    assert encode_segment("Ebden/Purcell v Granollers/Zeballos") == "Ebden%2FPurcell%20v%20Granollers%2FZeballos"
    assert encode_segment("A&B (C)'s ~x") == "A%26B%20%28C%29%27s%20~x"
    assert encode_segment(7) == "7"


def test_info_path_builds_under_the_prefix() -> None:
    assert info_path("sports", ("sport_name", "AFL Football")) == "/v1/tab-info-service/sports/AFL%20Football"


@pytest.mark.parametrize("bad", ["", ".", "..", " .. ", "a\x00b", "a\u2028b", "a\u200bb"])
def test_unsafe_segments_are_refused(bad: str) -> None:
    with pytest.raises(InputError):
        encode_segment(bad, label="sport_name")


def test_normalise_keeps_pre_encoded_links_verbatim_in_meaning() -> None:
    path, query = normalise_info_path(
        "/v1/tab-info-service/sports/AFL%20Football/competitions/A%2FB/?jurisdiction=NSW&x"
    )
    assert path == "/v1/tab-info-service/sports/AFL%20Football/competitions/A%2FB"
    assert query == [("jurisdiction", "NSW"), ("x", "")]


@pytest.mark.parametrize(
    "bad",
    [
        "/v1/tab-info-service/../../v1/account-service/accounts/me",
        "/v1/tab-info-service/%2E%2E/x",
        "/v1/tab-info-service//x",
        "/v1/tab-info-servicex/y",
        "/v1/tab-info-service/%00",
    ],
)
def test_normalise_refuses_escapes(bad: str) -> None:
    with pytest.raises(PolicyError):
        normalise_info_path(bad)


def test_normalise_refuses_overlong_and_empty_paths() -> None:
    with pytest.raises(InputError, match="limit"):
        normalise_info_path("/v1/tab-info-service/" + "a" * 3000)
    with pytest.raises(InputError, match="must not be empty"):
        normalise_info_path("   ")
