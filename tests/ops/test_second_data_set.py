"""The second data set is another shape, not a rename: what a smoke test could hard-code differs between the sets.

Both sets are read as the smoke suite's discovery would read them (first listed date, first TAB meeting with races,
its first race, the form's first runner, the first sport with ``_links.footytab``, the open round, ...), so a test
that hard-codes any of these for one set asks the other set for something it does not hold.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.helpers.data_sets import ALT, FIXED


@cache
def _bodies(data_set: Path, name: str) -> dict[str, Any]:
    data = yaml.safe_load((data_set / f"{name}.yaml").read_text(encoding="utf-8"))
    bodies: dict[str, Any] = {}
    for interaction in data["interactions"]:  # the first answer per URI, as replay serves it
        bodies.setdefault(interaction["request"]["uri"], json.loads(interaction["response"]["body"]["string"]))
    return bodies


def _body(data_set: Path, name: str, uri_end: str) -> Any:
    return next(body for uri, body in _bodies(data_set, name).items() if uri.endswith(uri_end))


def _discovered(data_set: Path) -> dict[str, Any]:
    """What the smoke suite discovers in a set (and could be tempted to hard-code)."""
    date = _body(data_set, "racing", "/racing/dates?jurisdiction=NSW")["dates"][0]["meetingDate"]
    meetings = _body(data_set, "racing", f"/racing/dates/{date}/meetings?jurisdiction=NSW")["meetings"]
    tab = next(m for m in meetings if m.get("venueMnemonic") and m["races"])
    race = tab["races"][0]["raceNumber"]
    prefix = f"/racing/dates/{date}/meetings/{tab['raceType']}/{tab['venueMnemonic']}/races/{race}"
    card = _body(data_set, "racing", f"{prefix}?jurisdiction=NSW")
    form = _body(data_set, "racing", f"{prefix}/form?jurisdiction=NSW")["form"]
    sports = _body(data_set, "footytab", "/sports?jurisdiction=NSW")["sports"]
    footy = next(s["name"] for s in sports if s["_links"].get("footytab"))
    rounds = next(b for u, b in _bodies(data_set, "footytab").items() if u.endswith("/footy/rounds?jurisdiction=NSW"))
    chosen = next(r["roundNumber"] for r in rounds["rounds"] if r["status"] == "Open")
    details = next(
        b for u, b in _bodies(data_set, "footytab").items() if u.endswith(f"/rounds/{chosen}?jurisdiction=NSW")
    )
    resulted = next(b for u, b in _bodies(data_set, "results").items() if "/matches/" in u)
    token = _body(data_set, "oauth", "/oauth/token")
    return {
        "date": date,
        "first meeting is fixed-odds-only": bool(meetings[0].get("fixedOddsOnly")),
        "venue": (tab["raceType"], tab["venueMnemonic"]),
        "race": race,
        "races in the meeting": len(tab["races"]),
        "runners in the card": len(card["runners"]),
        "first runner in the form": form[0]["runnerNumber"],
        "approximates pool": [p["wageringProduct"] for p in card["pools"] if p.get("_links", {}).get("approximates")],
        "open sports": [s["name"] for s in _body(data_set, "sports", "/sports?jurisdiction=NSW")["sports"]],
        "FootyTAB sport": footy,
        "FootyTAB round": chosen,
        "FootyTAB series": [s["seriesNumber"] for s in details.get("series") or []],
        "resulted markets": sorted(m["betOption"] for m in resulted["markets"]),
        "token lifetime": token["expires_in"],
    }


PRIMARY, SECOND = _discovered(FIXED), _discovered(ALT)


@pytest.mark.parametrize("what", sorted(PRIMARY))
def test_what_a_smoke_test_could_hard_code_differs_between_the_sets(what: str) -> None:
    assert PRIMARY[what] != SECOND[what], f"{what} is {PRIMARY[what]!r} in both data sets"


def test_the_sets_share_no_sport_and_only_one_has_footytab_series() -> None:
    assert not set(PRIMARY["open sports"]) & set(SECOND["open sports"])
    assert PRIMARY["FootyTAB series"] and not SECOND["FootyTAB series"]
    assert SECOND["first meeting is fixed-odds-only"] and SECOND["first runner in the form"] != 1
