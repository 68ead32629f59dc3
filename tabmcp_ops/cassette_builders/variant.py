"""The second data set: the hand-built cassettes with other venues, names, dates and ids (NOT recorded).

The smoke suite must not be tied to one data set, so CI also runs it live over ``cassettes-alt/``, which this
module derives from the primary interactions: every date moves, venues, runners, teams, players, competitions
and tournaments are renamed, and every ``id`` changes. The rename is applied consistently to request URIs
(segment by segment, percent-decoded first), ``_links`` URLs and JSON bodies, so the data stays coherent:
the server asks for ``/meetings/R/RAN/races`` because the meetings list now says ``RAN``.
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import quote, unquote, urlsplit, urlunsplit

# Replaced wherever they occur inside a string (long, distinctive names and dates).
SUBSTRINGS: tuple[tuple[str, str], ...] = (
    ("2026-09-22", "2027-03-13"),
    ("2026-09-23", "2027-03-14"),
    ("2026-09-24", "2027-03-15"),
    ("2026-09-25", "2027-03-16"),
    ("2026-09-26", "2027-03-17"),
    ("22/09", "13/03"),
    ("WARWICK FARM", "RANDWICK"),
    ("BENDIGO", "BALLARAT"),
    ("MENANGLE", "GLOUCESTER PARK"),
    ("Star Pelaw", "Romford"),
    ("STAR PELAW", "ROMFORD"),
    ("Southwell", "Kempton"),
    ("ZOOM ZOOM", "QUICK STEP"),
    ("SALT & PEPPER", "BREAD & BUTTER"),
    ("I'VE GOT RHYTHM", "WE'VE GOT TIME"),
    ("MIDNIGHT OIL", "MORNING DEW"),
    ("KILLER KATE", "CLEVER CLARA"),
    ("FLEET FOOT", "SURE FOOT"),
    ("Wst Bulldogs", "Collingwood"),
    ("Adelaide", "Geelong"),
    ("Brighton & Hove", "Aston Villa"),
    ("Chelsea", "Everton"),
    ("English Premier League", "English Championship"),
    ("Kecmanovic", "Rublev"),
    ("Basilashvili", "Fritz"),
    ("Ebden/Purcell", "Kubler/Polmans"),
    ("Granollers/Zeballos", "Mektic/Pavic"),
    ("ATP Munich", "ATP Halle"),
)
# Replaced only as a whole value or a whole URI segment (short codes that occur inside other words).
EXACT: dict[str, str] = {"WFM": "RAN", "BEN": "BAL", "MEN": "GLP"}
ID_KEYS = frozenset({"id", "spectrumId", "spectrumUniqueId"})
ID_OFFSET = 50000


def rename(text: str) -> str:
    """Apply the renames to one string (a name, a date, a timestamp, a sentence)."""
    if text in EXACT:
        return EXACT[text]
    for old, new in SUBSTRINGS:
        text = text.replace(old, new)
    return text


def _segment(segment: str) -> str:
    plain = unquote(segment)
    renamed = rename(plain)
    if renamed == plain:
        return segment
    return quote(renamed, safe="()" if "(" in segment else "")  # keep each URL's own encoding style


def rename_url(url: str) -> str:
    """Rename a URL path segment by segment (percent-decoded first) and its query values."""
    parts = urlsplit(url)
    path = "/".join(_segment(s) for s in parts.path.split("/"))
    query = "&".join(
        f"{k}={_segment(v)}" if sep else pair
        for pair in parts.query.split("&")
        for k, sep, v in [pair.partition("=")]
        if pair
    )
    return urlunsplit((parts.scheme, parts.netloc, path, query, parts.fragment))


def _new_id(value: Any) -> Any:
    if isinstance(value, int) and not isinstance(value, bool):
        return value + ID_OFFSET
    if isinstance(value, str) and value.isdigit():
        return str(int(value) + ID_OFFSET)
    if isinstance(value, str):
        return f"Z{value}"
    return value


def transform(value: Any, key: str | None = None) -> Any:
    """Return a renamed deep copy of a JSON value (ids get new values, strings and URLs are renamed)."""
    if key in ID_KEYS:
        return _new_id(value)
    if isinstance(value, dict):
        return {k: transform(v, k) for k, v in value.items()}
    if isinstance(value, list):
        return [transform(v) for v in value]
    if isinstance(value, str):
        return rename_url(value) if value.startswith(("http://", "https://")) else rename(value)
    return value


def variant_interaction(interaction: dict[str, Any]) -> dict[str, Any]:
    """One interaction of the second data set: renamed URI and JSON body, Content-Length recomputed."""
    request = {**interaction["request"], "uri": rename_url(interaction["request"]["uri"])}
    response = dict(interaction["response"])
    body = response["body"]["string"]
    try:
        payload = json.loads(body)
    except (TypeError, ValueError):
        new_body = body
    else:
        new_body = json.dumps(transform(payload), indent=1, ensure_ascii=False)
    headers = dict(response["headers"])
    if "Content-Length" in headers:
        headers["Content-Length"] = [str(len(new_body.encode("utf-8")))]
    response.update(body={"string": new_body}, headers=headers)
    return {"request": request, "response": response}


def variant(interactions: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The second data set's version of a cassette's interactions."""
    return [variant_interaction(item) for item in interactions]
