"""Skipped smoke tests in the monitor: the report lists them, and skips that last are alerts.

A live smoke test skips when the data has nothing for it to check (no open match, no tournament). One such run
says little; skips that persist mean the monitor has gone partly blind. Two alerts, each on its own:

- ``skipped``: more than ``limit`` (default 20 %) of the smoke tests skipped in this run and in the previous run
  against the same URL (many tests blind at once);
- ``skipped_persistently``: one test skipped in ``runs`` (default 3) consecutive runs against the same URL,
  whatever the share (one test blind for good, which the share rule never sees). Runs in which the suite did
  not run (the server was down) neither break nor extend a streak.

Skips a mode marker excludes on purpose count towards neither. Pure functions; the skip reasons come from the
plugin's latency JSON (``skipped``: ``[{"test", "reason", "excluded_by"}]``).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from typing import Any

from pytest_tabmcp.reporting.skipped import SkippedTest, markdown_table
from tabmcp_ops.monitor.alert import Alert, SmokeResult

SKIP_SHARE_LIMIT = 0.2
SKIP_ALERT = "skipped"
SKIP_RUNS = 3
PERSISTENT_SKIP_ALERT = "skipped_persistently"


def skip_share(tests: int, skipped: int) -> float | None:
    """The share of tests that skipped (None when no test ran)."""
    return skipped / tests if tests else None


def skip_alert(
    smoke: SmokeResult | None, previous_share: float | None, limit: float = SKIP_SHARE_LIMIT
) -> Alert | None:
    """Alert when more than ``limit`` of the tests skipped in this run and in the previous one."""
    if smoke is None:
        return None
    share = skip_share(smoke.tests, smoke.skipped)
    if share is None or previous_share is None or share <= limit or previous_share <= limit:
        return None
    return Alert(
        SKIP_ALERT,
        f"{smoke.skipped} of {smoke.tests} smoke tests skipped ({share:.0%}), and {previous_share:.0%} in the "
        f"previous run: more than {limit:.0%} twice in a row, so the monitor is not checking what it should "
        "(see the skipped tests and their reasons in the report)",
    )


def persistent_skip_alert(
    current: Sequence[str], previous: Sequence[Sequence[str]], runs: int = SKIP_RUNS
) -> Alert | None:
    """Alert naming every test skipped in this run and in each of the ``runs - 1`` runs before it.

    ``current`` is this run's unexcused skipped tests; ``previous`` the same for earlier runs in which the suite
    ran, newest first. Fewer earlier runs than needed is no streak yet.
    """
    earlier = previous[: runs - 1]
    if runs < 1 or len(earlier) < runs - 1:
        return None
    lasting = [test for test in current if all(test in skipped for skipped in earlier)]
    if not lasting:
        return None
    shown = ", ".join(lasting[:5]) + (f" and {len(lasting) - 5} more" if len(lasting) > 5 else "")
    return Alert(
        PERSISTENT_SKIP_ALERT,
        f"{len(lasting)} smoke test(s) skipped in {runs} consecutive runs: {shown}; the monitor has not checked "
        "them since (see their reasons under Skipped tests in the report)",
    )


def unexcused_names(skipped: Sequence[SkippedTest]) -> list[str]:
    """The skipped tests no mode marker excuses (the ones a streak counts)."""
    return [skip.nodeid for skip in skipped if not skip.excluded_by]


def unexcused(smoke: SmokeResult | None, skipped: Sequence[SkippedTest]) -> SmokeResult | None:
    """``smoke`` without the tests a mode marker excludes on purpose (``offline_only`` live, ...).

    Such a skip is by design, not a blind spot, so it must not count towards the skip share.
    """
    if smoke is None:
        return None
    excused = min(smoke.skipped, sum(1 for skip in skipped if skip.excluded_by))
    return dataclasses.replace(smoke, tests=smoke.tests - excused, skipped=smoke.skipped - excused)


def skipped_tests(latency_report: Mapping[str, Any] | None) -> list[SkippedTest]:
    """The skipped tests listed in the plugin's latency JSON (empty when absent)."""
    if not latency_report:
        return []
    return [SkippedTest.from_dict(s) for s in latency_report.get("skipped") or [] if isinstance(s, Mapping)]


def render_skips(skipped: Sequence[SkippedTest]) -> str:
    """A Markdown section listing every skipped test with its reason (empty string when none skipped)."""
    if not skipped:
        return ""
    return "\n".join(["", f"### Skipped tests ({len(skipped)})", "", *markdown_table(skipped)]) + "\n"
