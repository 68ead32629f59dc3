"""Keep an answer within the character budget: compact JSON, then summarise or leave out list items, and say so.

An answer's main list (meetings, runners, markets...) is fitted, never cut mid-item: first the items from the end
are replaced by their summary form (when the list has one), then items from the end are left out and named in
``omitted``. Either way ``note`` says in one sentence what was left out and which argument narrows the answer.
Sizes are measured on the compact JSON the model reads, which is also the structured content's size.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

__all__ = ["ListFit", "compact", "fit"]

# Room kept for the note, counts and omitted names, so the fitted answer lands under the budget in one pass.
_RESERVE = 1500
_MAX_LABELS = 60

Item = dict[str, Any]


def compact(data: Any) -> str:
    """``data`` as compact JSON text (no indentation, UTF-8 characters kept): what a model reads."""
    return json.dumps(data, separators=(",", ":"), ensure_ascii=False)


@dataclass(frozen=True)
class ListFit:
    """How one answer's main list is fitted: its key, how an item is named, its optional summary form, the way out."""

    key: str
    noun: str
    label: Callable[[Item], str]
    narrow: str
    summarise: Callable[[Item], Item] | None = None
    summary_drops: str = ""


def _sizes(items: list[Item]) -> list[int]:
    return [len(compact(item)) + 1 for item in items]  # +1: the comma between items


def _labels(items: list[Item], label: Callable[[Item], str]) -> list[str]:
    names = [label(item) for item in items]
    if len(names) > _MAX_LABELS:
        return [*names[:_MAX_LABELS], f"... and {len(names) - _MAX_LABELS} more"]
    return names


def _summarised(answer: Item, spec: ListFit, budget: int) -> tuple[list[Item], int] | None:
    """The list with the fewest items (from the end) in summary form that fits, and how many; None if none fits."""
    if spec.summarise is None:
        return None
    items: list[Item] = answer[spec.key]
    small = [spec.summarise(item) for item in items]
    full_sizes, small_sizes = _sizes(items), _sizes(small)
    room = budget - _RESERVE - len(compact({**answer, spec.key: []}))
    total = sum(small_sizes)
    if total > room:
        return None
    # Un-summarise items from the front while they fit: the first items keep their whole form.
    kept = 0
    while kept < len(items) and total - small_sizes[kept] + full_sizes[kept] <= room:
        total += full_sizes[kept] - small_sizes[kept]
        kept += 1
    return [*items[:kept], *small[kept:]], len(items) - kept


def _left_out(answer: Item, items: list[Item], spec: ListFit, budget: int) -> tuple[list[Item], list[Item]]:
    """The longest prefix of ``items`` that fits with the rest named in ``omitted``, and the rest."""
    room = budget - _RESERVE - len(compact({**answer, spec.key: []}))
    sizes = _sizes(items)
    label_sizes = [len(compact(spec.label(item))) + 1 for item in items]
    kept, used = 0, sum(label_sizes)
    while kept < len(items) and used + sizes[kept] - label_sizes[kept] <= room:
        used += sizes[kept] - label_sizes[kept]
        kept += 1
    return items[:kept], items[kept:]


def fit(answer: Item, spec: ListFit, budget: int) -> Item:
    """``answer`` itself when its compact JSON fits ``budget`` characters; else a fitted copy with ``note``."""
    if len(compact(answer)) <= budget:
        return answer
    total = len(answer[spec.key])
    summarised = _summarised(answer, spec, budget)
    if summarised is not None:
        items, count = summarised
        note = (
            f"The last {count} of {total} {spec.noun} are summarised ({spec.summary_drops}) to keep this "
            f"answer within {budget} characters; {spec.narrow}."
        )
        fitted = {**answer, spec.key: items, "note": note}
    else:
        start = [spec.summarise(item) for item in answer[spec.key]] if spec.summarise else answer[spec.key]
        kept, dropped = _left_out(answer, start, spec, budget)
        note = (
            f"{len(dropped)} of {total} {spec.noun} were left out (named in omitted) to keep this answer within "
            f"{budget} characters; {spec.narrow}."
        )
        omitted = [*_labels(dropped, spec.label), *answer.get("omitted", [])]  # then any left out by a max argument
        fitted = {**answer, spec.key: kept, "shown": len(kept), "omitted": omitted, "note": note}
    if len(compact(fitted)) > budget:  # one item alone outweighs the budget: say so rather than send it
        fitted = {k: v for k, v in answer.items() if k != spec.key} | {
            spec.key: [],
            "shown": 0,
            "omitted": _labels(answer[spec.key], spec.label),
            "note": f"Even one of the {spec.noun} is over {budget} characters; {spec.narrow}.",
        }
    return fitted
