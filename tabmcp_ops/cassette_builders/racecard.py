"""Race cards for the hand-built cassettes (tabcorp-api.md §8; NOT recorded).

WARWICK FARM R1 (resulted, dead heat) and R2 (open, every documented quirk), and the fixed-odds-only Star Pelaw
race. Runner names carry apostrophes, ``&``, ``/`` and non-ASCII.
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import quote

from tabmcp_ops.cassette_builders.interactions import DATE, INFO, link
from tabmcp_ops.cassette_builders.racing import (
    STAR_PELAW,
    WFM_LEGS,
    WFM_MEETING,
    WFM_RACES,
    meetings_payload,
    race_path,
)

T = "2026-09-23T{}:00.000Z"


def _runner(
    race: int, n: int, name: str, trainer: tuple[str, str], rider: tuple[str, str], win: float, **kw: Any
) -> dict[str, Any]:
    """One race-card runner (§8.4); ``kw`` overrides top-level keys, ``fixed``/``tote`` merge into the odds."""
    fixed = {
        "returnWin": win,
        "returnWinTime": T.format("01:55"),
        "returnWinOpen": win + 1,
        "returnWinOpenDaily": win + 1,
        "returnPlace": round(1 + (win - 1) / 3, 2),
        "isFavouriteWin": False,
        "isFavouritePlace": False,
        "bettingStatus": "Open",
        "propositionNumber": 2_110_400 + 10 * race + n,
        "differential": None,
        "flucs": [
            {"returnWin": win, "returnWinTime": T.format("01:55")},
            {"returnWin": win + 1, "returnWinTime": "2026-09-22T21:05:35.738Z", "isPreviousDay": True},
        ],
        "percentageChange": -12,
        "allowPlace": True,
        **kw.pop("fixed", {}),
    }
    tote = {
        "returnWin": round(win * 1.1, 1),
        "returnPlace": 0,
        "returnExact2": 0,
        "isFavouriteWin": False,
        "isFavouritePlace": False,
        "isFavouriteExact2": False,
        "bettingStatus": "Open",
        "percentageChange": 3,
        **kw.pop("tote", {}),
    }
    seg = race_path(DATE, "R", "WFM", race)
    silk = quote("Royal Blue, White Stars, Red Cap")
    return {
        "runnerName": name,
        "runnerNumber": n,
        "barrierNumber": kw.pop("barrier", n + 2),
        "blinkers": False,
        "fixedOdds": fixed,
        "parimutuel": tote,
        "silkURL": f"{INFO}/racing/silk/{silk}",
        "trainerName": trainer[0],
        "trainerFullName": trainer[1],
        "vacantBox": False,
        "riderDriverName": rider[0],
        "riderDriverFullName": rider[1],
        "handicapWeight": 58.5 - n,
        "harnessHandicap": None,
        "claimAmount": -1,
        "last5Starts": "11x4x",
        "tcdwIndicators": None,
        "emergency": False,
        "penalty": 0,
        "dfsFormRating": 90 - n,
        "techFormRating": 88 - n,
        "totalRatingPoints": 14 - n,
        "earlySpeedRating": 70 + n,
        "earlySpeedRatingBand": "MIDFIELD",
        "_links": {"form": link(*seg, "form", n)},
        **kw,
    }


WALLER, OGRADY = ("C Waller", "CHRIS WALLER"), ("E O'Grady", "EDWARD O'GRADY")
MCEVOY, NOT_NOTIFIED = ("K McEvoy", "KERRIN MCEVOY"), ("N Notified", "NOT NOTIFIED")
SCRATCHED = {
    "fixed": {
        "bettingStatus": "LateScratched",
        "winDeduction": 6,
        "placeDeduction": 0,
        "scratchedTime": T.format("01:40"),
    },
    "tote": {"bettingStatus": "Scratched"},
}


def runners_for(race: int) -> list[dict[str, Any]]:
    """The runners of WARWICK FARM race ``race`` (1: resulted, with a dead heat; 2: open, every quirk)."""
    if race == 2:
        return [
            _runner(
                2,
                1,
                "I'VE GOT RHYTHM",
                WALLER,
                MCEVOY,
                2.25,
                last5Starts="f0",
                fixed={"isFavouriteWin": True, "isFavouritePlace": True},
                tote={
                    "marketMovers": [
                        {"returnWin": 2.4, "returnWinTime": T.format("02:00"), "specialDisplayIndicator": False},
                        {"returnWin": 3.1, "returnWinTime": T.format("01:00"), "specialDisplayIndicator": True},
                    ]
                },
            ),
            _runner(
                2, 2, "CÉLESTE", OGRADY, NOT_NOTIFIED, 6.5, claimAmount=2.5, tcdwIndicators="C W", last5Starts=None
            ),
            _runner(2, 3, "SALT & PEPPER", WALLER, ("J McDonald", "JAMES MCDONALD"), 11, **SCRATCHED),
            _runner(2, 4, "AC/DC", OGRADY, ("T Berry", "TOMMY BERRY"), 81, penalty=None, tcdwIndicators="tc"),
            _runner(2, 5, "REACHIN' OUT", WALLER, NOT_NOTIFIED, 15, emergency=True, barrier=12),
        ]
    # race 1 has been run: winner 4, dead heat 2 and 7 for second (quirk 4); 3, 5, 6 scratched.
    status = {4: "Winner", 2: "Placing", 7: "Placing"}  # Winner/Placing are [INFERRED]; Loser is [REAL]
    runners = []
    for n, name in enumerate(
        ["ZOOM ZOOM", "LADY JANE", "MIDNIGHT OIL", "FLEET FOOT", "HASTY JUDGEMENT", "RAPID BLUE", "O'REILLY'S PRIDE"], 1
    ):
        if n in (3, 5, 6):
            extra = (
                SCRATCHED
                if n == 5
                else {"fixed": {"bettingStatus": "Scratched"}, "tote": {"bettingStatus": "Scratched"}}
            )
        else:
            extra = {"fixed": {"bettingStatus": status.get(n, "Loser")}, "tote": {"bettingStatus": "Closed"}}
        runners.append(_runner(1, n, name, WALLER if n % 2 else OGRADY, MCEVOY, 3.0 + n, **extra))
    return runners


def _pool(product: str, race: int, *, substitute: Any = "NYD", **extra: Any) -> dict[str, Any]:
    pool = {
        "wageringProduct": product,
        "poolStatusCode": "Open",
        "cashOutEligibility": "Disabled",
        "legs": [],
        "poolTotal": 12000.5,
        "jackpot": 0,
        "cominglingHost": "NSW",
        "cominglingHostName": "NSW TAB",
        "cominglingGuests": True,
        "substitute": substitute,
        **extra,
    }
    if product in ("Quinella", "Exacta", "Duet"):
        pool["_links"] = {"approximates": link(*race_path(DATE, "R", "WFM", race), "pools", product, "approximates")}
    return pool


def race_card(race: int) -> dict[str, Any]:
    """``GET M/races/{n}`` for WARWICK FARM R1 (resulted) or R2 (open, with every documented quirk)."""
    summary = WFM_RACES[race - 1]
    card = {
        key: summary[key]
        for key in (
            "raceNumber",
            "raceName",
            "raceDistance",
            "raceStartTime",
            "raceClassConditions",
            "raceStatus",
            "hasParimutuel",
            "hasFixedOdds",
            "broadcastChannel",
            "broadcastChannels",
            "skyRacing",
            "willHaveFixedOdds",
            "allIn",
            "cashOutEligibility",
            "allowBundle",
            "results",
        )
    }
    card.update(
        spectrumId="WARWICK_F0",
        trackDirection="clockwise",
        apprenticesCanClaim=True,
        prizeMoney="$60000.00",
        meeting=WFM_MEETING,
        hasForm=True,
        hasEarlySpeedRatings=True,
        fixedOddsOnlineBetting=True,
        allowMulti=True,
        allowParimutuelPlace=True,
        parimutuelPlaceStatus="Open",
        allowFixedOddsPlace=True,
        numberOfPlaces=3,
        numberOfFixedOddsPlaces=3,
        isPromotionAvailable=False,
        isPromotionAvailableInVenueMode=False,
        substitute="NR",
        runners=runners_for(race),
        oddsUpdateTime=T.format("02:01"),
        fixedOddsUpdateTime=T.format("02:01"),
    )
    win_history = [{"poolTotal": 8000.0, "poolTotalTime": T.format("01:30"), "specialDisplayIndicator": False}] * 2
    card["pools"] = [
        _pool("Win", race, poolHistory=win_history),  # quirk 12: poolHistory entries can repeat
        _pool("Place", race),
        _pool("Quinella", race),
        _pool("Exacta", race),
        _pool("EarlyQuaddie", race, legNumber=1, legs=WFM_LEGS),
        _pool("Big6", race, substitute=6, name="SR", legNumber=1, legs=WFM_LEGS, poolTotal=0),  # quirk 3: int
    ]
    if race == 1:
        card["resultedTime"] = T.format("02:17")
        card["dividends"] = [
            {
                "wageringProduct": "Win",
                "poolStatusCode": "Paying",
                "jackpotCarriedOver": 0,
                "countBackLevelDescription": None,
                "poolDividends": [{"selections": [4], "amount": 7.4}],
            },
            {
                "wageringProduct": "Quinella",
                "poolStatusCode": "Paying",
                "jackpotCarriedOver": 0,
                "countBackLevelDescription": None,
                "poolDividends": [{"selections": [4, 2], "amount": 9.1}, {"selections": [4, 7], "amount": 11.2}],
            },
        ]
        return card
    card["raceComments"] = json.dumps(  # quirk 6: a JSON document inside a string; quirk 14: REACHIN OUT spelling
        {
            "comment": "I'VE GOT RHYTHM should lead and take beating. REACHIN OUT needs a scratching.",
            "runners": [1, 2, 4, 5],
            "exclusive": True,
        }
    )
    card["tips"] = [{"tipType": "Standard", "tipster": "Darren Flindell", "tipRunnerNumbers": [1, 2, 4]}]
    card["ratings"] = [{"ratingType": "Rating", "ratingRunnerNumbers": [1, 2, 4, 5]}]
    card["betTypes"] = [
        {"wageringProduct": "EarlyQuaddie", "firstLeg": {"raceNumber": 2, "venueMnemonic": "WFM", "raceType": "R"}}
    ]
    card["multiLegApproximates"] = [
        {
            "wageringProduct": "RunningDouble",
            "approximateSets": [
                {
                    "results": [{"legNumber": 1, "result": 4, "runnerName": "FLEET FOOT"}],
                    "approximates": [{"selection": 1, "return": 5.6}, {"selection": 2, "return": 14.2}],
                }
            ],
        }
    ]
    card["extraMarkets"] = [
        {
            "id": 5_120_331,
            "name": "WARWICK FARM-R2-Fav Out",
            "shortName": "Fav Out",
            "betOption": "Favourite Out",
            "message": None,
            "informationMessage": None,
            "cashOutEligibility": "Disabled",
            "refundsAndDeductions": None,
            "closeTime": T.format("02:50"),
            "bettingStatus": "Open",
            "allowWin": True,
            "allowPlace": False,
            "allowEachWay": False,
            "allowMulti": False,
            "allowMultiWin": False,
            "allowMultiPlace": False,
            "allowMultiEachWay": False,
            "numberOfPlaces": 0,
            "allowBundle": False,
            "propositions": [
                {
                    "id": "2110444",
                    "name": "CÉLESTE",
                    "returnWin": 3.6,
                    "returnPlace": 1.01,
                    "bettingStatus": "Open",
                    "allowPlace": False,
                    "sortOrder": 1,
                    "number": 2,
                    "runnerNumber": 2,
                    "isOpen": True,
                    "silkURL": f"{INFO}/racing/silk/2",
                    "_links": {"form": link(*race_path(DATE, "R", "WFM", 2), "form", 2)},
                },
                {
                    "id": "2110445",
                    "name": "REACHIN' OUT",
                    "returnWin": 9.0,
                    "returnPlace": 1.01,
                    "bettingStatus": "Reserve",
                    "allowPlace": False,
                    "sortOrder": 2,
                    "number": 5,
                    "runnerNumber": 5,
                    "isOpen": True,
                    "silkURL": f"{INFO}/racing/silk/5",
                    "_links": {"form": link(*race_path(DATE, "R", "WFM", 2), "form", 5)},
                },
            ],
        }
    ]
    card["sameRaceMultiMarkets"] = [
        {
            "id": 5_120_340,
            "name": "WARWICK FARM-R2-Top1",
            "shortName": "Top1",
            "betOption": "Top 1",
            "message": None,
            "informationMessage": None,
            "refundsAndDeductions": None,
            "bettingStatus": "Open",
            "allowMulti": False,
            "propositions": [
                {
                    "name": "I'VE GOT RHYTHM",
                    "returnWin": 2.25,
                    "returnPlace": 0,
                    "bettingStatus": "Open",
                    "allowPlace": False,
                    "number": 1,
                    "runnerNumber": 1,
                }
            ],
        }
    ]
    return card


def star_pelaw_card() -> dict[str, Any]:
    """The fixed-odds-only race, addressed by meetingName/matchName with ``fixedOdds=true`` (quirk 1)."""
    race = meetings_payload()["meetings"][3]["races"][0]
    runners = []
    for n, name in enumerate(["SWIFT LAD", "....", "BALLYMAC ÉIRE", "KILLER KATE"], 1):
        runner = {
            "runnerName": name,
            "runnerNumber": n,
            "barrierNumber": n,
            "vacantBox": name == "....",  # a vacant greyhound box (quirk 4)
            "riderDriverName": "",
            "riderDriverFullName": None,  # quirk 11: null for greyhounds while the short name is ""
            "trainerName": "P Young",
            "trainerFullName": "PATRICK YOUNG",
            "handicapWeight": 0,
            "claimAmount": -1,
            "emergency": False,
            "fixedOdds": {
                "returnWin": 0 if name == "...." else 2.5 + n,
                "returnPlace": 0 if name == "...." else 1.4,
                "bettingStatus": "Scratched" if name == "...." else "Open",
                "propositionNumber": 7_700_800 + n,
                "differential": None,
                "allowPlace": True,
            },
        }
        runners.append(runner)
    meeting = {
        "meetingName": STAR_PELAW,
        "meetingDate": DATE,
        "location": "GBR",
        "raceType": "G",
        "weatherCondition": None,
        "trackCondition": None,
    }
    keep = (
        "raceNumber",
        "raceName",
        "matchName",
        "raceStartTime",
        "raceStatus",
        "raceClassConditions",
        "raceDistance",
        "hasParimutuel",
        "hasFixedOdds",
        "broadcastChannel",
        "broadcastChannels",
        "fixedOddsOnlineBetting",
        "results",
        "_links",
    )
    return {**{k: race[k] for k in keep}, "meeting": meeting, "substitute": "NR", "pools": [], "runners": runners}
