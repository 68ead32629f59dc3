"""Shaped answers of the sports tools: sports, competitions, matches, next-to-go and results (tabcorp-api.md §12).

Lists keep names (what the other tools take as arguments), ids and times; a match keeps each market's
name, bet option and status with each proposition's name and prices. Links, spectrum ids and the market
flags (cash out, same-game, multi) stay in the full body (``detail="full"``).
"""

from __future__ import annotations

from typing import Any

from tab_mcp.shaping.answer import field_schema, finish
from tab_mcp.shaping.budget import ListFit, fit
from tab_mcp.shaping.fields import ARRAY, BOOL, INT, NUM, STR, Drift, Named

__all__ = [
    "COMPETITION_SCHEMA",
    "MATCH_SCHEMA",
    "NEXT_MATCHES_SCHEMA",
    "SPORTS_SCHEMA",
    "SPORT_SCHEMA",
    "competition_answer",
    "match_answer",
    "next_matches_answer",
    "sport_answer",
    "sports_answer",
]

NAMED = (Named("name", STR),)
SPORT_FIELDS = (Named("id", STR), Named("name", STR), Named("displayName", STR, optional=True))
COMPETITION_FIELDS = (Named("id", STR), Named("name", STR), Named("hasMarkets", BOOL, optional=True))
MATCH_FIELDS = (
    Named("id", STR),
    Named("name", STR),
    Named("startTime", STR),
    Named("inPlay", BOOL, optional=True),
)
NEXT_MATCH_FIELDS = (
    *MATCH_FIELDS,
    Named("sportName", STR, optional=True),
    Named("competitionName", STR, optional=True),
    Named("tournamentName", STR, optional=True),
)
CONTESTANT_FIELDS = (Named("name", STR), Named("position", STR, optional=True))
MARKET_FIELDS = (
    Named("name", STR),
    Named("betOption", STR, optional=True),
    Named("bettingStatus", STR, optional=True),
    Named("closeTime", STR, optional=True),
)
PROPOSITION_FIELDS = (
    Named("name", STR),
    Named("number", INT, optional=True),
    Named("returnWin", NUM, optional=True),
    Named("returnPlace", NUM, optional=True),
    Named("bettingStatus", STR, optional=True),
    Named("differential", NUM, optional=True, nullable=True),
)

_NAMES = {"type": ARRAY, "items": field_schema(NAMED)}
_COMPETITION = field_schema(COMPETITION_FIELDS, {"tournaments": _NAMES})
_MARKET = field_schema(MARKET_FIELDS, {"propositions": {"type": ARRAY, "items": field_schema(PROPOSITION_FIELDS)}})
_MATCH = field_schema(
    MATCH_FIELDS,
    {
        "contestants": {"type": ARRAY, "items": field_schema(CONTESTANT_FIELDS)},
        "markets": {"type": ARRAY, "items": _MARKET},
        "marketCount": {"type": INT},
    },
)
SPORT_SCHEMA = field_schema(SPORT_FIELDS, {"competitions": {"type": ARRAY, "items": _COMPETITION}})["properties"]
SPORTS_SCHEMA = {"sports": {"type": ARRAY, "items": {"type": "object", "properties": SPORT_SCHEMA}}}
COMPETITION_SCHEMA = field_schema(
    COMPETITION_FIELDS, {"matches": {"type": ARRAY, "items": _MATCH}, "tournaments": _NAMES}
)["properties"]
MATCH_SCHEMA = _MATCH["properties"]
NEXT_MATCHES_SCHEMA = {"matches": {"type": ARRAY, "items": field_schema(NEXT_MATCH_FIELDS)}}


def _name(item: dict[str, Any]) -> str:
    return str(item.get("name", "?"))


def _competition(raw: Any, path: str, drift: Drift) -> dict[str, Any]:
    competition = drift.pick(raw, COMPETITION_FIELDS, path)
    tournaments = drift.items(raw, "tournaments", path, optional=True)
    if tournaments:
        competition["tournaments"] = [drift.pick(t, NAMED, f"{path}.tournaments[*]") for t in tournaments]
    return competition


def _sport(raw: Any, path: str, drift: Drift) -> dict[str, Any]:
    sport = drift.pick(raw, SPORT_FIELDS, path)
    competitions = drift.items(raw, "competitions", path, optional=True)
    sport["competitions"] = [_competition(c, f"{path}.competitions[*]", drift) for c in competitions]
    return sport


