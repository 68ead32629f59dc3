"""Answers of the tools whose body TAB does not document (jackpots, jackpot pools, FootyTAB, a resulted match).

With no named fields to shape from, the body itself is the answer (as compact JSON) while it fits the budget.
Over it, the body's largest top-level list is fitted (items left out from the end, named in ``omitted``) and the
answer says so, so a model never receives a body its host would refuse.
"""

from __future__ import annotations

from typing import Any

from tab_mcp.shaping.answer import SUMMARY
from tab_mcp.shaping.budget import ListFit, compact, fit

__all__ = ["GENERIC_SCHEMA", "body_answer"]

GENERIC_SCHEMA: dict[str, Any] = {}


def _label(item: Any) -> str:
    if isinstance(item, dict):
        for key in ("name", "displayName", "meetingName", "wageringProduct", "id"):
            if isinstance(item.get(key), (str, int)):
                return str(item[key])
    return compact(item)[:40]


def body_answer(data: Any, *, budget: int, noun: str) -> dict[str, Any]:
    """TAB's body while it fits ``budget`` characters; else its largest top-level list fitted, with a note."""
    body = data if isinstance(data, dict) else {"result": data}
    if len(compact(body)) <= budget:
        return body
    lists = [k for k, v in body.items() if isinstance(v, list)]
    if not lists:
        return {
            "detail": SUMMARY,
            "note": f"TAB's {noun} is over {budget} characters and has no list to shorten; "
            "pass detail='full' to receive it whole.",
        }
    key = max(lists, key=lambda k: len(compact(body[k])))
    spec = ListFit(key=key, noun=f"{key} items", label=_label, narrow="pass detail='full' to receive TAB's body whole")
    fitted = fit({**body, "total": len(body[key])}, spec, budget)
    return {"detail": SUMMARY, **fitted}
