"""Sports, results and FootyTAB payloads for the hand-built cassettes (tabcorp-api.md §12; NOT recorded).

Sports: "AFL Football" (competition "AFL", match "Wst Bulldogs v Adelaide"), "Soccer" (a match name with "&"),
"Tennis" (competition "ATP" structured by tournaments: "ATP Munich", with a doubles match whose name holds "/").
Sports shapes are [CLIENT]; resulted matches and every FootyTAB payload are [INFERRED].
"""

from __future__ import annotations

from typing import Any

from tabmcp_ops.cassette_builders.interactions import client_credentials, get, link, request_uri, template

AFL, SOCCER, TENNIS = "AFL Football", "Soccer", "Tennis"
WBD = "Wst Bulldogs v Adelaide"
BRIGHTON = "Brighton & Hove v Chelsea"
KEC = "Kecmanovic v Basilashvili"
DOUBLES = "Ebden/Purcell v Granollers/Zeballos"
SPORT_PARAMS = "channelType,cashSales,homeState"
START = "2026-09-26T04:35:00.000Z"


def _prop(pid: str, number: int, name: str, position: str | None, price: float) -> dict[str, Any]:
    return {
        "id": pid,
        "number": number,
        "name": name,
        "position": position,
        "sortOrder": number,
        "returnWin": price,
        "returnPlace": 0,
        "bettingStatus": "Open",
        "isOpen": True,
        "allowPlace": False,
        "differential": None,
    }


def _market(mid: str, name: str, short: str, option: str, props: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "id": mid,
        "name": name,
        "shortName": short,
        "betOption": option,
        "bettingStatus": "Open",
        "allowPlace": False,
        "sameGame": True,
        "sameGameMultipleSelections": False,
        "closeTime": START,
        "message": None,
        "informationMessage": None,
        "allowMulti": True,
        "cashOutEligibility": "PreMatch",
        "onlineBetting": True,
        "phoneBettingOnly": False,
        "propositions": props,
    }


def match(
    sport: str,
    comp: str,
    name: str,
    mid: str,
    *,
    tournament: str | None = None,
    in_play: bool = False,
    base: tuple[str, ...] = ("sports",),
) -> dict[str, Any]:
    """A match item (§12.3) with one head-to-head market; ``base`` switches to the results tree."""
    home, away = name.split(" v ")
    segs = (*base, sport, "competitions", comp, *(("tournaments", tournament) if tournament else ()), "matches", name)
    item = {
        "id": mid,
        "name": name,
        "spectrumUniqueId": 5_512_000 + len(name),
        "startTime": START,
        "closeTime": START,
        "inPlay": in_play,
        "sameGame": sport == AFL,
        "contestants": [
            {"name": home, "position": "HOME", "isHome": True, "image": None},
            {"name": away, "position": "AWAY", "isHome": False, "image": None},
        ],
        "competitionName": comp,
        "sportName": sport,
        "markets": [
            _market(
                f"{mid}H2H",
                f"{comp} {mid} Hd to Hd",
                f"{mid} Hd to Hd",
                "Head To Head",
                [_prop("764342", 1, home, "HOME", 1.74), _prop("764343", 2, away, "AWAY", 2.1)],
            ),
        ],
        "_links": {
            "self": link(*segs),
            "selfTemplate": template(*segs, params=SPORT_PARAMS),
            "markets": link(*segs, "markets"),
        },
    }
    if tournament:
        item["tournamentName"] = tournament
    return item


MATCHES = {
    (AFL, "AFL", None): [(WBD, "WBdvAdl")],
    (SOCCER, "English Premier League", None): [(BRIGHTON, "BhavChel")],
    (TENNIS, "ATP", "ATP Munich"): [(KEC, "KecvBas"), (DOUBLES, "EbPuvGrZe")],
}


def _competition_links(segs: tuple[str, ...]) -> dict[str, str]:
    return {
        "self": link(*segs),
        "selfTemplate": template(*segs, params=SPORT_PARAMS),
        "tournaments": link(*segs, "tournaments"),
        "matches": link(*segs, "matches"),
        "markets": link(*segs, "markets"),
        "markets:all-channels": link(*segs, "markets", "all-channels"),
    }


