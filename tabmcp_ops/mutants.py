"""Measure the smoke suite's live fidelity: is each one-literal change to ``tab_mcp/`` killed offline and live.

Each mutant renames one string of the server's upstream vocabulary (a path segment or a query parameter name),
which is what an upstream rename or a server regression looks like. For each, in a scratch copy of the
repository (the checkout is never edited), the smoke suite runs offline (cassettes, strict) and live (``tab-mcp
serve`` over the loopback stand-in, strict, failing on any stand-in miss). A mutant is *killed* in a mode when
the run fails. Targets: live kills at least 90% of what offline kills, and offline kills at least 90% of all.

A mutant is located by a literal in its context, searched across every ``tab_mcp/**/*.py`` (whitespace between
tokens is free), never by file name or line number, so a restructure of the tools does not silently move it;
a context found zero or several times stops the run naming the mutant.

Usage: ``python -m tabmcp_ops.mutants [--only NAME]... [--json PATH]``; exit 1 when a target is missed.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
COPIED = (
    "tab_mcp",
    "pytest_tabmcp",
    "tabmcp_ops",
    "tests",
    "cassettes",
    "cassettes-alt",
    "conftest.py",
    "pyproject.toml",
)
TARGET_SHARE = 0.9
RUN_TIMEOUT_S = 300


class MutantError(RuntimeError):
    """A mutant's context is not found exactly once in tab_mcp/ (the code moved or changed)."""


@dataclass(frozen=True)
class Mutant:
    """Replace ``old`` with ``new`` inside the one place of ``tab_mcp/`` that matches ``context``."""

    name: str
    area: str
    context: str
    old: str
    new: str


MUTANTS: tuple[Mutant, ...] = (
    Mutant("dates", "racing", '("racing", "dates"), what=', '"dates"', '"datez"'),
    Mutant("meetings", "racing", '("meeting_date", date), "meetings")', '"meetings"', '"meeting"'),
    Mutant("races", "racing", 'venue_mnemonic), "races"),', '"races"', '"race"'),
    Mutant("fixedOdds", "racing", 'extra={"fixedOdds": flag(fixed_odds)}', '"fixedOdds"', '"fixedodds"'),
    Mutant("next-to-go", "racing", '("racing", "next-to-go", "races")', '"next-to-go"', '"nextToGo"'),
    Mutant("maxRaces", "racing", 'extra={"maxRaces": max_races', '"maxRaces"', '"max_races"'),
    Mutant("form", "racing", 'race_number), "form"),', '"form"', '"forms"'),
    Mutant("runner form", "racing", '"form", ("runner_number", runner_number)', '"form"', '"forms"'),
    Mutant("pools", "racing", '"pools", ("wagering_product", product)', '"pools"', '"pool"'),
    Mutant("approximates", "racing", '("wagering_product", product), "approximates",', '"approximates"', '"approx"'),
    Mutant("jackpots", "racing", '("racing", "jackpots")', '"jackpots"', '"jackpot"'),
    Mutant("jackpot-pools", "racing", '("meeting_date", date), "jackpot-pools")', '"jackpot-pools"', '"jackpotPools"'),
    Mutant("sports", "sports", '("sports",), what="the open sports"', '"sports"', '"sport"'),
    Mutant(
        "competitions",
        "sports",
        '("sports", ("sport_name", sport_name), "competitions", ("competition_name", competition_name)),',
        '"competitions"',
        '"competition"',
    ),
    Mutant("tournaments", "sports", '"tournaments", ("tournament_name", tournament_name), )', '"tournaments"', '"t"'),
    Mutant("nextToGo", "sports", '("sports", "nextToGo")', '"nextToGo"', '"next-to-go"'),
    Mutant("limit", "sports", '"limit": limit,', '"limit"', '"max"'),
    Mutant("results", "results", '("sports", "results"), what="the resulted sports"', '"results"', '"result"'),
    Mutant("resulted sport", "results", '("sports", "results", ("sport_name", sport_name)),', '"results"', '"res"'),
    Mutant("rounds", "footytab", '"footy", "rounds"),', '"rounds"', '"round"'),
    Mutant("round", "footytab", '"footy", "rounds", ("round_number"', '"footy"', '"footytab"'),
    Mutant("series", "footytab", 'extra={"series": series or None}', '"series"', '"seriesNumber"'),
)


def context_pattern(context: str) -> re.Pattern[str]:
    """The regex of a context: its characters literally, any whitespace (or none) where it has a space."""
    return re.compile(r"\s*".join(re.escape(part) for part in context.split()))


def locate(root: Path, mutant: Mutant) -> tuple[Path, re.Match[str]]:
    """Find the one file and span of ``tab_mcp/`` matching the mutant's context; raise MutantError otherwise."""
    pattern = context_pattern(mutant.context)
    hits = [
        (path, match)
        for path in sorted((root / "tab_mcp").rglob("*.py"))
        for match in pattern.finditer(path.read_text(encoding="utf-8"))
    ]
    if len(hits) != 1:
        where = ", ".join(f"{p.relative_to(root)}:{m.start()}" for p, m in hits) or "nowhere"
        raise MutantError(
            f"mutant {mutant.name!r}: its context {mutant.context!r} is found {len(hits)} times in tab_mcp/ "
            f"({where}), not exactly once; update tabmcp_ops/mutants.py"
        )
    match = hits[0][1]
    if mutant.old not in match.group(0):
        raise MutantError(f"mutant {mutant.name!r}: {mutant.old} is not inside its context {mutant.context!r}")
    return hits[0]


def apply(root: Path, mutant: Mutant) -> Path:
    """Apply ``mutant`` to the tree at ``root`` (a scratch copy); return the changed file."""
    path, match = locate(root, mutant)
    text = path.read_text(encoding="utf-8")
    mutated = match.group(0).replace(mutant.old, mutant.new, 1)
    path.write_text(text[: match.start()] + mutated + text[match.end() :], encoding="utf-8")
    return path


