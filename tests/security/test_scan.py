"""Static security scan: bandit finds nothing of medium or high severity in the shipped packages.

Offline and about 2 s, so it runs with the suite (``make lint`` runs the same scan). ``pip-audit`` needs the
network and runs in CI (``make audit``), not here.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BANDIT = Path(sys.executable).with_name("bandit")


def test_bandit_reports_no_medium_or_high_issue() -> None:
    args = [str(BANDIT), "-q", "-c", "pyproject.toml", "-r", "tab_mcp", "pytest_tabmcp", "-f", "json"]
    run = subprocess.run(args, cwd=ROOT, capture_output=True, text=True, timeout=120, check=False)  # noqa: S603
    report = json.loads(run.stdout)
    assert report["metrics"]["_totals"]["loc"] > 1000, "bandit scanned nothing"
    serious = [
        f"{r['test_id']} {r['issue_severity']} {r['filename']}:{r['line_number']} {r['issue_text']}"
        for r in report["results"]
        if r["issue_severity"] in ("MEDIUM", "HIGH")
    ]
    assert serious == [], serious
    assert report["errors"] == [], report["errors"]
