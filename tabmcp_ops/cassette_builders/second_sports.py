"""Sports, results and FootyTAB payloads of the second data set (``cassettes-alt/``): another shape (NOT recorded).

Other sports and competitions than the primary set, in another order: "Basketball" (competition "NBA", listed
first, so discovery lands on it), "Rugby League" (the footy code: "NRL", and FootyTAB with rounds listed newest
first and **no series**), "Golf" (tournament-structured: "US PGA Tour" lists ``matches: []`` and the tournament
"The Masters (Augusta)"). Matches carry several markets (Head To Head, Line, Total Points); the resulted match
(NRL) has Line and Total Points markets, no head to head. Empty optional lists: ``betOptionPriority``,
``tournaments`` on most competitions, contestants' images. Sports shapes follow §12 [CLIENT]; resulted match
fields and every FootyTAB body are [INFERRED].
"""

from __future__ import annotations

from typing import Any

from tabmcp_ops.cassette_builders.interactions import get, link, request_uri, template

BASKETBALL, RUGBY_LEAGUE, GOLF = "Basketball", "Rugby League", "Golf"
LAKERS = "LA Lakers v Boston Celtics"
STORM = "Melbourne Storm v Penrith Panthers"
GOLF_MATCH = "Scheffler v McIlroy"
MASTERS = "The Masters (Augusta)"
COMPETITIONS = {BASKETBALL: "NBA", RUGBY_LEAGUE: "NRL", GOLF: "US PGA Tour"}
START = "2027-03-15T09:10:00.000Z"
PARAMS = "channelType,cashSales,homeState"


def _prop(pid: int, name: str, price: float, position: str | None = None) -> dict[str, Any]:
    """A proposition with an integer id (quirk 3: ids are sometimes ints)."""
    return {
        "id": pid,
        "number": pid % 100,
        "name": name,
        "position": position,
        "returnWin": price,
        "returnPlace": 0,
        "bettingStatus": "Open",
        "isOpen": True,
    }


def _market(mid: int, name: str, option: str, props: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "id": mid,
        "name": name,
        "shortName": name[:18],
        "betOption": option,
        "bettingStatus": "Open",
        "closeTime": START,
        "allowMulti": True,
        "propositions": props,
    }


def markets(name: str, base: int) -> list[dict[str, Any]]:
    """Line and Total Points markets, after a head to head for two-sided games."""
    home, away = name.split(" v ")
    h2h = _market(
        base,
        f"{name} Head To Head",
        "Head To Head",
        [_prop(base + 1, home, 1.55, "HOME"), _prop(base + 2, away, 2.45, "AWAY")],
    )
    line = _market(
        base + 10,
        f"{name} Line",
        "Line",
        [_prop(base + 11, f"{home} -6.5", 1.9), _prop(base + 12, f"{away} +6.5", 1.9)],
    )
    total = _market(
        base + 20,
        f"{name} Total Points",
        "Total Points",
        [_prop(base + 21, "Over 210.5", 1.87), _prop(base + 22, "Under 210.5", 1.93)],
    )
    return [h2h, line, total]


def match(
    sport: str, name: str, base: int, *, tournament: str | None = None, root: tuple[str, ...] = ("sports",)
) -> dict[str, Any]:
    """A match item (§12.3) with three markets; ``root`` switches to the results tree."""
    comp = COMPETITIONS[sport]
    home, away = name.split(" v ")
    segs = (*root, sport, "competitions", comp, *(("tournaments", tournament) if tournament else ()), "matches", name)
    item = {
        "id": f"M{base}",
        "name": name,
        "spectrumUniqueId": base * 7,
        "startTime": START,
        "closeTime": START,
        "inPlay": sport == RUGBY_LEAGUE,
        "contestants": [
            {"name": home, "position": "HOME", "isHome": True},
            {"name": away, "position": "AWAY", "isHome": False},
        ],
        "competitionName": comp,
        "sportName": sport,
        "markets": markets(name, base),
        "_links": {
            "self": link(*segs),
            "selfTemplate": template(*segs, params=PARAMS),
            "markets": link(*segs, "markets"),
        },
    }
    if tournament:
        item["tournamentName"] = tournament
    return item


MATCHES = {BASKETBALL: (LAKERS, 8100, None), RUGBY_LEAGUE: (STORM, 8200, None), GOLF: (GOLF_MATCH, 8300, MASTERS)}