def competition(sport: str, comp: str, *, base: tuple[str, ...] = ("sports",), full: bool = True) -> dict[str, Any]:
    """A competition; tournament-structured ones (Tennis) list ``tournaments`` and ``matches: []`` (quirk 20)."""
    segs = (*base, sport, "competitions", comp)
    tournaments = [t for (s, c, t) in MATCHES if s == sport and c == comp and t]
    out: dict[str, Any] = {
        "id": str(100 + len(comp)),
        "name": comp,
        "spectrumId": f"SP{len(comp)}",
        "hasMarkets": True,
        "sameGame": sport == AFL,
        "tournaments": [
            {"id": "7001", "name": t, "spectrumId": "T7001", "_links": {"self": link(*segs, "tournaments", t)}}
            for t in tournaments
        ],
        "_links": _competition_links(segs),
    }
    if full:
        pairs = [] if tournaments else MATCHES.get((sport, comp, None), [])
        out["matches"] = [match(sport, comp, n, mid, base=base) for n, mid in pairs]
        out["betOptionPriority"] = ["Head To Head", "Line"]
    return out


def sport(name: str, *, base: tuple[str, ...] = ("sports",)) -> dict[str, Any]:
    """A sport with its competitions (§12.1); ``_links.footytab`` only on footy codes."""
    segs = (*base, name)
    links = {
        "self": link(*segs),
        "selfTemplate": template(*segs, params=SPORT_PARAMS),
        "competitions": link(*segs, "competitions"),
    }
    if name == AFL and base == ("sports",):
        links["footytab"] = link("sports", name, "footy", "rounds")
    comps = sorted({c for (s, c, _t) in MATCHES if s == name})
    return {
        "id": str(20 + len(name)),
        "name": name,
        "displayName": name,
        "spectrumId": f"S{len(name)}",
        "sameGame": name == AFL,
        "_links": links,
        "competitions": [competition(name, c, base=base, full=False) for c in comps],
    }


def tournament(sport_name: str, comp: str, name: str) -> dict[str, Any]:
    """A tournament: competition-shaped, with its matches (§12.4)."""
    segs = ("sports", sport_name, "competitions", comp, "tournaments", name)
    pairs = MATCHES[(sport_name, comp, name)]
    return {
        "id": "7001",
        "name": name,
        "spectrumId": "T7001",
        "_links": _competition_links(segs),
        "matches": [match(sport_name, comp, n, mid, tournament=name) for n, mid in pairs],
    }


def next_to_go(query: dict[str, str]) -> dict[str, Any]:
    """``GET /sports/nextToGo``: ``{"matches": [...]}``; liveBettingOnly keeps in-play ones, futuresOnly none."""
    items = [
        match(SOCCER, "English Premier League", BRIGHTON, "BhavChel", in_play=True),
        match(AFL, "AFL", WBD, "WBdvAdl"),
        match(TENNIS, "ATP", KEC, "KecvBas", tournament="ATP Munich"),
        match(TENNIS, "ATP", DOUBLES, "EbPuvGrZe", tournament="ATP Munich"),
    ]
    if query.get("liveBettingOnly") == "true":
        items = [m for m in items if m["inPlay"]]
    if query.get("futuresOnly") == "true":
        items = []
    return {"matches": items[: int(query.get("limit", len(items)))]}


def _resulted_match(sport_name: str, comp: str, name: str, mid: str, winner: str) -> dict[str, Any]:
    """A resulted match: the winner flags and scores are [INFERRED] (no sample is documented)."""
    item = match(sport_name, comp, name, mid, base=("sports", "results"))
    item["resultedTime"] = "2026-09-22T12:10:00.000Z"
    for market in item["markets"]:
        market["bettingStatus"] = "Closed"
        market["dividends"] = [{"propositionName": winner, "amount": 1.74}]
        for prop in market["propositions"]:
            prop["result"] = "WIN" if prop["name"] == winner else "LOSE"
    return item


