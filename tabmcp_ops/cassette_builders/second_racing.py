"""Racing payloads of the second data set (``cassettes-alt/``): another shape, not a rename (NOT recorded).

Hand-built from tabcorp-api.md like the primary set, with every value invented, but shaped differently so that a
smoke test tied to the first set fails here:

- the meetings list starts with two fixed-odds-only meetings ("Kempton (GBR)", "Meadowlands (USA)"); the first TAB
  meeting is a greyhound one (THE MEADOWS, ``MEA``) whose races are listed out of number order (race 2 first: the
  reference says arrays have no reliable order), four races where the primary has three;
- the discovered race (MEA R2) has eight boxes with a vacant box and a scratching, an integer race ``substitute``
  (the 2023 form), tote and fixed prices, and its approximates are on the **Exacta** pool (ordered pairs); its
  optional lists (``extraMarkets``, ``tips``, ``betTypes``, ``scratchings`` on most races, ...) are empty;
- its form lists runners in box order from the outside in, so ``form[0]`` is runner 8, not runner 1;
- next-to-go starts with a fixed-odds-only race (no ``venueMnemonic``), and lists three races;
- the jackpots are a Quaddie at CANTERBURY (``CNB``).
"""

from __future__ import annotations

from typing import Any

from tabmcp_ops.cassette_builders.interactions import link, request_uri, template

DATE = "2027-03-14"
DATE_SEGMENTS = (DATE, "today")
T = DATE + "T{}:00.000Z"
MEA: dict[str, Any] = {
    "meetingName": "THE MEADOWS",
    "venueMnemonic": "MEA",
    "meetingDate": DATE,
    "location": "VIC",
    "raceType": "G",
    "weatherCondition": "OCAST",
    "trackCondition": "GOOD",
    "sellCode": {"meetingCode": "T", "scheduledType": "G"},
}
CNB: dict[str, Any] = {
    **MEA,
    "meetingName": "CANTERBURY",
    "venueMnemonic": "CNB",
    "location": "NSW",
    "raceType": "R",
    "weatherCondition": "FINE",
    "trackCondition": "GOOD4",
    "sellCode": {"meetingCode": "C", "scheduledType": "R"},
}
APK: dict[str, Any] = {
    **MEA,
    "meetingName": "ALBION PARK",
    "venueMnemonic": "APK",
    "location": "QLD",
    "raceType": "H",
    "weatherCondition": None,
    "trackCondition": "FAST",
    "sellCode": {"meetingCode": "A", "scheduledType": "H"},
}
KEMPTON, MEADOWLANDS = "Kempton (GBR)", "Meadowlands (USA)"
DISCOVERED = 2  # MEA race listed first in the meetings list
BOXES = ["JET SETTER", "NITRO NINA", "....", "BLUE BAYOU", "DÉJÀ VU", "ROCK 'N' ROLL", "ZIPPY ZARA", "OUTSIDE OLLIE"]
VACANT, SCRATCHED = 3, 6


def race_path(date: str, race_type: str, venue: str, number: int | str) -> tuple[str | int, ...]:
    """The info-service path segments of one race."""
    return ("racing", "dates", date, "meetings", race_type, venue, "races", number)


def summary(number: int, name: str, start: str, status: str, **extra: Any) -> dict[str, Any]:
    """A TAB race summary (§6.3) with empty optional lists unless ``extra`` says otherwise."""
    base = {
        "raceNumber": number,
        "raceClassConditions": "Grade 5",
        "raceName": name,
        "raceStartTime": T.format(start),
        "raceStatus": status,
        "raceDistance": 525,
        "hasParimutuel": True,
        "hasFixedOdds": status == "Normal",
        "broadcastChannel": "Sky Racing 2",
        "broadcastChannels": [],
        "willHaveFixedOdds": True,
        "allIn": False,
        "cashOutEligibility": "Disabled",
        "allowBundle": False,
        "results": [],
        "scratchings": [],
        "isJackpotRace": False,
    }
    return {**base, **extra}


