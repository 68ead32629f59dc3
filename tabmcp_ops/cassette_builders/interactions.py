"""Shared helpers for the hand-built cassettes: request URIs, ``_links`` URLs and vcrpy interactions.

Two encodings on purpose:
- ``request_uri`` builds what the server *sends* (contract: every segment ``quote(s, safe="")``,
  ``?jurisdiction=NSW`` first, then the tool's extra params in order);
- ``link`` builds what the API *returns* in ``_links`` (tabcorp-api.md §4.5: ``/`` -> ``%2F``, ``&`` -> ``%26``,
  parentheses left raw, always ``jurisdiction=NSW``).
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import quote

HOST = "https://api.beta.tab.com.au"
INFO = HOST + "/v1/tab-info-service"
OAUTH_URI = HOST + "/oauth/token"
JURISDICTION = "NSW"
DATE = "2026-09-23"
DATE_SEGMENTS = (DATE, "today")  # every dated payload is served under both, so `today` works offline too

# What the server sends to the info-service: its bearer token, as a recording stores it (scrubbed to the
# placeholder). Offline replay matches it (pytest_tabmcp._cassettes), so a server that stops sending it misses.
INFO_HEADERS = {"Accept": ["application/json"], "Authorization": ["Bearer placeholder-access-token"]}
_REASONS = {200: "OK", 400: "Bad Request", 401: "Unauthorized", 404: "Not Found"}


def request_uri(*segments: str | int, query: tuple[tuple[str, str], ...] = (), jurisdiction: str = JURISDICTION) -> str:
    """Return the absolute URI the server requests for info-service ``segments`` (plus extra query pairs)."""
    path = "/".join(quote(str(s), safe="") for s in segments)
    pairs = [("jurisdiction", jurisdiction), *query]
    return f"{INFO}/{path}?" + "&".join(f"{k}={quote(str(v), safe='')}" for k, v in pairs)


def link(*segments: str | int, fixed_odds: bool = False, suffix: str = "") -> str:
    """Return an absolute ``_links`` URL the way the API writes it (parentheses raw; fixedOdds first)."""
    path = "/".join(quote(str(s), safe="()") for s in segments)
    query = f"fixedOdds=true&jurisdiction={JURISDICTION}" if fixed_odds else f"jurisdiction={JURISDICTION}"
    return f"{INFO}/{path}{suffix}?{query}"


def template(*segments: str | int, params: str, fixed_odds: bool = False) -> str:
    """Return a ``selfTemplate`` (RFC 6570) for ``segments`` listing optional ``params``."""
    path = "/".join(quote(str(s), safe="()") for s in segments)
    head = "fixedOdds=true&" if fixed_odds else ""
    return f"{INFO}/{path}?{head}jurisdiction={{jurisdiction}}{{&{params}}}"


def json_response(payload: Any, status: int = 200) -> dict[str, Any]:
    """Return a vcrpy response dict with a pretty JSON body (pretty so reviewers can read the quirks)."""
    body = json.dumps(payload, indent=1, ensure_ascii=False)
    return {
        "status": {"code": status, "message": _REASONS[status]},
        "headers": {
            "Content-Type": ["application/json; charset=utf-8"],
            "Content-Length": [str(len(body.encode("utf-8")))],
        },
        "body": {"string": body},
    }


def get(uri: str, payload: Any, status: int = 200) -> dict[str, Any]:
    """Return one GET interaction for ``uri`` answering ``payload``."""
    return {
        "request": {"method": "GET", "uri": uri, "body": "", "headers": dict(INFO_HEADERS)},
        "response": json_response(payload, status),
    }


def token_post(form: str, payload: Any, status: int = 200) -> dict[str, Any]:
    """Return one ``POST /oauth/token`` interaction with a form body (placeholders only)."""
    return {
        "request": {
            "method": "POST",
            "uri": OAUTH_URI,
            "body": form,
            "headers": {"Accept": ["application/json"], "Content-Type": ["application/x-www-form-urlencoded"]},
        },
        "response": json_response(payload, status),
    }


CLIENT_FORM = "client_id=PLACEHOLDER_CLIENT_ID&client_secret=PLACEHOLDER_CLIENT_SECRET"


def client_credentials() -> dict[str, Any]:
    """The client_credentials exchange every cassette starts with (the in-process server gets a token first)."""
    return token_post(
        f"grant_type=client_credentials&{CLIENT_FORM}",
        {"access_token": "placeholder-access-token", "token_type": "Bearer", "expires_in": 10800},
    )


def info_error(code: str, message: str, details: list[dict[str, str]] | None = None) -> dict[str, Any]:
    """Return an info-service error body (tabcorp-api.md §14.1)."""
    error: dict[str, Any] = {"code": code, "message": message}
    if details is not None:
        error = {"details": details, **error}
    return {"error": error}
