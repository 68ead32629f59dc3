"""More racing payloads (dates, next-to-go, form, approximates, jackpots) and the racing cassette itself.

Hand-built from tabcorp-api.md; NOT recorded. See cassettes/README.md for the confidence of each field.
"""

from __future__ import annotations

from typing import Any

from tabmcp_ops.cassette_builders.interactions import DATE, DATE_SEGMENTS, client_credentials, get, link, request_uri
from tabmcp_ops.cassette_builders.racecard import race_card, runners_for, star_pelaw_card
from tabmcp_ops.cassette_builders.racing import (
    BEN_RACES,
    ENC_STAR,
    MEN_RACES,
    WFM_MEETING,
    WFM_RACES,
    meetings_payload,
    race_path,
    races_payload,
)

T = "2026-09-23T{}:00.000Z"


def dates_payload() -> dict[str, Any]:
    """``GET /racing/dates``: ``dates[0]`` is today (2026-09-23); top-level ``_links`` is [INFERRED]."""
    days = [("2026-09-23", "today"), ("2026-09-24", "tomorrow"), ("2026-09-25", "Friday")]
    return {
        "dates": [
            {"meetingDate": d, "dateName": name, "_links": {"meetings": link("racing", "dates", d, "meetings")}}
            for d, name in days
        ],
        "_links": {"self": link("racing", "dates")},
    }


def next_to_go(max_races: int | None, recently_closed: bool) -> dict[str, Any]:
    """``GET /racing/next-to-go/races``: mixed states and countries whatever the jurisdiction (quirk 16)."""

    def item(meeting: dict[str, Any], number: int, name: str, start: str, status: str, distance: int) -> dict[str, Any]:
        seg = race_path(DATE, meeting["raceType"], meeting["venueMnemonic"], number)
        return {
            "raceStartTime": T.format(start),
            "raceNumber": number,
            "raceName": name,
            "raceDistance": distance,
            "raceStatus": status,
            "raceClassConditions": "BM65 CG",
            "hasFixedOdds": status == "Normal",
            "broadcastChannel": "Sky Racing 1",
            "broadcastChannels": ["Sky Racing 1"],
            "meeting": {**meeting, "railPosition": meeting.get("railPosition")},
            "_links": {"self": link(*seg), "form": link(*seg, "form"), "bigBets": link(*seg, "big-bets")},
        }

    ips = {
        "meetingName": "IPSWICH",
        "venueMnemonic": "IPS",
        "meetingDate": DATE,
        "location": "QLD",
        "raceType": "G",
        "weatherCondition": "FINE",
        "trackCondition": "GOOD",
        "sellCode": {"meetingCode": "B", "scheduledType": "G"},
    }
    ben = {
        **ips,
        "meetingName": "BENDIGO",
        "venueMnemonic": "BEN",
        "location": "VIC",
        "sellCode": {"meetingCode": "T", "scheduledType": "G"},
    }
    men = {
        **ips,
        "meetingName": "MENANGLE",
        "venueMnemonic": "MEN",
        "location": "NSW",
        "raceType": "H",
        "trackCondition": "FAST",
        "sellCode": {"meetingCode": "M", "scheduledType": "H"},
    }
    wfm = {**WFM_MEETING, "railPosition": "+5m 1000m to Winning Post , +3m Remainder"}
    races = [
        item(wfm, 2, "ROSEHILL GARDENS HANDICAP", "02:50", "Normal", 1400),
        item(ips, 3, "IPSWICH SPRINT", "02:58", "Normal", 431),
        item(wfm, 3, "SKY RACING PLATE", "03:25", "Normal", 1600),
        item(men, 1, "MENANGLE PACE", "07:30", "Normal", 1609),
        item(ben, 2, "BENDIGO FREE FOR ALL", "08:24", "Normal", 500),
    ]
    if recently_closed:  # [INFERRED]: recently closed races come first, with their closed status
        races.insert(0, item(ips, 2, "IPSWICH STAKE", "02:41", "Closed", 431))
        races.insert(0, item(wfm, 1, "KIA OVAL MAIDEN PLATE", "02:15", "Interim", 1100))
    return {"races": races[:max_races] if max_races else races}


def _previous_starts() -> tuple[dict[str, Any], dict[str, Any]]:
    """One last start and one barrier trial (a trial carries no margin, odds, position in run or time)."""
    start = {
        "startType": "LastStarts",
        "startDate": "2026-09-02",
        "raceNumber": 4,
        "finishingPosition": "7",
        "numberOfStarters": 12,
        "draw": 5,
        "margin": "6.16",
        "venueAbbreviation": "RAND",
        "distance": 1200,
        "class": "MDN",
        "handicap": "55.0",
        "rider": "K MCEVOY",
        "startingPosition": 5,
        "odds": "10.00",
        "winnerOrSecond": "FAST LANE",
        "positionInRun": "8-8",
        "trackCondition": "SOFT5",
        "time": "1:10.15",
        "stewardsComment": "Slow to begin.",
    }
    trial = {
        **start,
        "startType": "Trial",
        "finishingPosition": "1",
        "margin": None,
        "odds": None,
        "positionInRun": None,
        "time": None,
        "handicap": None,
        "skyRacing": "https://mediatabs.skyracing.com.au/Trials/RAND0820T_V.mp4",
    }
    return start, trial