def scratch_copy(source: Path, target: Path) -> Path:
    """Copy what the smoke suite needs from ``source`` into ``target`` (caches left out)."""
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc", ".pytest_cache")
    for name in COPIED:
        src = source / name
        if src.is_dir():
            shutil.copytree(src, target / name, ignore=ignore)
        elif src.exists():
            shutil.copy2(src, target / name)
    return target


def smoke_commands(root: Path) -> dict[str, list[str]]:
    """The two runs per mutant: offline from cassettes, and live over the stand-in (both strict, stop at first)."""
    python = sys.executable
    offline = [python, "-m", "pytest", "-m", "smoke", "--tabmcp-strict", "-x", "-q", "-p", "no:cacheprovider"]
    live = [python, "-m", "tabmcp_ops.live_smoke", "--cassette-dir", str(root / "cassettes")]
    return {"offline": [*offline, "tests/smoke"], "live": [*live, "--", "-x", "-q"]}


def run_mode(root: Path, command: list[str]) -> bool:
    """Run one smoke command in the scratch tree; True when it failed (the mutant is killed)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TAB_", "TABMCP_"))}
    env["PYTHONPATH"] = str(root)  # the scratch copy's tab_mcp wins over the editable install of the checkout
    try:
        done = subprocess.run(  # noqa: S603 - fixed argv
            command, cwd=root, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=RUN_TIMEOUT_S
        )
    except subprocess.TimeoutExpired:
        return True
    return done.returncode != 0


Runner = Callable[[Path, list[str]], bool]


def measure(mutants: Sequence[Mutant], runner: Runner = run_mode, source: Path = ROOT) -> dict[str, object]:
    """Check the unmutated baseline passes, then run every mutant in both modes; return the results."""
    rows = []
    with tempfile.TemporaryDirectory(prefix="tabmcp-mutants-") as tmp:
        pristine = scratch_copy(source, Path(tmp) / "pristine")
        for mutant in mutants:
            locate(pristine, mutant)  # every mutant is checked before the first (slow) run
        for mode, command in smoke_commands(pristine).items():
            if runner(pristine, command):
                raise MutantError(f"the unmutated smoke suite fails {mode}; fix that before measuring mutants")
        for number, mutant in enumerate(mutants):
            work = Path(tmp) / f"m{number}"
            shutil.copytree(pristine, work)
            changed = apply(work, mutant)
            started = time.monotonic()
            killed = {mode: runner(work, cmd) for mode, cmd in smoke_commands(work).items()}
            rows.append(
                {
                    "mutant": mutant.name,
                    "area": mutant.area,
                    "file": str(changed.relative_to(work)),
                    "change": f"{mutant.old} -> {mutant.new}",
                    "killed": killed,
                    "seconds": round(time.monotonic() - started, 1),
                }
            )
            print(f"mutants: {mutant.name}: {killed}", file=sys.stderr, flush=True)
            shutil.rmtree(work)
    return summarise(rows)


def summarise(rows: list[dict[str, Any]]) -> dict[str, object]:
    """Totals and the two targets from the per-mutant rows."""
    total = len(rows)
    offline = sum(1 for r in rows if r["killed"]["offline"])
    live = sum(1 for r in rows if r["killed"]["live"])
    live_of_offline = sum(1 for r in rows if r["killed"]["offline"] and r["killed"]["live"])
    return {
        "rows": rows,
        "total": total,
        "offline_killed": offline,
        "live_killed": live,
        "offline_target_met": total > 0 and offline >= TARGET_SHARE * total,
        "live_target_met": live_of_offline >= TARGET_SHARE * offline,
    }


def format_table(result: dict[str, Any]) -> list[str]:
    """Markdown table: one row per mutant with killed/survived per mode, then the totals and the verdict."""
    word = {True: "killed", False: "SURVIVED"}
    lines = ["| mutant | area | change | offline | live |", "|:--|:--|:--|:--|:--|"]
    for row in result["rows"]:
        killed = row["killed"]
        lines.append(
            f"| {row['mutant']} | {row['area']} | `{row['change']}` | {word[killed['offline']]} | "
            f"{word[killed['live']]} |"
        )
    total = result["total"]
    lines += [
        "",
        f"offline killed {result['offline_killed']} of {total}; live killed {result['live_killed']} of {total}.",
        f"targets: offline >= 90% of all: {'met' if result['offline_target_met'] else 'MISSED'}; "
        f"live >= 90% of offline kills: {'met' if result['live_target_met'] else 'MISSED'}.",
    ]
    return lines


def main(argv: Sequence[str] | None = None) -> int:
    """Run the mutants (all, or ``--only`` names), print the table; exit 1 when a target is missed, 2 on error."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--only", action="append", default=[], help="run only this mutant (repeatable)")
    parser.add_argument("--json", type=Path, help="also write the results as JSON here")
    args = parser.parse_args(argv)
    unknown = sorted(set(args.only) - {m.name for m in MUTANTS})
    if unknown:
        known = ", ".join(repr(m.name) for m in MUTANTS)
        parser.error(f"--only {', '.join(map(repr, unknown))}: no such mutant; choose from {known}")
    chosen = [m for m in MUTANTS if not args.only or m.name in args.only]
    try:
        result = measure(chosen)
    except MutantError as exc:
        print(f"mutants: error: {exc}", file=sys.stderr)
        return 2
    print("\n".join(format_table(result)))
    if args.json:
        args.json.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    return 0 if result["offline_target_met"] and result["live_target_met"] else 1


if __name__ == "__main__":
    sys.exit(main())
