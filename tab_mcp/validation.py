"""Validators for the arguments with a fixed vocabulary: jurisdiction, race type, dates, race numbers, pools.

Each returns the canonical value or raises ``InputError`` with one sentence listing the valid values, so a
bad argument never reaches upstream and never surfaces as a pydantic dump.
"""

from __future__ import annotations

import datetime as dt
import re

from tab_mcp.errors import InputError
from tab_mcp.settings import JURISDICTIONS, Settings

__all__ = [
    "DATE_PATTERN",
    "DATE_WORDS",
    "RACE_TYPES",
    "WAGERING_PRODUCTS",
    "check_date",
    "check_jurisdiction",
    "check_race_number",
    "check_race_type",
    "check_wagering_product",
]

RACE_TYPES = {"R": "thoroughbred", "H": "harness", "G": "greyhound"}
DATE_WORDS = ("today", "tomorrow", "futures")
DATE_PATTERN = r"^(\d{4}-\d{2}-\d{2}|today|tomorrow|futures)$"
WAGERING_PRODUCTS = (
    "Win",
    "Place",
    "Quinella",
    "Exacta",
    "Duet",
    "Trifecta",
    "FirstFour",
    "RunningDouble",
    "DailyDouble",
    "Quaddie",
    "EarlyQuaddie",
    "Treble",
    "Big6",
)
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_PRODUCT_BY_KEY = {p.lower(): p for p in WAGERING_PRODUCTS}


def check_jurisdiction(value: str | None, settings: Settings) -> str:
    """Return the upper-case jurisdiction, the configured default when None, or refuse an unknown one."""
    if value is None or value == "":
        return settings.jurisdiction
    code = value.strip().upper()
    if code not in JURISDICTIONS:
        raise InputError(f"Unknown jurisdiction {value!r}: use one of {', '.join(JURISDICTIONS)} (WA is not served).")
    return code


def check_race_type(value: str) -> str:
    """Return the race type code R, H or G, or refuse anything else."""
    code = value.strip().upper()
    if code not in RACE_TYPES:
        raise InputError(f"Unknown race_type {value!r}: use R (thoroughbred), H (harness) or G (greyhound).")
    return code


def check_date(value: str, *, label: str = "meeting_date") -> str:
    """Return a valid date segment (YYYY-MM-DD, today, tomorrow, futures), or refuse it."""
    text = value.strip()
    if text.lower() in DATE_WORDS:
        return text.lower()
    if _ISO_DATE.match(text):
        try:
            dt.date.fromisoformat(text)
            return text
        except ValueError:
            pass
    raise InputError(
        f"{label} {value!r} is not a date: use YYYY-MM-DD (e.g. 2026-09-23), 'today', 'tomorrow' or 'futures'."
    )


def check_race_number(value: int | str) -> int | str:
    """Return a positive race number, or a non-empty race name for fixed-odds-only meetings."""
    if isinstance(value, int):
        if value < 1:
            raise InputError(f"race_number {value} is not a race number: races are numbered from 1.")
        return value
    text = value.strip()
    if text.isdigit():
        return check_race_number(int(text))
    if not text:
        raise InputError("race_number must not be empty: pass a race number such as 2, or a matchName.")
    return text


def check_wagering_product(value: str) -> str:
    """Return the canonical wagering product name (case-insensitive), or refuse an unknown one."""
    product = _PRODUCT_BY_KEY.get(value.strip().lower().replace(" ", "").replace("_", ""))
    if product is None:
        raise InputError(f"Unknown wagering_product {value!r}: use one of {', '.join(WAGERING_PRODUCTS)}.")
    return product