def competition(sport: str, *, root: tuple[str, ...] = ("sports",), full: bool = True) -> dict[str, Any]:
    """A competition; Golf's is tournament-structured (``matches: []``, quirk 20)."""
    comp = COMPETITIONS[sport]
    segs = (*root, sport, "competitions", comp)
    name, base, tour = MATCHES[sport]
    out: dict[str, Any] = {
        "id": str(9000 + base // 100),
        "name": comp,
        "spectrumId": f"C{base}",
        "hasMarkets": True,
        "tournaments": [{"id": "77", "name": tour, "_links": {"self": link(*segs, "tournaments", tour)}}]
        if tour
        else [],
        "_links": {"self": link(*segs), "matches": link(*segs, "matches"), "tournaments": link(*segs, "tournaments")},
    }
    if full:
        out["matches"] = [] if tour else [match(sport, name, base, root=root)]
        out["betOptionPriority"] = []
    return out


def sport(name: str, *, root: tuple[str, ...] = ("sports",)) -> dict[str, Any]:
    """A sport with its one competition; ``_links.footytab`` on Rugby League only (open tree)."""
    links = {"self": link(*root, name), "competitions": link(*root, name, "competitions")}
    if name == RUGBY_LEAGUE and root == ("sports",):
        links["footytab"] = link("sports", name, "footy", "rounds")
    return {
        "id": f"{len(name) * 3}",
        "name": name,
        "displayName": name,
        "_links": links,
        "competitions": [competition(name, root=root, full=False)],
    }


def _tournament() -> dict[str, Any]:
    segs = ("sports", GOLF, "competitions", COMPETITIONS[GOLF], "tournaments", MASTERS)
    return {
        "id": "77",
        "name": MASTERS,
        "_links": {"self": link(*segs)},
        "matches": [match(GOLF, GOLF_MATCH, 8300, tournament=MASTERS)],
    }


def next_to_go(query: dict[str, str]) -> dict[str, Any]:
    """Three matches, the in-play NRL game first; liveBettingOnly keeps it alone, futuresOnly lists none."""
    items = [
        match(RUGBY_LEAGUE, STORM, 8200),
        match(BASKETBALL, LAKERS, 8100),
        match(GOLF, GOLF_MATCH, 8300, tournament=MASTERS),
    ]
    if query.get("liveBettingOnly") == "true":
        items = [m for m in items if m["inPlay"]]
    if query.get("futuresOnly") == "true":
        items = []
    return {"matches": items[: int(query.get("limit", len(items)))]}


def sports_cassette(token: dict[str, Any]) -> list[dict[str, Any]]:
    """Open sports: list, sports, competitions, the golf tournament, matches and next-to-go variants."""
    out = [token, get(request_uri("sports"), {"sports": [sport(s) for s in MATCHES]})]
    for s, (name, base, tour) in MATCHES.items():
        comp = ("sports", s, "competitions", COMPETITIONS[s])
        out += [get(request_uri("sports", s), sport(s)), get(request_uri(*comp), competition(s))]
        out.append(get(request_uri(*comp, "matches", name), match(s, name, base, tournament=tour)))
        if tour:
            out.append(get(request_uri(*comp, "tournaments", tour), _tournament()))
            out.append(
                get(request_uri(*comp, "tournaments", tour, "matches", name), match(s, name, base, tournament=tour))
            )
    for query in (
        {},
        {"limit": "5"},
        {"limit": "10"},
        {"openOnly": "true"},
        {"liveBettingOnly": "true"},
        {"futuresOnly": "true"},
    ):
        out.append(get(request_uri("sports", "nextToGo", query=tuple(query.items())), next_to_go(query)))
    return out


def resulted_match() -> dict[str, Any]:
    """The resulted NRL match: Line and Total Points markets settled, no head to head ([INFERRED] fields)."""
    item = match(RUGBY_LEAGUE, STORM, 8200, root=("sports", "results"))
    item |= {"inPlay": False, "resultedTime": "2027-03-13T11:02:00.000Z"}
    item["markets"] = [m for m in item["markets"] if m["betOption"] != "Head To Head"]
    for market in item["markets"]:
        market["bettingStatus"] = "Closed"
        for n, prop in enumerate(market["propositions"]):
            prop["result"] = "WIN" if n == 1 else "LOSE"
    return item


def results_cassette(token: dict[str, Any]) -> list[dict[str, Any]]:
    """Resulted sports: Rugby League (one resulted match) and Basketball (none yet)."""
    root = ("sports", "results")
    out = [token, get(request_uri(*root), {"sports": [sport(s, root=root) for s in (RUGBY_LEAGUE, BASKETBALL)]})]
    for s in (RUGBY_LEAGUE, BASKETBALL):
        comp = competition(s, root=root, full=False)
        comp["matches"] = [resulted_match()] if s == RUGBY_LEAGUE else []
        out.append(get(request_uri(*root, s), sport(s, root=root)))
        out.append(get(request_uri(*root, s, "competitions", COMPETITIONS[s]), comp))
    out.append(get(request_uri(*root, RUGBY_LEAGUE, "competitions", "NRL", "matches", STORM), resulted_match()))
    return out


def footytab_cassette(token: dict[str, Any]) -> list[dict[str, Any]]:
    """Rugby League FootyTAB: rounds newest first, and the open round with no series (every field [INFERRED])."""

    def one(number: int, status: str) -> dict[str, Any]:
        return {
            "roundNumber": number,
            "name": f"Round {number}",
            "status": status,
            "_links": {"self": link("sports", RUGBY_LEAGUE, "footy", "rounds", number)},
        }

    rounds = {"sportName": RUGBY_LEAGUE, "rounds": [one(7, "Open"), one(6, "Closed"), one(5, "Closed")]}
    games = [
        {"gameNumber": n, "matchName": name, "startTime": START} for n, name in enumerate([STORM, "Broncos v Eels"], 1)
    ]
    detail = {
        **one(7, "Open"),
        "sportName": RUGBY_LEAGUE,
        "closeTime": START,
        "jackpot": 15000.0,
        "games": games,
        "series": [],
    }
    return [
        token,
        get(request_uri("sports"), {"sports": [sport(s) for s in MATCHES]}),
        get(request_uri("sports", RUGBY_LEAGUE, "footy", "rounds"), rounds),
        get(request_uri("sports", RUGBY_LEAGUE, "footy", "rounds", 7), detail),
    ]
