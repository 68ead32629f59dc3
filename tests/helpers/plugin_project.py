"""The plugin tests' project: the upstream data they serve, as an inner pytester project and as a live upstream.

Offline, an inner run replays :data:`DEMO_CASSETTE`; live, the real tab-mcp HTTP app answers from
:func:`mock_upstream`, serving the same :data:`ROUTES`, so both modes see the same data.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import httpx
import pytest

__all__ = [
    "BASE",
    "DEMO_CASSETTE",
    "INNER_CONFTEST",
    "INNER_INI",
    "REPO",
    "ROUTES",
    "HeaderRecorder",
    "mock_upstream",
    "read_json",
    "write_ini",
    "yaml_interaction",
]

REPO = Path(__file__).resolve().parents[2]
BASE = "https://api.beta.tab.com.au"
INFO = "/v1/tab-info-service"
# Complete enough for the response contracts (pytest_tabmcp.contracts), which call_tool checks.
MEETINGS_LINK = f"{BASE}{INFO}/racing/dates/2026-09-23/meetings?jurisdiction=NSW"
DATES = {"dates": [{"meetingDate": "2026-09-23", "dateName": "today", "_links": {"meetings": MEETINGS_LINK}}]}
RACE = {
    "raceNumber": 1,
    "raceName": "MAIDEN PLATE",
    "raceStartTime": "2026-09-23T02:15:00.000Z",
    "raceStatus": "Normal",
    "raceDistance": 1100,
    "raceClassConditions": "MDN",
    "hasParimutuel": True,
    "hasFixedOdds": True,
    "results": [],
    "scratchings": [],
}
MEETINGS = {
    "meetings": [
        {
            "meetingName": "WARWICK FARM",
            "venueMnemonic": "WFM",
            "raceType": "R",
            "location": "NSW",
            "meetingDate": "2026-09-23",
            "sellCode": {"meetingCode": "S", "scheduledType": "R"},
            "exoticPools": [],
            "races": [RACE],
        }
    ]
}
TOKEN = {"access_token": "placeholder-access-token", "token_type": "Bearer", "expires_in": 10800}
NOT_FOUND = {"error": {"code": "RESOURCE_NOT_FOUND_ERROR", "message": "Resource not found"}}
# What the upstream answers, by method and path (query ignored: jurisdiction is always NSW here).
ROUTES: dict[tuple[str, str], tuple[int, dict]] = {
    ("GET", f"{INFO}/racing/dates"): (200, DATES),
    ("GET", f"{INFO}/racing/dates/2026-09-23/meetings"): (200, MEETINGS),
    ("GET", f"{INFO}/racing/dates/2026-09-23/meetings/R/WFM/races/99"): (404, NOT_FOUND),
    ("POST", "/oauth/token"): (200, TOKEN),
}


def yaml_interaction(method: str, path: str, status: int, body: dict) -> str:
    query = "" if method == "POST" else "?jurisdiction=NSW"
    request_body = (
        "grant_type=client_credentials&client_id=PLACEHOLDER_CLIENT_ID&client_secret=PLACEHOLDER_CLIENT_SECRET"
        if method == "POST"
        else None
    )
    return (
        "- request:\n"
        f"    body: {json.dumps(request_body)}\n"
        "    headers: {}\n"
        f"    method: {method}\n"
        f"    uri: {BASE}{path}{query}\n"
        "  response:\n"
        f"    body: {{string: {json.dumps(json.dumps(body))}}}\n"
        "    headers: {content-type: [application/json]}\n"
        f"    status: {{code: {status}, message: X}}\n"
    )


DEMO_CASSETTE = (
    "interactions:\n" + "".join(yaml_interaction(m, p, s, b) for (m, p), (s, b) in ROUTES.items()) + "version: 1\n"
)

INNER_INI = """[pytest]
addopts = --strict-markers -p no:cacheprovider -p no:randomly
filterwarnings = error
asyncio_mode = strict
asyncio_default_fixture_loop_scope = function
"""
INNER_CONFTEST = """
import pytest

@pytest.fixture
def anyio_backend():
    return "asyncio"
"""


def write_ini(pytester: pytest.Pytester, **keys: str) -> None:
    """Write the inner run's pytest.ini: the project's strictness plus ``keys`` (e.g. tabmcp_record_mode)."""
    pytester.makeini(INNER_INI + "".join(f"{key} = {value}\n" for key, value in keys.items()))


def mock_upstream(request: httpx.Request) -> httpx.Response:
    """The upstream of the live server: the ROUTES table, 404 with an info-service error otherwise."""
    status, body = ROUTES.get((request.method, request.url.path), (404, NOT_FOUND))
    return httpx.Response(status, json=body)


class HeaderRecorder:
    """ASGI middleware remembering the request headers of every HTTP request (to check live headers)."""

    def __init__(self, app: Any) -> None:
        self.app = app
        self.seen: list[dict[str, str]] = []

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] == "http":
            self.seen.append({k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]})
        await self.app(scope, receive, send)


def read_json(path: Path) -> dict:
    """Load a JSON file written by an inner run."""
    data: dict = json.loads(path.read_text(encoding="utf-8"))
    return data
