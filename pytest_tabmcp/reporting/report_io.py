"""What the reporters (latency, skips, drift) share: reading a test report's properties, the step summary.

Each reporter is a class plugin registered on the controller only; xdist ships every report's
``user_properties`` there, so reading them from the reports is what makes ``-n 2`` report as a serial run.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

#: GitHub Actions sets this to a Markdown file shown on the run's page; each reporter appends its section.
SUMMARY_ENV = "GITHUB_STEP_SUMMARY"


def teardown_properties(report: pytest.TestReport, name: str) -> Iterator[object]:
    """The values of ``user_properties`` entries called ``name``, from a teardown report only.

    The teardown report carries every entry the test added, once; reading setup and call too would count
    each entry again.
    """
    if report.when != "teardown":
        return
    for key, value in report.user_properties:
        if key == name:
            yield value


def append_step_summary(markdown: str) -> None:
    """Append ``markdown`` to the GitHub step summary when running under Actions (else do nothing)."""
    summary = os.environ.get(SUMMARY_ENV)
    if summary:
        with Path(summary).open("a", encoding="utf-8") as fh:
            fh.write(markdown + "\n")
