"""The project's cassette sets, named once, so that a test says which data it relies on.

- ``CASSETTES``: ``cassettes/``, hand-built until re-recorded. ``make record`` replaces it with real recordings,
  so a test may rely on its shape (what any recording has) but never on a hand-built value or interaction.
- ``FIXED``: ``tests/unit/quirks/cassettes/``, the same interactions as the hand-built ``cassettes/``, written by
  ``python -m tabmcp_ops.cassette_builders`` and never re-recorded. A test that needs a particular venue, date, grant or
  request (a quirk, an encoded slash, a planted secret in the OAuth answer) reads this set, so it stays green
  after a real ``make record``.
- ``ALT``: ``cassettes-alt/``, the second data set (other venues, names, dates and ids), never re-recorded.
"""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CASSETTES = ROOT / "cassettes"
FIXED = ROOT / "tests" / "unit" / "quirks" / "cassettes"
ALT = ROOT / "cassettes-alt"
