"""Racing payloads for the hand-built cassettes (shapes from tabcorp-api.md §5-§11; NOT recorded).

Meetings on 2026-09-23: WARWICK FARM (R, WFM, NSW), BENDIGO (G, BEN, VIC), MENANGLE (H, MEN, NSW) and two
fixed-odds-only overseas meetings, "Star Pelaw (GBR)" and "Southwell (GBR)". Values are invented; field
names, nesting, JSON types and the quirks are the documented ones.
"""

from __future__ import annotations

from typing import Any

from tabmcp_ops.cassette_builders.interactions import DATE, link, template

T = "2026-09-23T{}:00.000Z"  # raceStartTime is UTC (quirk 5)
WFM_MEETING = {
    "meetingName": "WARWICK FARM",
    "venueMnemonic": "WFM",
    "meetingDate": DATE,
    "location": "NSW",
    "raceType": "R",
    "weatherCondition": "FINE",
    "trackCondition": "SOFT5",
    "sellCode": {"meetingCode": "S", "scheduledType": "R"},
}
STAR_PELAW = "Star Pelaw (GBR)"
STAR_PELAW_RACE = "STAR PELAW R08 22/09 PLC 1-2"


def race_path(date: str, race_type: str, venue: str, number: int | str) -> tuple[str | int, ...]:
    """The info-service path segments of one race."""
    return ("racing", "dates", date, "meetings", race_type, venue, "races", number)


def _summary(number: int, name: str, cls: str, start: str, status: str, distance: int, **extra: Any) -> dict[str, Any]:
    """A race summary as listed inside a TAB meeting (§6.3)."""
    base = {
        "raceNumber": number,
        "raceClassConditions": cls,
        "raceName": name,
        "raceStartTime": T.format(start),
        "raceStatus": status,
        "raceDistance": distance,
        "hasParimutuel": True,
        "hasFixedOdds": status == "Normal",  # quirk 15: false once the fixed market is closed
        "broadcastChannel": "Sky Racing 1",
        "broadcastChannels": ["Sky Racing 1"],
        "skyRacing": {
            "audio": f"https://mediatabs.skyracing.com.au/Audio_Replay/{DATE}_{number}.mp3",
            "video": f"https://mediatabs.skyracing.com.au/Race_Replay/{DATE}_{number}.mp4",
        },
        "willHaveFixedOdds": True,
        "allIn": False,
        "cashOutEligibility": "Enabled",
        "allowBundle": True,
        "results": [],
        "scratchings": [],
        "isJackpotRace": False,
    }
    return {**base, **extra}


def _scr(number: int, name: str, status: str = "Scratched") -> dict[str, Any]:
    return {"runnerNumber": number, "runnerName": name, "bettingStatus": status}


# Quirk 4: dead heat for second, scratchings unsorted with the late one appended.
WFM_RACES = [
    _summary(
        1,
        "KIA OVAL MAIDEN PLATE",
        "MDN",
        "02:15",
        "Paying",
        1100,
        results=[[4], [2, 7]],
        scratchings=[_scr(6, "RAPID BLUE"), _scr(3, "MIDNIGHT OIL"), _scr(5, "HASTY JUDGEMENT", "LateScratched")],
    ),
    _summary(
        2,
        "ROSEHILL GARDENS HANDICAP",
        "BM65 CG",
        "02:50",
        "Normal",
        1400,
        scratchings=[_scr(3, "SALT & PEPPER", "LateScratched")],
        isJackpotRace=True,
    ),
    _summary(3, "SKY RACING PLATE", "3YO+ MDN FM", "03:25", "Normal", 1600),
]
BEN_RACES = [
    _summary(
        1,
        "GRV VIC BRED SERIES",
        "4th/5th Grade",
        "08:04",
        "Paying",
        425,
        results=[[1], [6], [3], [8]],
        scratchings=[_scr(4, "...."), _scr(2, "MISS MOLLY", "LateScratched")],
    ),  # "...." = vacant box
    _summary(2, "BENDIGO FREE FOR ALL", "Free For All", "08:24", "Normal", 500, hasFixedOdds=False),
]
MEN_RACES = [_summary(1, "MENANGLE PACE", "NR 50-60", "07:30", "Normal", 1609, broadcastChannel=None)]


def _tab_meeting(
    info: dict[str, Any], races: list[Any], *, prize: str, rail: str | None, pools: list[Any]
) -> dict[str, Any]:
    seg = ("racing", "dates", DATE, "meetings", info["raceType"], info["venueMnemonic"])
    return {
        "meetingName": info["meetingName"],
        "location": info["location"],
        "raceType": info["raceType"],
        "meetingDate": DATE,
        "prizeMoney": prize,
        "weatherCondition": info["weatherCondition"],
        "trackCondition": info["trackCondition"],
        "railPosition": rail,
        "venueMnemonic": info["venueMnemonic"],
        "sellCode": info["sellCode"],
        "exoticPools": pools,
        "_links": {"races": link(*seg, "races")},  # quirk 9: meeting-level links only on TAB meetings
        "races": races,
    }


def _leg(leg: int, race: int, start: str) -> dict[str, Any]:
    return {"legNumber": leg, "raceNumber": race, "venueMnemonic": "WFM", "raceType": "R", "startTime": T.format(start)}


