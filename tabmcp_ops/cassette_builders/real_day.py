"""Real-size racing bodies, generated (deterministic, never committed): a busy day as TAB serves it.

The hand-built cassettes are small; these bodies have the size of the 2026-09-23 NSW captures (tabcorp-api.md
§15 WS): about 100 meetings of 8-12 races with every block §6 lists, and race cards and form of 14 runners with
flucs, return history, market movers, pool history, extra markets and form lines. They reuse the cassette
builders' shapes (one meeting, one runner, one form entry) and repeat them with varied names, numbers and times,
so a shape change in the builders reaches them too. ``real_day_bodies()`` maps each info-service path (under
``/v1/tab-info-service``, without the query) to its JSON body; the sports day is in ``real_day_sports``.
"""

from __future__ import annotations

import copy
import random
from typing import Any

from tabmcp_ops.cassette_builders.interactions import DATE, link
from tabmcp_ops.cassette_builders.racecard import race_card
from tabmcp_ops.cassette_builders.racing import meetings_payload, race_path
from tabmcp_ops.cassette_builders.racing_more import dates_payload, next_to_go, runner_form

__all__ = ["MEETING_COUNT", "REAL_RACE", "RUNNER_COUNT", "real_day_bodies", "real_meetings"]

MEETING_COUNT = 100
RUNNER_COUNT = 14
REAL_RACE = ("R", "WFM", 2)  # the race whose card and form are real-size
_SEED = 20260923
_WORDS = (
    "ROYAL SOVEREIGN GOLDEN CHARM SILVER ARROW MIDNIGHT EXPRESS OCEAN BREEZE DESERT STORM NORTHERN STAR "
    "LUCKY STRIKE THUNDER BAY MOUNTAIN KING RIVER QUEEN SUMMER RAIN WINTER FROST AUTUMN GOLD SPRING TIDE"
).split()
_VENUES = (
    "RANDWICK ROSEHILL CAULFIELD FLEMINGTON MOONEE VALLEY EAGLE FARM DOOMBEN MORPHETTVILLE ASCOT KEMBLA GRANGE "
    "GOSFORD WYONG NEWCASTLE BALLARAT BENDIGO GEELONG SANDOWN WARRAGUL HEALESVILLE TOWNSVILLE IPSWICH GAWLER "
    "ANGLE PARK WENTWORTH PARK RICHMOND DUBBO BATHURST MENANGLE GLOUCESTER PARK ALBION PARK REDCLIFFE LAUNCESTON"
).split()
_OVERSEAS = (
    "Southwell Kempton Wolverhampton Newcastle Chelmsford Lingfield Dundalk Vincennes Toulouse Deauville "
    "Finger Lakes Belmont Aqueduct Woodbine Gulfstream Tampa Bay Laurel Charles Town Penn National Mountaineer "
    "Star Pelaw Towcester Romford Monmore Sheffield Hove Nottingham Harlow Crayford Doncaster"
).split()


def _name(rng: random.Random, words: int = 3) -> str:
    return " ".join(rng.choice(_WORDS) for _ in range(words))


def _time(minutes: int, day: str = DATE) -> str:
    return f"{day}T{minutes // 60 % 24:02d}:{minutes % 60:02d}:00.000Z"


def _tab_meeting(index: int, rng: random.Random, template: dict[str, Any]) -> dict[str, Any]:
    meeting = copy.deepcopy(template)
    race_type = "RHG"[index % 3]
    venue = f"{_VENUES[index % len(_VENUES)]}{'' if index < len(_VENUES) else f' {index}'}"
    mnemonic = f"{venue[:2]}{chr(65 + index % 26)}".replace(" ", "X")
    meeting.update(
        meetingName=venue, venueMnemonic=mnemonic, raceType=race_type, location="NSW VIC QLD SA".split()[index % 4]
    )
    seg = ("racing", "dates", DATE, "meetings", race_type, mnemonic)
    meeting["_links"] = {"races": link(*seg, "races")}
    race_template = template["races"][1]
    races = []
    for number in range(1, 8 + index % 5 + 1):
        race = copy.deepcopy(race_template)
        start = 60 + index * 3 + number * 30
        race.update(
            raceNumber=number,
            raceName=f"{_name(rng, 2)} {'HANDICAP PLATE STAKES'.split()[number % 3]}",
            raceStartTime=_time(start),
            raceStatus="Paying" if number <= 2 else "Normal",
            raceDistance=1000 + 100 * (number % 12),
            results=[[rng.randint(1, 12)] for _ in range(4)] if number <= 2 else [],
            scratchings=[{"runnerNumber": n, "runnerName": _name(rng), "bettingStatus": "Scratched"} for n in (3, 9)],
            multiLegApproximates=[{"wageringProduct": "RunningDouble", "jackpot": 0, "poolTotal": 1234.5}],
        )
        races.append(race)
    meeting["races"] = races
    legs = [
        {
            "legNumber": n,
            "raceNumber": n + 4,
            "venueMnemonic": mnemonic,
            "raceType": race_type,
            "startTime": _time(200 + n * 30),
        }
        for n in range(1, 5)
    ]
    pools = []
    for product in ("DailyDouble", "Quaddie", "EarlyQuaddie", "Treble", "Big6"):
        pool = copy.deepcopy(template["exoticPools"][0])
        pool.update(
            wageringProduct=product, legs=legs, nextRaceToJump=legs[0], poolTotal=round(rng.uniform(0, 90000), 2)
        )
        pools.append(pool)
    meeting["exoticPools"] = pools
    return meeting