# Listed out of number order: the open race 2 first, the resulted race 1 last.
MEA_RACES = [
    summary(
        2,
        "GREYHOUND ADOPTION STAKE",
        "09:12",
        "Normal",
        scratchings=[
            {"runnerNumber": VACANT, "runnerName": "....", "bettingStatus": "Scratched"},
            {"runnerNumber": SCRATCHED, "runnerName": BOXES[SCRATCHED - 1], "bettingStatus": "LateScratched"},
        ],
    ),
    summary(3, "MEADOWS SPRINT", "09:31", "Normal", raceDistance=321),
    summary(4, "MEADOWS MAIDEN", "09:50", "Normal", raceClassConditions="Maiden"),
    summary(1, "VETERANS STAKE", "08:53", "Paying", results=[[5], [8], [1], [2]]),
]
CNB_RACES = [
    summary(1, "CANTERBURY CUP", "06:30", "Normal", raceDistance=1550, raceClassConditions="BM72", isJackpotRace=True)
]
APK_RACES = [summary(1, "ALBION PARK PACE", "10:05", "Normal", raceDistance=1660, raceClassConditions="C2")]


def _fixed_only_race(meeting: str, race_type: str, number: int, match: str, start: str, **extra: Any) -> dict[str, Any]:
    seg = ("racing", "dates", DATE, "meetings", race_type, meeting, "races", match)
    race = {
        "raceNumber": number,
        "raceName": f"Race {number}",
        "matchName": match,
        "raceStatus": "Normal",
        "hasParimutuel": False,
        "hasFixedOdds": True,
        "broadcastChannel": None,
        "broadcastChannels": [],
        "raceStartTime": f"2027-03-13T{start}:00.000Z",  # quirk 5: the previous UTC day
        "meetingDate": DATE,
        "fixedOddsOnlineBetting": True,
        "results": [],
        "scratchings": [],
        "isJackpotRace": False,
        "_links": {
            "self": link(*seg, fixed_odds=True),
            "selfTemplate": template(*seg, params="channelType,cashSales,homeState", fixed_odds=True),
        },
    }
    return {**race, **extra}


def _tab_meeting(info: dict[str, Any], races: list[Any], prize: str, pools: list[Any]) -> dict[str, Any]:
    seg = ("racing", "dates", DATE, "meetings", info["raceType"], info["venueMnemonic"])
    return {
        **{k: info[k] for k in ("meetingName", "location", "raceType", "meetingDate")},
        "prizeMoney": prize,
        **{k: info[k] for k in ("weatherCondition", "trackCondition", "venueMnemonic", "sellCode")},
        "railPosition": None,
        "exoticPools": pools,
        "_links": {"races": link(*seg, "races")},
        "races": races,
    }


def meetings_payload() -> dict[str, Any]:
    """Two fixed-odds-only meetings first, then THE MEADOWS (G), CANTERBURY (R) and ALBION PARK (H)."""
    kempton = {
        "meetingName": KEMPTON,
        "displayMeetingName": "Kempton",
        "location": "GBR",
        "raceType": "R",
        "meetingDate": DATE,
        "fixedOddsOnly": True,
        "races": [
            _fixed_only_race(KEMPTON, "R", 3, "KEMPTON R03 13/03", "18:05", raceDistance=2000),
            _fixed_only_race(KEMPTON, "R", 4, "KEMPTON R04 13/03", "18:40", raceClassConditions="HCP"),
        ],
    }
    meadowlands = {
        "meetingName": MEADOWLANDS,
        "displayMeetingName": "Meadowlands",
        "location": "USA",
        "raceType": "H",
        "meetingDate": DATE,
        "weatherCondition": None,
        "trackCondition": None,
        "fixedOddsOnly": True,
        "races": [_fixed_only_race(MEADOWLANDS, "H", 9, "MEADOWLANDS R09 13/03", "23:55")],
    }
    quaddie = {
        "wageringProduct": "Quaddie",
        "poolStatusCode": "Open",
        "cashOutEligibility": "Disabled",
        "startTime": T.format("06:30"),
        "legs": [],
        "jackpot": 12500.0,
        "poolTotal": 3100.5,
    }
    return {
        "meetings": [
            kempton,
            meadowlands,
            _tab_meeting(MEA, MEA_RACES, "$19000.00", []),
            _tab_meeting(CNB, CNB_RACES, "$150000.00", [quaddie]),
            _tab_meeting(APK, APK_RACES, "$12000.00", []),
        ]
    }


def races_payload(info: dict[str, Any], races: list[dict[str, Any]]) -> dict[str, Any]:
    """``GET M/races``: the summaries in the meetings list's order, each with ``_links.self`` and ``_links.form``."""
    out = []
    for race in races:
        seg = race_path(DATE, info["raceType"], info["venueMnemonic"], race["raceNumber"])
        out.append({**race, "_links": {"self": link(*seg), "form": link(*seg, "form")}})
    return {"races": out}


