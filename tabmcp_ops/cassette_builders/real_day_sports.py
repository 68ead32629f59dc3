"""Real-size sports bodies, generated (deterministic, never committed): a busy weekend as TAB serves it.

Sizes follow tabcorp-api.md §12: about 30 sports with their competitions and tournaments, competitions of 40
matches with their top markets, and a match with 109 markets (SDM counted 109 on one AFL match). Shapes come
from the cassette builders' ``sport``/``competition``/``match``, repeated with varied names.
``real_sports_bodies()`` maps each info-service path (no query) to its body.
"""

from __future__ import annotations

import copy
from typing import Any

from tabmcp_ops.cassette_builders.interactions import link
from tabmcp_ops.cassette_builders.sports import competition, match, sport

__all__ = ["MARKETS_PER_MATCH", "real_sports_bodies"]

MARKETS_PER_MATCH = 109
_SPORTS = 30
_COMPETITIONS = 10
_MATCHES = 40
_TEAMS = (
    "Adelaide Brisbane Carlton Collingwood Essendon Fremantle Geelong Hawthorn Melbourne Richmond Sydney "
    "Penrith Parramatta Canterbury Cronulla Newcastle Manly Souths Roosters Warriors Storm Broncos"
).split()


def _teams(k: int) -> str:
    return f"{_TEAMS[k % len(_TEAMS)]} v {_TEAMS[(k * 7 + 3) % len(_TEAMS)]}"


def _big_match(sport_name: str, comp: str, name: str, k: int, markets: int, base: tuple[str, ...]) -> dict[str, Any]:
    item = match(sport_name, comp, name, f"M{k}", base=base)
    template = item["markets"][0]
    item["markets"] = []
    for n in range(markets):
        market = copy.deepcopy(template)
        market.update(
            id=f"M{k}K{n}", name=f"{comp} {name} Market {n}", betOption=("Head To Head", "Line", "Total")[n % 3]
        )
        for prop in market["propositions"]:
            prop["returnWin"] = round(1.5 + (n % 9) * 0.1, 2)
        item["markets"].append(market)
    return item


def _big_competition(sport_name: str, comp: str, base: tuple[str, ...], markets: int) -> dict[str, Any]:
    body = competition(sport_name, comp, base=base, full=False)
    body["matches"] = [_big_match(sport_name, comp, _teams(k), k, markets, base) for k in range(_MATCHES)]
    return body


def _big_sport(index: int, base: tuple[str, ...]) -> dict[str, Any]:
    body = sport("AFL Football" if index == 0 else f"Sport {index}", base=base)
    comp = competition(body["name"], "AFL", base=base, full=False)
    comp["tournaments"] = [
        {"id": str(7000 + t), "name": f"Tournament {t}", "spectrumId": f"T{t}", "_links": {"self": link("x", t)}}
        for t in range(3)
    ]
    body["competitions"] = [
        dict(copy.deepcopy(comp), name=f"Competition {index}-{c}", id=str(c)) for c in range(_COMPETITIONS)
    ]
    return body


def real_sports_bodies() -> dict[str, Any]:
    """Every sports, results and FootyTAB path of the earlier server's arguments, mapped to a real-size body."""
    open_base, result_base = ("sports",), ("sports", "results")
    afl = "sports/AFL%20Football"
    comp = _big_competition("AFL Football", "AFL", open_base, 5)
    big_match = _big_match("AFL Football", "AFL", _teams(1), 1, MARKETS_PER_MATCH, open_base)
    resulted = _big_competition("Basketball", "NBA", result_base, 5)
    rounds = {
        "sportName": "AFL Football",
        "rounds": [{"roundNumber": r, "name": f"Round {r}", "status": "Closed"} for r in range(1, 28)],
    }
    games = [
        {"gameNumber": g, "matchName": _teams(g), "homeTeam": _TEAMS[g], "awayTeam": _TEAMS[g + 1]} for g in range(9)
    ]
    return {
        "sports": {"sports": [_big_sport(i, open_base) for i in range(_SPORTS)]},
        afl: _big_sport(0, open_base),
        "sports/Rugby%20League/competitions/State%20of%20Origin%20%26%20Co": comp,
        "sports/Tennis/competitions/ATP/tournaments/Wimbledon%20Men%27s%20Singles": comp,
        "sports/Soccer/competitions/J%20League/matches/Shimizu%20v%20FC%20T%C5%8Dky%C5%8D": big_match,
        "sports/Tennis/competitions/ATP/tournaments/ATP%20Munich/matches/Ebden%2FPurcell%20v%20Granollers%2FZeballos": (
            big_match
        ),
        "sports/nextToGo": {
            "matches": [_big_match("AFL Football", "AFL", _teams(k), k, 5, open_base) for k in range(100)]
        },
        "sports/results": {"sports": [_big_sport(i, result_base) for i in range(_SPORTS)]},
        "sports/results/Basketball": _big_sport(3, result_base),
        "sports/results/Basketball/competitions/NBA": resulted,
        "sports/results/Basketball/competitions/NBA/matches/Lakers%20v%20Warriors": _big_match(
            "Basketball", "NBA", "Lakers v Warriors", 9, MARKETS_PER_MATCH, result_base
        ),
        f"{afl}/footy/rounds": rounds,
        "sports/Rugby%20League/footy/rounds/7": {"roundNumber": 7, "name": "Round 7", "games": games},
    }