def sports_cassette() -> list[dict[str, Any]]:
    """Open sports: list, sport, competition, tournament, matches and next-to-go variants."""
    out = [client_credentials(), get(request_uri("sports"), {"sports": [sport(s) for s in (AFL, SOCCER, TENNIS)]})]
    for (s, comp, tour), pairs in MATCHES.items():
        out.append(get(request_uri("sports", s), sport(s)))
        out.append(get(request_uri("sports", s, "competitions", comp), competition(s, comp)))
        for name, mid in pairs:
            if tour:
                out.append(
                    get(
                        request_uri("sports", s, "competitions", comp, "tournaments", tour, "matches", name),
                        match(s, comp, name, mid, tournament=tour),
                    )
                )
            out.append(
                get(
                    request_uri("sports", s, "competitions", comp, "matches", name),
                    match(s, comp, name, mid, tournament=tour),
                )
            )
        if tour:
            out.append(
                get(request_uri("sports", s, "competitions", comp, "tournaments", tour), tournament(s, comp, tour))
            )
    variants = [
        {},
        {"limit": "5"},
        {"limit": "10"},
        {"openOnly": "true"},
        {"limit": "5", "openOnly": "true"},
        {"limit": "10", "openOnly": "true"},
        {"liveBettingOnly": "true"},
        {"futuresOnly": "true"},
    ]
    for query in variants:
        out.append(get(request_uri("sports", "nextToGo", query=tuple(query.items())), next_to_go(query)))
    return out


def results_cassette() -> list[dict[str, Any]]:
    """Resulted sports (``/sports/results/...``); match-level result fields are [INFERRED]."""
    base = ("sports", "results")
    resulted = [(AFL, "AFL", WBD, "WBdvAdl", "Wst Bulldogs"), (TENNIS, "ATP", DOUBLES, "EbPuvGrZe", "Ebden/Purcell")]
    out = [client_credentials(), get(request_uri(*base), {"sports": [sport(s, base=base) for s in (AFL, TENNIS)]})]
    for s, comp, name, mid, winner in resulted:
        comp_payload = competition(s, comp, base=base, full=False)
        comp_payload["matches"] = [_resulted_match(s, comp, name, mid, winner)]
        out.append(get(request_uri(*base, s), sport(s, base=base)))
        out.append(get(request_uri(*base, s, "competitions", comp), comp_payload))
        out.append(
            get(
                request_uri(*base, s, "competitions", comp, "matches", name),
                _resulted_match(s, comp, name, mid, winner),
            )
        )
    return out


def _round(number: int, status: str) -> dict[str, Any]:
    return {
        "roundNumber": number,
        "name": f"Round {number}",
        "status": status,
        "_links": {"self": link("sports", AFL, "footy", "rounds", number)},
    }


def footytab_cassette() -> list[dict[str, Any]]:
    """FootyTAB rounds and one round with and without ``series`` — every field is [INFERRED]."""
    rounds = {
        "sportName": AFL,
        "rounds": [_round(26, "Closed"), _round(27, "Open")],
        "_links": {"self": link("sports", AFL, "footy", "rounds")},
    }
    games = [
        {"gameNumber": 1, "matchName": WBD, "startTime": START, "homeTeam": "Wst Bulldogs", "awayTeam": "Adelaide"}
    ]
    detail = {
        **_round(27, "Open"),
        "sportName": AFL,
        "closeTime": START,
        "jackpot": 50000.0,
        "games": games,
        "series": [{"seriesNumber": 1, "name": "Tipping"}, {"seriesNumber": 2, "name": "Margins"}],
    }
    series_1 = {**detail, "series": detail["series"][:1]}
    return [
        client_credentials(),
        # The open sports list too: the FootyTAB test finds its sport by the ``_links.footytab`` rel.
        get(request_uri("sports"), {"sports": [sport(s) for s in (AFL, SOCCER, TENNIS)]}),
        get(request_uri("sports", AFL, "footy", "rounds"), rounds),
        get(request_uri("sports", AFL, "footy", "rounds", 27), detail),
        get(request_uri("sports", AFL, "footy", "rounds", 27, query=(("series", "1"),)), series_1),
    ]