def _overseas_meeting(index: int, rng: random.Random, template: dict[str, Any]) -> dict[str, Any]:
    meeting = copy.deepcopy(template)
    place = _OVERSEAS[index % len(_OVERSEAS)]
    country = ("GBR", "USA", "FRA", "IRL")[index % 4]
    name = f"{place}{'' if index < len(_OVERSEAS) else f' {index}'} ({country})"
    meeting.update(
        meetingName=name, displayMeetingName=name.rsplit(" (", 1)[0], location=country, raceType="RHG"[index % 3]
    )
    race_template = template["races"][0]
    races = []
    for number in range(1, 8 + index % 5 + 1):
        match = f"{place.upper()} R{number:02d} 22/09"
        seg = ("racing", "dates", DATE, "meetings", meeting["raceType"], name, "races", match)
        race = copy.deepcopy(race_template)
        race.update(
            raceNumber=number,
            raceName=match,
            matchName=match,
            raceStartTime=_time(600 + index * 4 + number * 20, "2026-09-22"),
            _links={
                "self": link(*seg, fixed_odds=True),
                "selfTemplate": link(*seg, fixed_odds=True),
                "self:all-channels": link(*seg, fixed_odds=True, suffix="/all-channels"),
            },
        )
        races.append(race)
    meeting["races"] = races
    return meeting


def real_meetings(count: int = MEETING_COUNT) -> dict[str, Any]:
    """``GET /racing/dates/{date}/meetings`` for a busy day: ``count`` meetings, 40 % TAB, the rest overseas."""
    rng = random.Random(_SEED)  # noqa: S311 - deterministic test data, not secrets
    base = meetings_payload()["meetings"]
    tab, overseas = base[0], base[3]
    meetings = [_tab_meeting(i, rng, tab) if i % 5 < 2 else _overseas_meeting(i, rng, overseas) for i in range(count)]
    return {"meetings": meetings}


def _real_runner(template: dict[str, Any], number: int, rng: random.Random) -> dict[str, Any]:
    runner = copy.deepcopy(template)
    win = round(rng.uniform(1.8, 101), 2)
    runner.update(
        runnerNumber=number,
        runnerName=_name(rng, 2),
        barrierNumber=(number * 7) % RUNNER_COUNT + 1,
        handicapWeight=60 - number * 0.5,
    )
    fixed = runner["fixedOdds"]
    fixed.update(
        returnWin=win,
        returnPlace=round(1 + (win - 1) / 3, 2),
        propositionNumber=2_110_400 + number,
        flucs=[{"returnWin": round(win + k * 0.2, 2), "returnWinTime": _time(100 - k)} for k in range(4)],
        returnHistory=[{"returnWin": round(win + k * 0.1, 2), "returnWinTime": _time(k * 7)} for k in range(30)],
    )
    runner["parimutuel"]["marketMovers"] = [
        {"returnWin": round(win * 1.1 + k, 2), "returnWinTime": _time(110 - k), "specialDisplayIndicator": k == 4}
        for k in range(5)
    ]
    runner["_links"] = {"form": link(*race_path(DATE, *REAL_RACE), "form", number)}
    return runner


