"""Put a test's measured figures where a reader finds them: the terminal, the JUnit XML and the report.

``-s`` is not the default and xdist workers have no terminal of their own, so each figure line is written
to the real stderr with capture suspended (xdist workers inherit the controller's stderr), recorded as a
``record_property`` (JUnit XML) and attached to the report as a "figures" section (shown with ``-rA``).
"""

from __future__ import annotations

import sys
from collections.abc import Mapping
from typing import Any

import pytest


def percentile(values: list[float], q: float) -> float:
    """The ``q``-quantile (0..1) of ``values`` by nearest rank; 0.0 for no values."""
    if not values:
        return 0.0
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q * len(ordered) + 0.5) - 1))
    return ordered[index]


def report_figures(request: pytest.FixtureRequest, title: str, figures: Mapping[str, Any]) -> str:
    """Show ``figures`` as one line ``[title] k=v ...``; return the line."""
    line = f"[{title}] " + " ".join(f"{key}={value}" for key, value in figures.items())
    for key, value in figures.items():
        request.node.user_properties.append((f"{title}.{key}", value))
    request.node.add_report_section("call", "figures", line)
    capture = request.config.pluginmanager.getplugin("capturemanager")
    if capture is not None:
        with capture.global_and_fixture_disabled():
            sys.stderr.write(f"\n{line}\n")
            sys.stderr.flush()
    return line
