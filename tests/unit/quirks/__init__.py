"""Quirk tests: the hand-built data's particular cases, replayed from fixture cassettes never re-recorded.

The smoke suite checks only what holds for any real data; these check that the server carries TAB's documented
quirks through (a dead heat, late scratchings, a fixed-odds-only race addressed by names, non-ASCII names, ...)
on the fixed data in ``tests/unit/quirks/cassettes/``, which ``python -m tabmcp_ops.cassette_builders`` writes and
``make record`` never touches.
"""

from __future__ import annotations

from pathlib import Path

import pytest

CASSETTES = Path(__file__).resolve().parent / "cassettes"


def quirk_marks(cassette: str) -> list[pytest.MarkDecorator]:
    """The marks of a quirk module: anyio, offline only, and its fixture cassette (absolute, replay only)."""
    return [
        pytest.mark.anyio,
        pytest.mark.offline_only,
        pytest.mark.tabmcp(cassette=str(CASSETTES / f"{cassette}.yaml"), record_mode="none"),
    ]
