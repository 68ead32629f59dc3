"""Request-side mutants: one-literal changes to ``tab_mcp/`` (the server asks the upstream wrongly).

Each renames one string of the server's upstream vocabulary (a path segment or a query parameter name), which is
what an upstream rename or a server regression looks like, or stops the server sending its bearer token. A
mutant is located by a literal in its context, searched across every ``tab_mcp/**/*.py`` (whitespace between
tokens is free), never by file name or line number, so a restructure of the tools does not silently move it;
a context found zero or several times stops the run naming the mutant.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path


class MutantError(RuntimeError):
    """The mutants cannot be measured (a stale context or drift, a failing baseline); one sentence naming which."""


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
    # Never send Authorization: the server's cached token is never attached (TokenAuth.async_auth_flow).
    Mutant("no bearer", "auth", "token = await tokens.get_token() if token is None:", "token is None", "True"),
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
            f"({where}), not exactly once; update tabmcp_ops/mutants/request_side.py"
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