def runner_form(race: int, runner: dict[str, Any]) -> dict[str, Any]:
    """Runner form (§10.2): strings for finishingPosition/margin/odds, upper-case trainer (quirks 3, 14)."""
    summary = {"numberOfStarts": 6, "numberOfWins": 2, "numberOfPlacings": 1}
    runner_keys = (
        "overall track firm good dead slow soft heavy distance classSame classStronger firstUp secondUp trackDistance"
    ).split()
    start, trial = _previous_starts()
    n = runner["runnerNumber"]
    return {
        "runnerNumber": n,
        "runnerName": runner["runnerName"],
        "prizeMoney": "$98453.00",
        "last20Starts": "f11x4x",
        "sire": "REGAL WINKS (NZ)",
        "dam": "CÉLESTINE",
        "age": 3,
        "fieldStrength": 92,
        "sex": "Filly",
        "colour": "B",
        "classLevel": "up",
        "formComment": "Forward showing when resuming.",
        "formComments": [{"source": "Racing Dept", "title": "Form", "comment": "Sharp trial."}],
        "daysSinceLastRun": 21,
        "handicapWeight": runner["handicapWeight"],
        "blinkers": False,
        "runsSinceSpell": 2,
        "riderOrDriver": "Kerrin McEvoy",
        "riderOrDriverSex": "Male",
        "trainerName": runner["trainerFullName"],  # full upper-case name here, short on the race card
        "trainerLocation": "Rosehill",
        "runnerStarts": {"startSummaries": {k: summary for k in runner_keys}, "previousStarts": [start, trial]},
        "trainerStarts": {
            "startSummaries": {k: summary for k in ("track", "region", "last30Days", "last12Months", "jockey")},
            "previousStarts": [{**start, "runner": runner["runnerName"]}],
        },
        "riderDriverStarts": {
            "startSummaries": {k: summary for k in ("track", "region", "last30Days", "last12Months", "runner")},
            "previousStarts": [],
        },
        "winningDistances": [{"winningDistance": 1100, "numberOfWinsAtDistance": 2}],
        "_links": {"self": link(*race_path(DATE, "R", "WFM", race), "form", n)},
    }


def approximates(race: int) -> dict[str, Any]:
    """Quinella approximates: ``selections``/``return`` are [CLIENT]; the other keys are [INFERRED]."""
    pairs = [([1, 2], 4.6), ([1, 4], 38.0), ([2, 4], 120.5)] if race == 2 else [([2, 4], 9.1), ([4, 7], 11.2)]
    seg = race_path(DATE, "R", "WFM", race)
    return {
        "wageringProduct": "Quinella",
        "approximates": [{"selections": s, "return": r} for s, r in pairs],
        "_links": {"self": link(*seg, "pools", "Quinella", "approximates")},
    }


def jackpots() -> dict[str, Any]:
    """``GET /racing/jackpots``: no sample is documented; this shape is [INFERRED] (SDM hint)."""
    return {
        "jackpots": [{"poolType": "Big6", "meeting": "WARWICK FARM", "amount": 25000.0}],
        "_links": {"self": link("racing", "jackpots")},
    }


def jackpot_pools() -> dict[str, Any]:
    """``GET /racing/dates/{date}/jackpot-pools``: entirely [INFERRED]."""
    return {
        "jackpotPools": [
            {
                "wageringProduct": "Big6",
                "meetingName": "WARWICK FARM",
                "venueMnemonic": "WFM",
                "raceType": "R",
                "jackpot": 25000.0,
                "poolTotal": 0,
            }
        ],
        "_links": {"self": link("racing", "dates", DATE, "jackpot-pools")},
    }


def racing_cassette() -> list[dict[str, Any]]:
    """Every racing interaction, each dated one under both ``2026-09-23`` and ``today``."""
    out = [client_credentials(), get(request_uri("racing", "dates"), dates_payload())]
    for d in DATE_SEGMENTS:
        out.append(get(request_uri("racing", "dates", d, "meetings"), meetings_payload()))
        for venue, rtype, races in (("WFM", "R", WFM_RACES), ("BEN", "G", BEN_RACES), ("MEN", "H", MEN_RACES)):
            out.append(
                get(
                    request_uri("racing", "dates", d, "meetings", rtype, venue, "races"),
                    races_payload(venue, rtype, races),
                )
            )
        for race in (1, 2):
            seg = race_path(d, "R", "WFM", race)
            runners = runners_for(race)
            out.append(get(request_uri(*seg), race_card(race)))
            out.append(get(request_uri(*seg, "form"), {"form": [runner_form(race, r) for r in runners]}))
            out.append(get(request_uri(*seg, "form", 1), runner_form(race, runners[0])))
            out.append(get(request_uri(*seg, "pools", "Quinella", "approximates"), approximates(race)))
        star = (*ENC_STAR[:2], d, *ENC_STAR[3:])
        out.append(get(request_uri(*star, query=(("fixedOdds", "true"),)), star_pelaw_card()))
        out.append(get(request_uri("racing", "dates", d, "jackpot-pools"), jackpot_pools()))
    for max_races in (None, 5, 10):
        for closed in (False, True):
            query = ((("maxRaces", str(max_races)),) if max_races else ()) + (
                (("includeRecentlyClosed", "true"),) if closed else ()
            )
            out.append(get(request_uri("racing", "next-to-go", "races", query=query), next_to_go(max_races, closed)))
    out.append(get(request_uri("racing", "jackpots"), jackpots()))
    return out
