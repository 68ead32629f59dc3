"""Contracts of the shaped answers: what a model receives by default from each shaping tool (pytest-free).

A tool's default answer is marked ``"detail": "summary"``; ``check_result`` checks such an answer against
``SHAPED_CONTRACTS`` here, and any other result (``detail="full"``, or an undocumented body that fitted the
budget) against the full-body ``CONTRACTS`` of ``racing``/``sports``/``oauth``. A shaped answer also carries
the server's own drift findings (``drift``: a named upstream field missing or retyped): each is reported as
a violation too, so drift seen by the shaper fails the test and reaches the drift report like any other.

Required here means what the shaped answer always holds when TAB sends what the reference documents: the
envelope (``detail``), the list, and each item's identity (names and numbers the next call takes).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pytest_tabmcp.contracts.shapes import BOOL, DATE, INT, ISO_UTC, NUM, STR, Schema, array, nullable, obj

__all__ = ["SHAPED_CONTRACTS", "SUMMARY", "drift_entries", "is_shaped"]

SUMMARY = "summary"
_DETAIL: Schema = {"const": SUMMARY, "description": "the shaped answer's marker 'summary'"}
_FITTED = {"total": INT, "shown": INT, "omitted": array(STR), "note": STR}


def _answer(required: Mapping[str, Schema], optional: Mapping[str, Schema] | None = None) -> Schema:
    return obj({"detail": _DETAIL, **required}, {**_FITTED, **dict(optional or {})})


RACE = obj({"raceNumber": INT, "raceStartTime": ISO_UTC, "raceStatus": STR}, {"raceName": STR, "matchName": STR})
MEETING = obj(
    {"meetingName": STR, "raceType": STR, "location": STR},
    {
        "venueMnemonic": STR,
        "displayMeetingName": STR,
        "fixedOddsOnly": BOOL,
        "races": array(RACE),
        "raceCount": INT,
        "nextRace": obj({"raceNumber": INT}, {"raceStartTime": ISO_UTC}),
    },
)
PRICES = obj({}, {"returnWin": NUM, "returnPlace": NUM, "bettingStatus": STR})
RUNNER = obj(
    {"runnerNumber": INT, "runnerName": STR, "fixedOdds": obj({"returnWin": NUM}, PRICES["properties"])},
    {"barrierNumber": INT, "riderDriverName": STR, "trainerName": STR, "parimutuel": PRICES, "emergency": BOOL},
)
CARD_MEETING = obj({"meetingName": STR, "raceType": STR}, {"venueMnemonic": STR, "location": STR})
START = obj({"startDate": DATE}, {"finishingPosition": nullable(STR), "numberOfStarters": INT})
RUNNER_FORM = obj(
    {"runnerNumber": INT, "runnerName": STR},
    {"runnerStarts": obj({}, {"startSummaries": {"type": "object"}, "previousStarts": array(START)})},
)
PROPOSITION = obj({"name": STR}, {"returnWin": NUM, "returnPlace": NUM, "bettingStatus": STR})
MARKET = obj({"name": STR}, {"betOption": STR, "propositions": array(PROPOSITION)})
MATCH = obj({"id": STR, "name": STR, "startTime": ISO_UTC}, {"inPlay": BOOL, "markets": array(MARKET)})
COMPETITION = obj({"id": STR, "name": STR}, {"tournaments": array(obj({"name": STR}))})
SPORT = obj({"id": STR, "name": STR}, {"competitions": array(COMPETITION), "competitionCount": INT})
NEXT_RACE = obj(
    {"raceStartTime": ISO_UTC, "raceNumber": INT, "meeting": obj({"meetingName": STR, "raceType": STR})},
    {"raceName": STR, "raceStatus": STR},
)

SHAPED_CONTRACTS: dict[str, Schema] = {
    "racing_get_all_meeting_dates": _answer({"dates": array(obj({"dateName": STR, "meetingDate": DATE}))}),
    "racing_get_meetings": _answer({"total": INT, "meetings": array(MEETING)}),
    "racing_get_all_races_in_meeting": _answer({"races": array(RACE)}),
    "racing_get_race": _answer(
        {
            "raceNumber": INT,
            "raceStartTime": ISO_UTC,
            "raceStatus": STR,
            "meeting": CARD_MEETING,
            "total": INT,
            "runners": array(RUNNER),
        },
        {"raceName": STR, "results": array(array(INT)), "pools": array(obj({"wageringProduct": STR}))},
    ),
    "racing_get_next_to_go": _answer({"races": array(NEXT_RACE)}),
    "racing_get_race_form": _answer({"total": INT, "form": array(RUNNER_FORM)}),
    "racing_get_runner_form": _answer(
        {"runnerNumber": INT, "runnerName": STR}, {"runnerStarts": RUNNER_FORM["properties"]["runnerStarts"]}
    ),
    "racing_get_approximates": _answer({"approximates": array(obj({"selections": array(INT), "return": NUM}))}),
    "sports_get_all_open": _answer({"sports": array(SPORT)}),
    "sports_get_open_sport": _answer({"id": STR, "name": STR}, {"competitions": array(COMPETITION)}),
    "sports_get_open_competition": _answer({"id": STR, "name": STR, "matches": array(MATCH)}),
    "sports_get_open_tournament": _answer({"id": STR, "name": STR, "matches": array(MATCH)}),
    "sports_get_open_match_in_competition": _answer({"id": STR, "name": STR, "markets": array(MARKET)}),
    "sports_get_open_match_in_tournament": _answer({"name": STR, "markets": array(MARKET)}),
    "sports_get_next_to_go": _answer({"matches": array(obj({"id": STR, "name": STR, "startTime": ISO_UTC}))}),
    "sports_get_all_results": _answer({"sports": array(SPORT)}),
    "sports_get_resulted_sport": _answer({"id": STR, "name": STR}, {"competitions": array(COMPETITION)}),
    "sports_get_resulted_competition": _answer({"id": STR, "name": STR}, {"matches": array(MATCH)}),
}
# The undocumented bodies (jackpots, FootyTAB, a resulted match) are answered as they come while they fit the
# budget; fitted, they keep the body's keys and add the envelope, so only the envelope can be checked.
for _tool in (
    "racing_get_open_jackpots",
    "racing_get_jackpot_pools",
    "sports_get_resulted_match_in_competition",
    "footytab_get_all_rounds",
    "footytab_get_round_details",
):
    SHAPED_CONTRACTS[_tool] = _answer({}, {})


def is_shaped(data: object) -> bool:
    """Whether ``data`` is a shaped answer (``"detail": "summary"``) rather than TAB's body."""
    return isinstance(data, Mapping) and data.get("detail") == SUMMARY


def drift_entries(data: Mapping[str, Any]) -> list[tuple[str, str, str]]:
    """The server's own drift findings in a shaped answer, as (path, expected type, got type or 'missing')."""
    entries = data.get("drift")
    if not isinstance(entries, list):
        return []
    return [
        (str(e.get("path", "$")), str(e.get("expected", "?")), str(e.get("got", "?")))
        for e in entries
        if isinstance(e, Mapping)
    ]
