"""Shaped answers of one race: the race card, its form guide and one runner's form (tabcorp-api.md §8, §10).

A race card keeps every runner with number, name, barrier, jockey/driver, trainer, weight, scratching status
(``bettingStatus``) and the current fixed and tote win/place prices; flucs, return history, silks, ratings and
market extras stay in the full body. The form keeps each runner's profile, start summaries and recent starts.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from tab_mcp.shaping.answer import field_schema, finish
from tab_mcp.shaping.budget import ListFit, compact, fit
from tab_mcp.shaping.fields import ARRAY, BOOL, INT, NUM, OBJECT, STR, Drift, Named
from tab_mcp.shaping.racing import MEETING_FIELDS

__all__ = [
    "FORM_SCHEMA",
    "RACE_CARD_SCHEMA",
    "RUNNER_FORM_SCHEMA",
    "form_answer",
    "race_card_answer",
    "runner_form_answer",
]

CARD_FIELDS = (
    Named("raceNumber", INT),
    Named("raceName", STR),
    Named("raceStartTime", STR),
    Named("raceStatus", STR),
    Named("matchName", STR, optional=True),
    Named("raceDistance", INT, optional=True),
    Named("raceClassConditions", STR, optional=True),
    Named("prizeMoney", STR, optional=True),
    Named("hasFixedOdds", BOOL, optional=True),
    Named("hasParimutuel", BOOL, optional=True),
    Named("results", ARRAY, optional=True),
    Named("dividends", ARRAY, optional=True),
    Named("tips", ARRAY, optional=True),
)
CARD_MEETING_FIELDS = MEETING_FIELDS  # the race card's meeting block names the meetings list's fields
RUNNER_FIELDS = (
    Named("runnerNumber", INT),
    Named("runnerName", STR),
    Named("barrierNumber", INT, optional=True),
    Named("riderDriverName", STR, optional=True),
    Named("trainerName", STR, optional=True),
    Named("handicapWeight", NUM, optional=True),
    Named("last5Starts", STR, optional=True, nullable=True),
    Named("emergency", BOOL, optional=True),
    Named("vacantBox", BOOL, optional=True),
)
FIXED_FIELDS = (
    Named("returnWin", NUM),
    Named("returnPlace", NUM, optional=True),
    Named("bettingStatus", STR, optional=True),
    Named("isFavouriteWin", BOOL, optional=True),
)
TOTE_FIELDS = (
    Named("returnWin", NUM, optional=True),
    Named("returnPlace", NUM, optional=True),
    Named("bettingStatus", STR, optional=True),
)
POOL_FIELDS = (
    Named("wageringProduct", STR),
    Named("poolTotal", NUM, optional=True),
    Named("jackpot", NUM, optional=True),
)
FORM_FIELDS = (
    Named("runnerNumber", INT),
    Named("runnerName", STR),
    Named("last20Starts", STR, optional=True, nullable=True),
    Named("age", INT, optional=True),
    Named("sex", STR, optional=True),
    Named("sire", STR, optional=True),
    Named("dam", STR, optional=True),
    Named("trainerName", STR, optional=True),
    Named("riderOrDriver", STR, optional=True, nullable=True),
    Named("handicapWeight", NUM, optional=True),
    Named("prizeMoney", STR, optional=True),
    Named("daysSinceLastRun", INT, optional=True, nullable=True),
    Named("runsSinceSpell", INT, optional=True, nullable=True),
    Named("formComment", STR, optional=True, nullable=True),
)
START_FIELDS = (
    Named("startType", STR, optional=True),
    Named("startDate", STR),
    Named("venueAbbreviation", STR, optional=True),
    Named("raceNumber", INT, optional=True),
    Named("distance", INT, optional=True),
    Named("class", STR, optional=True),
    Named("trackCondition", STR, optional=True, nullable=True),
    Named("finishingPosition", STR, nullable=True),
    Named("numberOfStarters", INT, optional=True),
    Named("margin", STR, optional=True, nullable=True),
    Named("odds", STR, optional=True, nullable=True),
    Named("rider", STR, optional=True, nullable=True),
    Named("time", STR, optional=True, nullable=True),
)
# The start summaries a punter reads first; the rest (firm, slow, classSame...) stay in the full body.
_NOTE_ROOM = 400
SUMMARY_KEYS = ("overall", "track", "distance", "trackDistance", "firstUp", "secondUp", "good", "soft", "heavy")

_RUNNER = field_schema(
    RUNNER_FIELDS, {"fixedOdds": field_schema(FIXED_FIELDS), "parimutuel": field_schema(TOTE_FIELDS)}
)
RACE_CARD_SCHEMA = field_schema(
    CARD_FIELDS,
    {
        "meeting": field_schema(CARD_MEETING_FIELDS),
        "runners": {"type": ARRAY, "items": _RUNNER},
        "pools": {"type": ARRAY, "items": field_schema(POOL_FIELDS)},
    },
)["properties"]
_STARTS = {
    "type": OBJECT,
    "properties": {
        "startSummaries": {"type": OBJECT},
        "previousStarts": {"type": ARRAY, "items": field_schema(START_FIELDS)},
    },
}
_FORM = field_schema(FORM_FIELDS, {"runnerStarts": _STARTS})
FORM_SCHEMA = {"form": {"type": ARRAY, "items": _FORM}}
RUNNER_FORM_SCHEMA = _FORM["properties"]


def _wanted(number: object, runner_numbers: Collection[int] | None) -> bool:
    return runner_numbers is None or number in runner_numbers


def _runner(raw: Any, drift: Drift) -> dict[str, Any]:
    runner = drift.pick(raw, RUNNER_FIELDS, "$.runners[*]")
    runner["fixedOdds"] = drift.pick(
        raw.get("fixedOdds") if isinstance(raw, dict) else None, FIXED_FIELDS, "$.runners[*].fixedOdds"
    )
    if isinstance(raw, dict) and "parimutuel" in raw:
        runner["parimutuel"] = drift.pick(raw["parimutuel"], TOTE_FIELDS, "$.runners[*].parimutuel")
    return runner


def _runner_label(item: dict[str, Any]) -> str:
    return f"{item.get('runnerNumber', '?')} {item.get('runnerName', '?')}"


CARD_FIT = ListFit(key="runners", noun="runners", label=_runner_label, narrow="pass runner_numbers to narrow")


def race_card_answer(data: Any, *, budget: int, runner_numbers: Collection[int] | None) -> dict[str, Any]:
    """``racing_get_race``: the race's identity, meeting, every runner with its prices, and the pools' totals."""
    drift = Drift()
    card = drift.pick(data, CARD_FIELDS, "$")
    card["meeting"] = drift.pick(
        data.get("meeting") if isinstance(data, dict) else None, CARD_MEETING_FIELDS, "$.meeting"
    )
    runners = [_runner(r, drift) for r in drift.items(data, "runners", "$")]
    chosen = [r for r in runners if _wanted(r.get("runnerNumber"), runner_numbers)]
    pools = [drift.pick(p, POOL_FIELDS, "$.pools[*]") for p in drift.items(data, "pools", "$", optional=True)]
    answer = card | {"total": len(runners), "shown": len(chosen), "runners": chosen, "pools": pools}
    return finish(fit(answer, CARD_FIT, budget), drift)


def _starts(raw: Any, path: str, drift: Drift, max_starts: int) -> dict[str, Any]:
    block = raw.get("runnerStarts") if isinstance(raw, dict) else None
    if block is None:
        return {}
    summaries = block.get("startSummaries") if isinstance(block, dict) else None
    kept = {k: summaries[k] for k in SUMMARY_KEYS if k in summaries} if isinstance(summaries, dict) else {}
    starts = [
        drift.pick(s, START_FIELDS, f"{path}.runnerStarts.previousStarts[*]")
        for s in drift.items(block, "previousStarts", f"{path}.runnerStarts", optional=True)
    ]
    starts.sort(key=lambda s: str(s.get("startDate", "")), reverse=True)  # TAB's order is not documented
    return {"startSummaries": kept, "previousStarts": starts[:max_starts]}


def _runner_form(raw: Any, path: str, drift: Drift, max_starts: int) -> dict[str, Any]:
    runner = drift.pick(raw, FORM_FIELDS, path)
    runner["runnerStarts"] = _starts(raw, path, drift, max_starts)
    return runner


def _drop_starts(item: dict[str, Any]) -> dict[str, Any]:
    starts = item.get("runnerStarts", {})
    return item | {"runnerStarts": {"startSummaries": starts.get("startSummaries", {})}}


FORM_FIT = ListFit(
    key="form",
    noun="runners",
    label=_runner_label,
    narrow="pass runner_numbers or a smaller max_starts, or call racing_get_runner_form for one runner",
    summarise=_drop_starts,
    summary_drops="their previous starts left out",
)


def form_answer(data: Any, *, budget: int, runner_numbers: Collection[int] | None, max_starts: int) -> dict[str, Any]:
    """``racing_get_race_form``: each runner's profile, start summaries and its latest ``max_starts`` starts."""
    drift = Drift()
    form = [_runner_form(r, "$.form[*]", drift, max_starts) for r in drift.items(data, "form", "$")]
    chosen = [r for r in form if _wanted(r.get("runnerNumber"), runner_numbers)]
    answer = {"total": len(form), "shown": len(chosen), "form": chosen}
    return finish(fit(answer, FORM_FIT, budget), drift)


def runner_form_answer(data: Any, *, budget: int, max_starts: int) -> dict[str, Any]:
    """``racing_get_runner_form``: one runner's profile, start summaries and its latest ``max_starts`` starts."""
    drift = Drift()
    answer = _runner_form(data, "$", drift, max_starts)
    starts = answer["runnerStarts"].get("previousStarts", [])
    shown = len(starts)
    while shown and len(compact(answer)) > budget - _NOTE_ROOM:  # halving: a handful of passes at most
        shown //= 2
        answer["runnerStarts"]["previousStarts"] = starts[:shown]
    if shown < len(starts):
        answer["note"] = (
            f"Only the latest {shown} of {len(starts)} previous starts are shown to keep this answer within "
            f"{budget} characters; pass a smaller max_starts, or detail='full' for TAB's whole form."
        )
    return finish(answer, drift)
