"""Shaped answers of the racing lists: dates, meetings, races, next-to-go and approximates (tabcorp-api.md §5-§11).

Each answer keeps what an agent needs to choose its next call, under TAB's own field names; the bulk (pools
history, flucs, silks, links, media) stays in the full body (``detail="full"``). Race cards and form are in
:mod:`tab_mcp.shaping.racecard`.
"""

from __future__ import annotations

from typing import Any

from tab_mcp.shaping.answer import field_schema, finish
from tab_mcp.shaping.budget import ListFit, fit
from tab_mcp.shaping.fields import ARRAY, BOOL, INT, NUM, STR, Drift, Named

__all__ = [
    "APPROXIMATES_SCHEMA",
    "DATES_SCHEMA",
    "MEETINGS_SCHEMA",
    "NEXT_TO_GO_SCHEMA",
    "RACES_SCHEMA",
    "approximates_answer",
    "dates_answer",
    "meetings_answer",
    "next_to_go_answer",
    "races_answer",
]

DATE_FIELDS = (Named("dateName", STR), Named("meetingDate", STR))
MEETING_FIELDS = (
    Named("meetingName", STR),
    Named("venueMnemonic", STR, optional=True),  # absent on fixed-odds-only meetings (§6.4)
    Named("displayMeetingName", STR, optional=True),
    Named("raceType", STR),
    Named("location", STR),
    Named("fixedOddsOnly", BOOL, optional=True),
    Named("trackCondition", STR, optional=True, nullable=True),
    Named("weatherCondition", STR, optional=True, nullable=True),
)
RACE_FIELDS = (
    Named("raceNumber", INT),
    Named("raceName", STR),
    Named("raceStartTime", STR),
    Named("raceStatus", STR),
    Named("matchName", STR, optional=True),  # how a fixed-odds-only race is addressed (§6.4)
)
RACE_DETAIL_FIELDS = (
    *RACE_FIELDS,
    Named("raceDistance", INT, optional=True),
    Named("raceClassConditions", STR, optional=True),
    Named("results", ARRAY, optional=True),
    Named("scratchings", ARRAY, optional=True),
)
NTG_MEETING_FIELDS = (
    Named("meetingName", STR),
    Named("venueMnemonic", STR, optional=True),
    Named("raceType", STR),
    Named("location", STR),
)
NTG_FIELDS = (
    Named("raceStartTime", STR),
    Named("raceNumber", INT),
    Named("raceName", STR),
    Named("raceStatus", STR, optional=True),
    Named("raceDistance", INT, optional=True),
)
APPROXIMATE_FIELDS = (Named("selections", ARRAY), Named("return", NUM))

_RACES = {"type": ARRAY, "items": field_schema(RACE_FIELDS)}
_NEXT = field_schema((*RACE_FIELDS[:3], RACE_FIELDS[4]))
DATES_SCHEMA = {"dates": {"type": ARRAY, "items": field_schema(DATE_FIELDS)}}
MEETINGS_SCHEMA = {
    "meetingDate": {"type": STR},
    "meetings": {
        "type": ARRAY,
        "items": field_schema(MEETING_FIELDS, {"races": _RACES, "raceCount": {"type": INT}, "nextRace": _NEXT}),
    },
}
RACES_SCHEMA = {"races": {"type": ARRAY, "items": field_schema(RACE_DETAIL_FIELDS)}}
NEXT_TO_GO_SCHEMA = {
    "races": {"type": ARRAY, "items": field_schema(NTG_FIELDS, {"meeting": field_schema(NTG_MEETING_FIELDS)})}
}
APPROXIMATES_SCHEMA = {"approximates": {"type": ARRAY, "items": field_schema(APPROXIMATE_FIELDS)}}


def dates_answer(data: Any) -> dict[str, Any]:
    """``racing_get_all_meeting_dates``: each date's dateName and meetingDate, today first."""
    drift = Drift()
    dates = [drift.pick(d, DATE_FIELDS, "$.dates[*]") for d in drift.items(data, "dates", "$")]
    return finish({"dates": dates}, drift)


def _race(raw: Any, drift: Drift) -> dict[str, Any]:
    race = drift.pick(raw, RACE_FIELDS, "$.meetings[*].races[*]")
    if race.get("raceName") is not None and race.get("raceName") == race.get("matchName"):
        del race["raceName"]  # fixed-odds-only races often repeat their matchName as raceName: say it once
    return race


def _matches_venue(meeting: dict[str, Any], venue: str) -> bool:
    wanted = venue.strip().casefold()
    if str(meeting.get("venueMnemonic", "")).casefold() == wanted:
        return True
    names = (meeting.get("meetingName"), meeting.get("displayMeetingName"))
    return any(isinstance(n, str) and wanted in n.casefold() for n in names)


