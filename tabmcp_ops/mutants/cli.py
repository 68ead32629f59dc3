"""``make mutants``: the table of both kinds of mutants in both modes, the targets, and the exit code.

Usage: ``python -m tabmcp_ops.mutants [--only NAME]... [--kind request|response] [--jobs N] [--log-dir DIR]
[--json PATH]``. Exit 0 when every target is met with no error, 1 when a target is missed or a run is an error,
2 when the mutants cannot be measured (a stale mutant or drift, a failing baseline).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from tabmcp_ops.mutants.measure import ROOT, Case, cases, measure
from tabmcp_ops.mutants.request_side import MUTANTS, MutantError
from tabmcp_ops.mutants.response_side import DRIFTS

LOG_DIR = Path(".mutants")
_WORD = {"killed": "killed", "survived": "SURVIVED", "error": "ERROR"}
_KIND = {"request": "request-side (the server asks wrongly)", "response": "response-side (the upstream drifts)"}


def _cell(outcome: dict[str, Any]) -> str:
    """The verdict and, for a kill or an error, how (``killed (contract)``); the full reason is in the JSON."""
    word = _WORD[outcome["verdict"]]
    how = str(outcome["reason"]).split(":")[0]
    return word if outcome["verdict"] == "survived" else f"{word} ({how})"


def format_table(result: dict[str, Any]) -> list[str]:
    """Markdown: one table per kind (row per mutant, each mode's verdict and why), its totals, then the verdict."""
    lines: list[str] = []
    for kind, totals in result["kinds"].items():
        if not totals["total"]:
            continue
        lines += [f"**{_KIND[kind]}**", "", "| mutant | area | change | offline | live |", "|:--|:--|:--|:--|:--|"]
        for row in (r for r in result["rows"] if r["kind"] == kind):
            change = row["change"].replace("|", "\\|")
            lines.append(
                f"| {row['mutant']} | {row['area']} | `{change}` | {_cell(row['offline'])} | {_cell(row['live'])} |"
            )
        total = totals["total"]
        lines += [
            "",
            f"{kind}-side: offline killed {totals['offline_killed']} of {total}; live killed "
            f"{totals['live_of_offline_killed']} of the {totals['offline_killed']} offline kills "
            f"({totals['live_killed']} in all); errors {totals['errors']}. Targets: offline >= 90% of all: "
            f"{'met' if totals['offline_target_met'] else 'MISSED'}; live >= 90% of offline kills: "
            f"{'met' if totals['live_target_met'] else 'MISSED'}.",
            "",
        ]
    lines.append(
        f"Logs of every run: {result['log_dir']}/ (<kind>-<mutant>.<mode>.log, .xml, .json). "
        f"{'PASS' if result['passed'] else 'FAIL'}: {result['errors']} error(s)."
    )
    return lines


def _chosen(parser: argparse.ArgumentParser, args: argparse.Namespace) -> list[Case]:
    every = cases(MUTANTS, DRIFTS)
    unknown = sorted(set(args.only) - {c.name for c in every})
    if unknown:
        known = ", ".join(repr(c.name) for c in every)
        parser.error(f"--only {', '.join(map(repr, unknown))}: no such mutant; choose from {known}")
    return [c for c in every if (not args.only or c.name in args.only) and (not args.kind or c.kind == args.kind)]


def main(argv: Sequence[str] | None = None) -> int:
    """Run the mutants (all, or the chosen ones), print the tables; exit 0, 1 (target missed or error) or 2."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--only", action="append", default=[], help="run only this mutant (repeatable)")
    parser.add_argument("--kind", choices=("request", "response"), help="run only this kind")
    parser.add_argument("--jobs", type=int, default=min(2, os.cpu_count() or 1), help="mutant runs at a time")
    parser.add_argument("--log-dir", type=Path, default=ROOT / LOG_DIR, help="where every run's log is kept")
    parser.add_argument("--json", type=Path, help="also write the results as JSON here")
    args = parser.parse_args(argv)
    chosen = _chosen(parser, args)
    try:
        result = measure(chosen, log_dir=args.log_dir, jobs=args.jobs)
    except MutantError as exc:
        print(f"mutants: error: {exc}", file=sys.stderr)
        return 2
    print("\n".join(format_table(result)))
    if args.json:
        args.json.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    return 0 if result["passed"] else 1