SPORTS_FIT = ListFit(
    key="sports",
    noun="sports",
    label=_name,
    narrow="call sports_get_open_sport for one sport",
    summarise=lambda s: (
        {k: v for k, v in s.items() if k != "competitions"} | {"competitionCount": len(s.get("competitions", []))}
    ),
    summary_drops="their competition lists left out",
)


def sports_answer(data: Any, *, budget: int) -> dict[str, Any]:
    """``sports_get_all_open``/``sports_get_all_results``: each sport with its competitions' and tournaments' names."""
    drift = Drift()
    sports = [_sport(s, "$.sports[*]", drift) for s in drift.items(data, "sports", "$")]
    return finish(fit({"total": len(sports), "sports": sports}, SPORTS_FIT, budget), drift)


SPORT_FIT = ListFit(key="competitions", noun="competitions", label=_name, narrow="use detail='full' for the body")


def sport_answer(data: Any, *, budget: int) -> dict[str, Any]:
    """``sports_get_open_sport``/``sports_get_resulted_sport``: one sport with its competitions and tournaments."""
    drift = Drift()
    sport = _sport(data, "$", drift)
    return finish(fit(sport | {"total": len(sport["competitions"])}, SPORT_FIT, budget), drift)


def _market(raw: Any, path: str, drift: Drift) -> dict[str, Any]:
    market = drift.pick(raw, MARKET_FIELDS, path)
    props = drift.items(raw, "propositions", path, optional=True)
    market["propositions"] = [drift.pick(p, PROPOSITION_FIELDS, f"{path}.propositions[*]") for p in props]
    return market


def _match(raw: Any, path: str, drift: Drift, market: str | None) -> dict[str, Any]:
    match = drift.pick(raw, MATCH_FIELDS, path)
    contestants = drift.items(raw, "contestants", path, optional=True)
    if contestants:
        match["contestants"] = [drift.pick(c, CONTESTANT_FIELDS, f"{path}.contestants[*]") for c in contestants]
    markets = [_market(m, f"{path}.markets[*]", drift) for m in drift.items(raw, "markets", path, optional=True)]
    if market:
        wanted = market.casefold()
        markets = [m for m in markets if wanted in f"{m.get('name', '')} {m.get('betOption', '')}".casefold()]
    return match | {"marketCount": len(markets), "markets": markets}


COMPETITION_FIT = ListFit(
    key="matches",
    noun="matches",
    label=_name,
    narrow="pass max_matches, or call sports_get_open_match_in_competition for one match's markets",
    summarise=lambda m: {k: v for k, v in m.items() if k != "markets"},
    summary_drops="their markets left out; marketCount kept",
)


def competition_answer(data: Any, *, budget: int, max_matches: int | None) -> dict[str, Any]:
    """``sports_get_open_competition``/tournament/resulted competition: matches with their top markets' prices."""
    drift = Drift()
    answer = _competition(data, "$", drift)
    matches = [_match(m, "$.matches[*]", drift, None) for m in drift.items(data, "matches", "$", optional=True)]
    shown = matches if max_matches is None else matches[:max_matches]
    answer |= {"total": len(matches), "shown": len(shown), "matches": shown}
    if len(shown) < len(matches):
        answer["omitted"] = [_name(m) for m in matches[len(shown) :]]
    return finish(fit(answer, COMPETITION_FIT, budget), drift)


MATCH_FIT = ListFit(
    key="markets",
    noun="markets",
    label=_name,
    narrow="pass market (a name or bet option, e.g. 'Head To Head') to narrow",
)


def match_answer(data: Any, *, budget: int, market: str | None) -> dict[str, Any]:
    """``sports_get_open_match_*``/resulted match: each market's name, bet option and status with its prices."""
    drift = Drift()
    match = _match(data, "$", drift, market)
    total = len(drift.items(data, "markets", "$", optional=True)) if isinstance(data, dict) else 0
    answer = match | {"total": total, "shown": len(match["markets"])}
    return finish(fit(answer, MATCH_FIT, budget), drift)


NEXT_FIT = ListFit(key="matches", noun="matches", label=_name, narrow="pass limit or sport to narrow")


def next_matches_answer(data: Any, *, budget: int, sport: str | None) -> dict[str, Any]:
    """``sports_get_next_to_go``: each match's name, sport, competition, start time and in-play flag."""
    drift = Drift()
    matches = [drift.pick(m, NEXT_MATCH_FIELDS, "$.matches[*]") for m in drift.items(data, "matches", "$")]
    chosen = [m for m in matches if sport is None or sport.casefold() in str(m.get("sportName", "")).casefold()]
    answer = {"total": len(matches), "shown": len(chosen), "matches": chosen}
    return finish(fit(answer, NEXT_FIT, budget), drift)