WFM_LEGS = [_leg(1, 2, "02:50"), _leg(2, 3, "03:25")]
WFM_EXOTICS = [
    {
        "wageringProduct": "EarlyQuaddie",
        "poolStatusCode": "Open",
        "cashOutEligibility": "Disabled",
        "multiLegApproximatesAvailable": True,
        "startTime": T.format("02:50"),
        "nextRaceToJump": WFM_LEGS[0],
        "legs": WFM_LEGS,
        "jackpot": 0,
        "poolTotal": 73257.53,
    },
    {
        "wageringProduct": "Big6",
        "name": "SR",
        "poolStatusCode": "Open",
        "cashOutEligibility": "Disabled",
        "startTime": T.format("02:50"),
        "nextRaceToJump": WFM_LEGS[0],
        "legs": WFM_LEGS,
        "jackpot": 25000.0,
        "poolTotal": 0,
    },
]
ENC_STAR = ("racing", "dates", DATE, "meetings", "G", STAR_PELAW, "races", STAR_PELAW_RACE)


def _fixed_only_race(number: int, match: str, start: str, *, meeting: str, rtype: str, **extra: Any) -> dict[str, Any]:
    seg = ("racing", "dates", DATE, "meetings", rtype, meeting, "races", match)
    race = {
        "raceNumber": number,
        "raceStatus": "Normal",
        "hasParimutuel": False,
        "hasFixedOdds": True,
        "broadcastChannel": None,
        "broadcastChannels": [],
        "willHaveFixedOdds": True,
        "allIn": False,
        "cashOutEligibility": "Disabled",
        "allowBundle": False,
        "raceStartTime": f"2026-09-22T{start}:00.000Z",  # quirk 5: previous UTC day
        "meetingDate": DATE,
        "raceName": match,
        "matchName": match,
        "fixedOddsOnlineBetting": True,
        "results": [],
        "scratchings": [],
        "isJackpotRace": False,
        "_links": {
            "self": link(*seg, fixed_odds=True),
            "selfTemplate": template(
                *seg, params="channelType,cashSales,homeState,returnPromo,returnOffers", fixed_odds=True
            ),
            "self:all-channels": link(*seg, fixed_odds=True, suffix="/all-channels"),
        },
    }
    return {**race, **extra}


def _overseas_meetings() -> list[dict[str, Any]]:
    """Two fixed-odds-only overseas meetings (quirk 1), one lacking the optional condition fields (quirk 10)."""
    star = {
        "meetingName": STAR_PELAW,
        "displayMeetingName": "Star Pelaw",
        "location": "GBR",
        "raceType": "G",
        "meetingDate": DATE,
        "weatherCondition": None,
        "trackCondition": None,
        "fixedOddsOnly": True,
        "races": [
            _fixed_only_race(
                8, STAR_PELAW_RACE, "19:16", meeting=STAR_PELAW, rtype="G", raceClassConditions="A5", raceDistance=435
            )
        ],
    }
    # quirk 10: Southwell lacks weatherCondition/trackCondition (meeting) and raceClassConditions/raceDistance (race);
    # some overseas races have only 2 positions (quirk 4).
    south = {
        "meetingName": "Southwell (GBR)",
        "displayMeetingName": "Southwell",
        "location": "GBR",
        "raceType": "R",
        "meetingDate": DATE,
        "fixedOddsOnly": True,
        "races": [
            _fixed_only_race(
                6,
                "SOUTHWELL R06 22/09",
                "17:40",
                meeting="Southwell (GBR)",
                rtype="R",
                raceName="Race 6",
                raceStatus="Paying",
                hasFixedOdds=False,
                results=[[3], [1]],
            )
        ],
    }
    return [star, south]


def meetings_payload() -> dict[str, Any]:
    """``GET /racing/dates/{date}/meetings``: three TAB meetings and two fixed-odds-only ones (quirk 1)."""
    ben = {
        **WFM_MEETING,
        "meetingName": "BENDIGO",
        "venueMnemonic": "BEN",
        "location": "VIC",
        "raceType": "G",
        "weatherCondition": "OCAST",
        "trackCondition": "GOOD",
        "sellCode": {"meetingCode": "T", "scheduledType": "G"},
    }
    men = {
        **WFM_MEETING,
        "meetingName": "MENANGLE",
        "venueMnemonic": "MEN",
        "raceType": "H",
        "weatherCondition": None,
        "trackCondition": "FAST",
        "sellCode": {"meetingCode": "M", "scheduledType": "H"},
    }
    return {
        "meetings": [
            _tab_meeting(
                WFM_MEETING,
                WFM_RACES,
                prize="$460000.00",
                rail="+5m 1000m to Winning Post , +3m Remainder",
                pools=WFM_EXOTICS,
            ),
            _tab_meeting(ben, BEN_RACES, prize="$28000.00", rail=None, pools=[]),
            _tab_meeting(men, MEN_RACES, prize="$41000.00", rail="True", pools=[]),
            *_overseas_meetings(),
        ]
    }


def races_payload(venue: str, race_type: str, races: list[dict[str, Any]]) -> dict[str, Any]:
    """``GET M/races``: summaries, no runners; each with ``_links.self`` and ``_links.form`` [CLIENT]."""
    out = []
    for race in races:
        seg = race_path(DATE, race_type, venue, race["raceNumber"])
        out.append({**race, "_links": {"self": link(*seg), "form": link(*seg, "form")}})
    return {"races": out}
