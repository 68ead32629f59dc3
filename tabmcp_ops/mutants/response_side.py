"""Response-side mutants: drifts of the upstream data served to the smoke suite, applied when cassettes load.

A :class:`Drift` is what an upstream change looks like from here: a renamed block, an emptied list, a changed
type, a blanked name or a dropped field, in the JSON bodies of the requests whose path matches ``paths``. It is
applied to the recorded bodies as they are read (the cassette files are never edited or copied):

- offline, by the pytest plugin :mod:`tabmcp_ops.mutants.drift_plugin` (vcrpy's ``after_load_interaction``);
- live, by the stand-in: ``tabmcp-standin --response-transform tabmcp_ops.mutants.response_side:<name>`` looks
  the drift up by name in this module (a drift is a ``(method, path, body) -> body`` callable).

``where`` names the objects that carry the field, as a key path with ``[]`` for "each item of the list", matched
as a suffix of the path from the body's root (``markets[]`` is every market, at the top of a match body or
inside each of a competition's matches); an empty ``where`` is the body itself.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Literal
from urllib.parse import unquote

Change = Literal["rename", "empty", "retype", "blank", "drop"]
INFO = r"^/v1/tab-info-service"
RACE_CARD = INFO + r"/racing/dates/[^/]+/meetings/[^/]+/[^/]+/races/[^/]+$"
MEETINGS = INFO + r"/racing/dates/[^/]+/meetings$"
RACES = INFO + r"/racing/dates/[^/]+/meetings/[^/]+/[^/]+/races$"
OPEN_SPORTS = INFO + r"/sports(/(?!results(/|$))[^/]+)*/?$"  # every sports path but the resulted ones
RESULTS = INFO + r"/sports/results(/.*)?$"
FOOTY = INFO + r"/sports/[^/]+/footy/rounds"


@dataclass(frozen=True)
class Drift:
    """Change ``fields`` of the objects at ``where`` in every JSON body whose request path matches ``paths``."""

    name: str
    area: str
    paths: str
    where: str
    fields: tuple[str, ...]
    change: Change

    @property
    def description(self) -> str:
        """One line for the table: the change and where it lands (``rename runners[].fixedOdds``)."""
        at = f"{self.where}." if self.where else ""
        return f"{self.change} " + ", ".join(f"{at}{field}" for field in self.fields)

    def __call__(self, method: str, path: str, body: bytes) -> bytes:
        """The body the drifted upstream would have sent for ``method path`` (unchanged when nothing applies)."""
        changed = self.apply(path, body)
        return body if changed is None else changed

    def apply(self, path: str, body: bytes) -> bytes | None:
        """The drifted body, or None when this drift does not touch it (another path, not JSON, no such field)."""
        if not re.search(self.paths, unquote(path)):
            return None
        try:
            data = json.loads(body)
        except ValueError:
            return None
        touched = sum(self._change(obj) for obj in objects_at(data, self.where))
        return json.dumps(data).encode("utf-8") if touched else None

    def _change(self, obj: dict[str, Any]) -> int:
        touched = 0
        for field in self.fields:
            if field not in obj:
                continue
            value = obj[field]
            if self.change == "rename":
                obj[renamed(field)] = obj.pop(field)
            elif self.change == "drop":
                del obj[field]
            elif self.change == "empty":
                obj[field] = [] if isinstance(value, list) else {}
            elif self.change == "blank":
                obj[field] = ""
            else:
                obj[field] = retyped(value)
            touched += 1
        return touched


def renamed(field: str) -> str:
    """What a renamed field is called: another spelling of the same idea, as an upstream rename would be."""
    return f"{field}V2"


def retyped(value: Any) -> Any:
    """The same value under another JSON type: a number or boolean as a string, a string or object in a list."""
    if isinstance(value, bool | int | float):
        return str(value)
    if isinstance(value, list):
        return {"items": value}
    return [value]


def _tokens(where: str) -> tuple[str, ...]:
    return tuple(token for part in where.split(".") if part for token in re.findall(r"[^\[\]]+|\[\]", part))


def objects_at(data: Any, where: str) -> Iterable[dict[str, Any]]:
    """Every object in ``data`` whose key path from the root ends with ``where`` (the root itself for ``""``)."""
    wanted = _tokens(where)
    if not wanted:
        if isinstance(data, dict):
            yield data
        return
    stack: list[tuple[Any, tuple[str, ...]]] = [(data, ())]
    while stack:
        node, trail = stack.pop()
        if isinstance(node, dict):
            if trail[-len(wanted) :] == wanted:
                yield node
            stack.extend((value, (*trail, key)) for key, value in node.items())
        elif isinstance(node, list):
            stack.extend((item, (*trail, "[]")) for item in node)


DRIFTS: tuple[Drift, ...] = (
    # racing
    Drift("runner_prices_renamed", "racing", RACE_CARD, "runners[]", ("fixedOdds", "parimutuel"), "rename"),
    Drift("runners_emptied", "racing", RACE_CARD, "", ("runners",), "empty"),
    Drift("runner_name_blanked", "racing", RACE_CARD, "runners[]", ("runnerName",), "blank"),
    Drift("meetings_emptied", "racing", MEETINGS, "", ("meetings",), "empty"),
    Drift("meeting_venue_renamed", "racing", MEETINGS, "meetings[]", ("venueMnemonic",), "rename"),
    Drift("race_number_retyped", "racing", RACES, "races[]", ("raceNumber",), "retype"),
    Drift("race_start_renamed", "racing", INFO + r"/racing/next-to-go/races$", "races[]", ("raceStartTime",), "rename"),
    Drift("card_pools_renamed", "racing", RACE_CARD, "", ("pools",), "rename"),
    Drift("approximates_emptied", "racing", INFO + r"/racing/.*/approximates$", "", ("approximates",), "empty"),
    Drift("jackpot_amount_retyped", "racing", INFO + r"/racing/jackpots$", "jackpots[]", ("amount",), "retype"),
    Drift("form_runner_blanked", "racing", INFO + r"/racing/.*/form(/[^/]+)?$", "", ("runnerName",), "blank"),
    # sports
    Drift("match_markets_renamed", "sports", OPEN_SPORTS, "matches[]", ("markets",), "rename"),
    Drift("sport_competitions_emptied", "sports", INFO + r"/sports$", "sports[]", ("competitions",), "empty"),
    Drift("sport_name_blanked", "sports", INFO + r"/sports$", "sports[]", ("name",), "blank"),
    Drift("propositions_renamed", "sports", OPEN_SPORTS, "markets[]", ("propositions",), "rename"),
    Drift("proposition_price_retyped", "sports", OPEN_SPORTS, "propositions[]", ("returnWin",), "retype"),
    # results
    Drift("resulted_sports_emptied", "results", INFO + r"/sports/results$", "", ("sports",), "empty"),
    Drift("resulted_markets_renamed", "results", RESULTS, "", ("markets",), "rename"),
    Drift("resulted_time_dropped", "results", RESULTS, "", ("resultedTime",), "drop"),
    Drift("result_outcome_retyped", "results", RESULTS, "propositions[]", ("result",), "retype"),
    # FootyTAB
    Drift("rounds_emptied", "footytab", FOOTY + r"$", "", ("rounds",), "empty"),
    Drift("round_games_renamed", "footytab", FOOTY + r"/[^/]+$", "", ("games",), "rename"),
    Drift("round_number_retyped", "footytab", FOOTY + r"$", "rounds[]", ("roundNumber",), "retype"),
    Drift("team_name_blanked", "footytab", FOOTY + r"/[^/]+$", "games[]", ("homeTeam",), "blank"),
)
BY_NAME = {drift.name: drift for drift in DRIFTS}


def __getattr__(name: str) -> Drift:
    """``module:NAME`` import specs (the stand-in's ``--response-transform``) resolve a drift by its name."""
    try:
        return BY_NAME[name]
    except KeyError:
        raise AttributeError(f"no drift named {name!r}; choose from {', '.join(BY_NAME)}") from None