def _summarise_meeting(meeting: dict[str, Any]) -> dict[str, Any]:
    races = meeting.get("races", [])
    upcoming = [r for r in races if r.get("raceStatus") == "Normal"]
    short = {k: v for k, v in meeting.items() if k != "races"} | {"raceCount": len(races)}
    if upcoming:
        keys = ("raceNumber", "raceName", "matchName", "raceStartTime")
        short["nextRace"] = {k: upcoming[0][k] for k in keys if k in upcoming[0]}
    return short


def _meeting_label(meeting: dict[str, Any]) -> str:
    return f"{meeting.get('meetingName', '?')} ({meeting.get('raceType', '?')})"


MEETINGS_FIT = ListFit(
    key="meetings",
    noun="meetings",
    label=_meeting_label,
    narrow="pass race_type or venue (or max_meetings) to see every race, "
    "or call racing_get_all_races_in_meeting for one meeting",
    summarise=_summarise_meeting,
    summary_drops="their race lists left out; raceCount and nextRace kept",
)


def meetings_answer(
    data: Any, *, budget: int, race_type: str | None, venue: str | None, max_meetings: int | None
) -> dict[str, Any]:
    """``racing_get_meetings``: each meeting (name, venue, type, location) and its races (number, time, status)."""
    drift = Drift()
    meetings = []
    listed = drift.items(data, "meetings", "$")
    for raw in listed:
        meeting = drift.pick(raw, MEETING_FIELDS, "$.meetings[*]")
        races = drift.items(raw, "races", "$.meetings[*]")
        meeting["races"] = [_race(r, drift) for r in races]
        meetings.append(meeting)
    date = next((m.get("meetingDate") for m in listed if isinstance(m, dict) and m.get("meetingDate")), None)
    chosen = [
        m
        for m in meetings
        if (race_type is None or m.get("raceType") == race_type) and (venue is None or _matches_venue(m, venue))
    ]
    answer: dict[str, Any] = ({"meetingDate": date} if date else {}) | {"total": len(meetings), "shown": len(chosen)}
    if max_meetings is not None and len(chosen) > max_meetings:
        extra = chosen[max_meetings:]
        chosen = chosen[:max_meetings]
        answer |= {"shown": len(chosen), "omitted": [_meeting_label(m) for m in extra]}
    answer["meetings"] = chosen
    return finish(fit(answer, MEETINGS_FIT, budget), drift)


RACES_FIT = ListFit(
    key="races",
    noun="races",
    label=lambda r: f"race {r.get('raceNumber', '?')}",
    narrow="call racing_get_race for one race",
)


def races_answer(data: Any, *, budget: int) -> dict[str, Any]:
    """``racing_get_all_races_in_meeting``: each race's number, name, time, status, distance, results, scratchings."""
    drift = Drift()
    races = [drift.pick(r, RACE_DETAIL_FIELDS, "$.races[*]") for r in drift.items(data, "races", "$")]
    return finish(fit({"total": len(races), "races": races}, RACES_FIT, budget), drift)


NEXT_TO_GO_FIT = ListFit(
    key="races",
    noun="races",
    label=lambda r: f"{r.get('meeting', {}).get('meetingName', '?')} race {r.get('raceNumber', '?')}",
    narrow="pass max_races or race_type to narrow",
)


def next_to_go_answer(data: Any, *, budget: int, race_type: str | None) -> dict[str, Any]:
    """``racing_get_next_to_go``: each race's start time, number, name and status with its meeting's identity."""
    drift = Drift()
    races = []
    for raw in drift.items(data, "races", "$"):
        race = drift.pick(raw, NTG_FIELDS, "$.races[*]")
        meeting = raw.get("meeting") if isinstance(raw, dict) else None
        race["meeting"] = drift.pick(meeting, NTG_MEETING_FIELDS, "$.races[*].meeting")
        races.append(race)
    chosen = [r for r in races if race_type is None or r["meeting"].get("raceType") == race_type]
    answer = {"total": len(races), "shown": len(chosen), "races": chosen}
    return finish(fit(answer, NEXT_TO_GO_FIT, budget), drift)


APPROXIMATES_FIT = ListFit(
    key="approximates",
    noun="approximates",
    label=lambda a: "-".join(str(s) for s in a.get("selections", [])),
    narrow="use detail='full' for every combination",
)


def approximates_answer(data: Any, *, budget: int) -> dict[str, Any]:
    """``racing_get_approximates``: each combination's selections and approximate return."""
    drift = Drift()
    items = [drift.pick(a, APPROXIMATE_FIELDS, "$.approximates[*]") for a in drift.items(data, "approximates", "$")]
    return finish(fit({"total": len(items), "approximates": items}, APPROXIMATES_FIT, budget), drift)
