"""Measure every mutant of both kinds in both modes, in parallel, on scratch copies of the repository.

Request-side mutants each get their own copy with one literal of ``tab_mcp/`` changed; response-side mutants
(drifts) all share the unmutated copy, since their change is applied to the data as it loads. Before the first
mutant: every request mutant must be located exactly once, every drift must change some recorded body, and the
unmutated suite must pass in both modes; otherwise :class:`MutantError` stops the run.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from pytest_tabmcp.standin.cassettes import load_cassettes
from tabmcp_ops.mutants.request_side import Mutant, MutantError, apply, locate
from tabmcp_ops.mutants.response_side import Drift
from tabmcp_ops.mutants.runs import Outcome, Run, execute, smoke_run

ROOT = Path(__file__).resolve().parents[2]
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
MODES = ("offline", "live")
TARGET_SHARE = 0.9
Executor = Callable[[Run], Outcome]


@dataclass(frozen=True)
class Case:
    """One mutant to measure: its kind (``request`` or ``response``), what it changes, and how to set it up."""

    kind: str
    name: str
    area: str
    change: str
    mutant: Mutant | None = None
    drift: Drift | None = None

    @property
    def slug(self) -> str:
        """A file-name-safe name for its logs."""
        return f"{self.kind}-" + "".join(c if c.isalnum() else "-" for c in self.name)


def cases(mutants: Sequence[Mutant], drifts: Sequence[Drift]) -> list[Case]:
    """Request-side cases first, then response-side ones, in their tables' order."""
    request = [Case("request", m.name, m.area, f"{m.old} -> {m.new}", mutant=m) for m in mutants]
    return request + [Case("response", d.name, d.area, d.description, drift=d) for d in drifts]


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


def drifted_bodies(drift: Drift, cassette_dir: Path) -> int:
    """How many recorded bodies under ``cassette_dir`` the drift changes (the stand-in's loader reads them)."""
    changed = 0

    def counting(method: str, path: str, body: bytes) -> bytes:
        nonlocal changed
        changed += drift.apply(path, body) is not None
        return body

    load_cassettes(cassette_dir, transform=counting)
    return changed


def check_cases(chosen: Sequence[Case], pristine: Path) -> None:
    """Every request mutant is located once and every drift changes some body, before the first (slow) run."""
    for case in chosen:
        if case.mutant is not None:
            locate(pristine, case.mutant)
        if case.drift is not None and not drifted_bodies(case.drift, pristine / "cassettes"):
            raise MutantError(
                f"drift {case.name!r} changes no recorded body under cassettes/ (its paths {case.drift.paths!r} or "
                f"fields {case.drift.fields} are gone); update tabmcp_ops/mutants/response_side.py"
            )


def check_baseline(pristine: Path, log_dir: Path, executor: Executor) -> None:
    """The unmutated suite passes offline and live; anything else stops the run naming the mode and its log."""
    for mode in MODES:
        outcome = executor(smoke_run(mode, pristine, log_dir, "baseline"))
        if outcome.verdict != "survived":
            raise MutantError(
                f"the unmutated smoke suite does not pass {mode} ({outcome.reason}); see {outcome.log} and fix that "
                "before measuring mutants"
            )


def _prepare(case: Case, number: int, pristine: Path, tmp: Path) -> tuple[Path, str]:
    """The tree a case runs in (a mutated copy for a request mutant) and the changed file, if any."""
    if case.mutant is None:
        return pristine, ""
    work = tmp / f"m{number}"
    shutil.copytree(pristine, work)
    return work, str(apply(work, case.mutant).relative_to(work))


def measure(
    chosen: Sequence[Case],
    *,
    log_dir: Path,
    jobs: int = 2,
    executor: Executor = execute,
    source: Path = ROOT,
) -> dict[str, Any]:
    """Check the cases and the baseline, then run every case in both modes (``jobs`` at a time); the results."""
    log_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="tabmcp-mutants-") as tmp_name:
        tmp = Path(tmp_name)
        pristine = scratch_copy(source, tmp / "pristine")
        check_cases(chosen, pristine)
        check_baseline(pristine, log_dir, executor)
        trees = [_prepare(case, number, pristine, tmp) for number, case in enumerate(chosen)]

        def one(item: tuple[Case, Path, str]) -> Outcome:
            case, root, mode = item
            drift = case.drift.name if case.drift is not None else None
            outcome = executor(smoke_run(mode, root, log_dir, case.slug, drift=drift))
            print(f"mutants: {case.kind} {case.name} {mode}: {outcome.verdict} ({outcome.reason})", file=sys.stderr)
            return outcome

        work = [(case, root, mode) for case, (root, _file) in zip(chosen, trees, strict=True) for mode in MODES]
        with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
            outcomes = list(pool.map(one, work))
    rows = []
    for number, (case, (_root, changed)) in enumerate(zip(chosen, trees, strict=True)):
        offline, live = outcomes[2 * number], outcomes[2 * number + 1]
        rows.append(
            {
                "mutant": case.name,
                "kind": case.kind,
                "area": case.area,
                "change": case.change,
                "file": changed,
                "offline": asdict(offline),
                "live": asdict(live),
            }
        )
    return summarise(rows, log_dir=log_dir)


def _kind_totals(rows: list[dict[str, Any]]) -> dict[str, Any]:
    def killed(row: dict[str, Any], mode: str) -> bool:
        return bool(row[mode]["verdict"] == "killed")

    total = len(rows)
    offline = sum(killed(r, "offline") for r in rows)
    live_of_offline = sum(killed(r, "offline") and killed(r, "live") for r in rows)
    return {
        "total": total,
        "offline_killed": offline,
        "live_killed": sum(killed(r, "live") for r in rows),
        "live_of_offline_killed": live_of_offline,
        "errors": sum(r[mode]["verdict"] == "error" for r in rows for mode in MODES),
        "offline_target_met": total > 0 and offline >= TARGET_SHARE * total,
        "live_target_met": total > 0 and live_of_offline >= TARGET_SHARE * offline,
    }


def summarise(rows: list[dict[str, Any]], *, log_dir: Path) -> dict[str, Any]:
    """Totals and the two targets for each kind, the error count, and whether the run passes."""
    kinds = {kind: _kind_totals([r for r in rows if r["kind"] == kind]) for kind in ("request", "response")}
    present = [totals for totals in kinds.values() if totals["total"]]
    errors = sum(totals["errors"] for totals in kinds.values())
    passed = bool(present) and errors == 0 and all(t["offline_target_met"] and t["live_target_met"] for t in present)
    return {"rows": rows, "kinds": kinds, "errors": errors, "passed": passed, "log_dir": str(log_dir)}