def real_race_card() -> dict[str, Any]:
    """``GET M/races/{n}``: the open Warwick Farm race with 14 runners and every block of §8 at full length."""
    rng = random.Random(_SEED + 1)  # noqa: S311 - deterministic test data, not secrets
    card = race_card(REAL_RACE[2])
    template = card["runners"][0]
    card["runners"] = [_real_runner(template, n, rng) for n in range(1, RUNNER_COUNT + 1)]
    history = [
        {"poolTotal": 800.0 * k, "poolTotalTime": _time(k * 3), "specialDisplayIndicator": False} for k in range(60)
    ]
    for pool in card["pools"]:
        if pool["wageringProduct"] == "Win":
            pool["poolHistory"] = history
    for market in card["extraMarkets"]:
        prop = market["propositions"][0]
        market["propositions"] = [
            {**prop, "id": str(2_110_500 + n), "number": n, "runnerNumber": n, "name": r["runnerName"]}
            for n, r in enumerate(card["runners"], 1)
        ]
    top = card["sameRaceMultiMarkets"][0]
    card["sameRaceMultiMarkets"] = [
        {
            **top,
            "id": top["id"] + k,
            "name": f"WARWICK FARM-R2-Top{k}",
            "betOption": f"Top {k}",
            "propositions": [
                {**top["propositions"][0], "number": n, "runnerNumber": n, "name": r["runnerName"]}
                for n, r in enumerate(card["runners"], 1)
            ],
        }
        for k in range(1, 5)
    ]
    approx = card["multiLegApproximates"][0]["approximateSets"][0]
    approx["approximates"] = [{"selection": n, "return": round(rng.uniform(3, 300), 1)} for n in range(1, 15)]
    return card


def _real_form(runner: dict[str, Any], rng: random.Random) -> dict[str, Any]:
    form = runner_form(REAL_RACE[2], runner)
    start = form["runnerStarts"]["previousStarts"][0]
    starts = [
        {
            **start,
            "startDate": f"2026-{8 - k // 4:02d}-{28 - (k % 4) * 6:02d}",
            "finishingPosition": str(rng.randint(1, 12)),
            "winnerOrSecond": _name(rng, 2),
            "stewardsComment": f"Raced {rng.choice(_WORDS).lower()} throughout.",
        }
        for k in range(30)
    ]
    form["runnerStarts"]["previousStarts"] = starts
    form["trainerStarts"]["previousStarts"] = [{**s, "runner": _name(rng, 2)} for s in starts[:15]]
    form["riderDriverStarts"]["previousStarts"] = [{**s, "runner": _name(rng, 2)} for s in starts[:15]]
    form["formComments"] = [
        {"source": f"Analyst {k}", "title": "Form", "comment": "Sharp trial; " * 8} for k in range(3)
    ]
    return form


def real_form() -> dict[str, Any]:
    """``GET M/races/{n}/form``: the form of all 14 runners, 30 starts each plus trainer and rider lists."""
    rng = random.Random(_SEED + 2)  # noqa: S311 - deterministic test data, not secrets
    return {"form": [_real_form(r, rng) for r in real_race_card()["runners"]]}


def _listed(key: str, items: int, make: Any) -> dict[str, Any]:
    return {key: [make(k) for k in range(items)]}


def real_day_bodies() -> dict[str, Any]:
    """Every racing path of a busy day (the earlier server's arguments) mapped to its real-size body."""
    m = f"racing/dates/{DATE}/meetings/{REAL_RACE[0]}/{REAL_RACE[1]}"
    race = f"{m}/races/{REAL_RACE[2]}"
    meetings = real_meetings()
    form = real_form()
    next_races = next_to_go(None, False)["races"]
    pair = [(a, b) for a in range(1, RUNNER_COUNT + 1) for b in range(1, RUNNER_COUNT + 1) if a != b]
    return {
        "racing/dates": dates_payload(),
        f"racing/dates/{DATE}/meetings": meetings,
        "racing/dates/today/meetings": meetings,
        f"{m}/races": {"races": meetings["meetings"][0]["races"]},
        race: real_race_card(),
        "racing/next-to-go/races": {
            "races": [dict(next_races[k % len(next_races)], raceNumber=k % 12 + 1) for k in range(100)]
        },
        f"{race}/form": form,
        f"{race}/form/1": form["form"][0],
        f"{race}/pools/Quinella/approximates": {
            "approximates": [{"selections": [a, b], "return": a * 3.3 + b} for a, b in pair]
        },
        "racing/jackpots": _listed(
            "jackpots", 40, lambda k: {"poolType": "Quaddie", "meeting": _VENUES[k % 30], "amount": 1000.0 * k}
        ),
        "racing/dates/tomorrow/jackpot-pools": _listed(
            "jackpotPools", 40, lambda k: {"wageringProduct": "Big6", "jackpot": 500.0 * k, "poolTotal": 900.0 * k}
        ),
    }