def _prices(n: int, *, tote: bool) -> dict[str, Any]:
    if n == VACANT:
        return {"returnWin": 0, "returnPlace": 0, "bettingStatus": "Scratched"}
    if n == SCRATCHED:
        status = "Scratched" if tote else "LateScratched"
        return {"returnWin": 0, "bettingStatus": status} | ({} if tote else {"winDeduction": 4, "placeDeduction": 1})
    win = 1.9 + n * 1.35
    block = {
        "returnWin": round(win * (1.08 if tote else 1), 2),
        "returnPlace": 0 if tote else 1.6,
        "bettingStatus": "Open",
    }
    return block | ({} if tote else {"propositionNumber": 3_300_500 + n, "differential": None, "flucs": []})


def runners() -> list[dict[str, Any]]:
    """The eight boxes of MEA R2 (box 3 vacant, box 6 late-scratched), greyhound-style rider fields."""
    seg = race_path(DATE, "G", "MEA", DISCOVERED)
    return [
        {
            "runnerName": name,
            "runnerNumber": n,
            "barrierNumber": n,
            "vacantBox": n == VACANT,
            "emergency": False,
            "fixedOdds": _prices(n, tote=False),
            "parimutuel": _prices(n, tote=True),
            "trainerName": "" if n == VACANT else "J Ray",
            "trainerFullName": "" if n == VACANT else "JASON RAY",
            "riderDriverName": "",
            "riderDriverFullName": None,
            "handicapWeight": 0,
            "claimAmount": -1,
            "last5Starts": None if n == VACANT else "1234",
            "_links": {"form": link(*seg, "form", n)},
        }
        for n, name in enumerate(BOXES, 1)
    ]


def _pool(product: str, total: float, *, approximates: bool = False) -> dict[str, Any]:
    pool = {
        "wageringProduct": product,
        "poolStatusCode": "Open",
        "cashOutEligibility": "Disabled",
        "legs": [],
        "poolTotal": total,
        "jackpot": 0,
        "substitute": "NYD",
    }
    if approximates:
        pool["_links"] = {
            "approximates": link(*race_path(DATE, "G", "MEA", DISCOVERED), "pools", product, "approximates")
        }
    return pool


def race_card() -> dict[str, Any]:
    """``GET M/races/2`` at THE MEADOWS: open, eight boxes, approximates on the Exacta pool only."""
    listed = MEA_RACES[0]
    keep = ("raceNumber", "raceName", "raceDistance", "raceStartTime", "raceClassConditions", "raceStatus")
    return {
        **{k: listed[k] for k in keep},
        **{k: listed[k] for k in ("hasParimutuel", "hasFixedOdds", "willHaveFixedOdds", "results", "scratchings")},
        "meeting": MEA,
        "substitute": 0,  # the 2023 integer form [REAL-DTO]
        "runners": runners(),
        "pools": [
            _pool("Win", 2210.4),
            _pool("Place", 1130.0),
            _pool("Exacta", 840.25, approximates=True),
            _pool("Trifecta", 1905.0),
        ],
        "extraMarkets": [],
        "sameRaceMultiMarkets": [],
        "multiLegApproximates": [],
        "betTypes": [],
        "tips": [],
        "ratings": [],
    }


def fixed_only_card() -> dict[str, Any]:
    """The first Kempton race, addressed by its names with ``fixedOdds=true``: fixed prices only, ``pools: []``."""
    race = meetings_payload()["meetings"][0]["races"][0]
    meeting = {"meetingName": KEMPTON, "meetingDate": DATE, "location": "GBR", "raceType": "R"}
    field = [
        {
            "runnerName": name,
            "runnerNumber": n,
            "barrierNumber": 10 - n,
            "fixedOdds": {"returnWin": 2.0 + n, "bettingStatus": "Open"},
        }
        for n, name in enumerate(["HAMPTON COURT", "LUCKY STRIKE", "O'SULLIVAN'S WAY"], 1)
    ]
    return {**race, "meeting": meeting, "pools": [], "runners": field}


def kempton_path(date: str) -> tuple[str | int, ...]:
    """The request segments of the first Kempton race (names in the path)."""
    return race_path(date, "R", KEMPTON, "KEMPTON R03 13/03")


def kempton_uri(date: str) -> str:
    """The request URI of the first Kempton race (``fixedOdds=true``)."""
    return request_uri(*kempton_path(date), query=(("fixedOdds", "true"),))
