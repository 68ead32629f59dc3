"""`make mutants`: locating each mutant by its context, applying it to a scratch copy, and the report."""

from __future__ import annotations

from pathlib import Path

import pytest

from tabmcp_ops import mutants
from tabmcp_ops.mutants import MUTANTS, Mutant, MutantError, apply, format_table, locate, measure, summarise

ROOT = Path(__file__).resolve().parents[2]
SOURCE = 'def path():\n    return info_get(\n        ("racing",\n         "jackpots"),\n    )\n'


def tree(tmp_path: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text)
    return tmp_path


JACKPOTS = Mutant("jackpots", "racing", '("racing", "jackpots")', '"jackpots"', '"jackpot"')


def test_every_mutant_is_found_exactly_once_in_tab_mcp() -> None:
    assert len(MUTANTS) >= 15
    assert {m.area for m in MUTANTS} == {"racing", "sports", "results", "footytab"}
    for mutant in MUTANTS:
        path, match = locate(ROOT, mutant)
        assert path.is_relative_to(ROOT / "tab_mcp") and mutant.old in match.group(0)


def test_a_context_matches_across_line_breaks_and_only_its_literal_changes(tmp_path: Path) -> None:
    root = tree(tmp_path, {"tab_mcp/tools/x.py": SOURCE, "tab_mcp/other.py": '"jackpots"\n'})
    changed = apply(root, JACKPOTS)
    assert changed == root / "tab_mcp/tools/x.py"
    assert changed.read_text() == SOURCE.replace('"jackpots"', '"jackpot"')
    assert (root / "tab_mcp/other.py").read_text() == '"jackpots"\n'


@pytest.mark.parametrize("copies", [0, 2])
def test_a_context_not_found_exactly_once_fails_loudly_naming_the_mutant(tmp_path: Path, copies: int) -> None:
    root = tree(tmp_path, {f"tab_mcp/m{i}.py": SOURCE for i in range(copies)} or {"tab_mcp/m.py": "pass\n"})
    with pytest.raises(MutantError, match=rf"mutant 'jackpots': .* is found {copies} times in tab_mcp/"):
        locate(root, JACKPOTS)


def test_measure_works_on_scratch_copies_and_never_edits_the_source(tmp_path: Path) -> None:
    source = tree(tmp_path / "src", {"tab_mcp/tools/x.py": SOURCE, "tests/smoke/test_x.py": "", "pyproject.toml": ""})
    seen: list[tuple[Path, str]] = []

    def runner(root: Path, command: list[str]) -> bool:
        mode = "live" if any("live_smoke" in part for part in command) else "offline"
        mutated = '"jackpot"' in (root / "tab_mcp/tools/x.py").read_text()
        seen.append((root, mode))
        return mutated and mode == "offline"  # a mutant only the offline run kills

    result = measure([JACKPOTS], runner=runner, source=source)
    assert (source / "tab_mcp/tools/x.py").read_text() == SOURCE
    assert all(root != source for root, _ in seen) and len(seen) == 4  # baseline twice, the mutant twice
    assert result["rows"][0]["killed"] == {"offline": True, "live": False}
    assert (result["offline_killed"], result["live_killed"], result["live_target_met"]) == (1, 0, False)


def test_measure_refuses_a_baseline_that_already_fails(tmp_path: Path) -> None:
    source = tree(tmp_path / "src", {"tab_mcp/tools/x.py": SOURCE})
    with pytest.raises(MutantError, match="the unmutated smoke suite fails offline"):
        measure([JACKPOTS], runner=lambda root, command: True, source=source)


def row(name: str, offline: bool, live: bool) -> dict:
    return {"mutant": name, "area": "racing", "change": '"a" -> "b"', "killed": {"offline": offline, "live": live}}


def test_targets_and_table() -> None:
    rows = [row(f"m{i}", True, True) for i in range(9)] + [row("m9", True, False)]
    result = summarise(rows)
    assert (result["offline_killed"], result["live_killed"]) == (10, 9)
    assert result["offline_target_met"] and result["live_target_met"]
    lines = format_table(result)
    assert lines[0] == "| mutant | area | change | offline | live |"
    assert '| m9 | racing | `"a" -> "b"` | killed | SURVIVED |' in lines
    assert "offline killed 10 of 10; live killed 9 of 10." in lines
    worse = summarise([*rows[:8], row("x", True, False), row("y", False, False), row("z", False, False)])
    assert not worse["offline_target_met"] and not worse["live_target_met"]


def test_main_reports_a_context_error_with_exit_2(monkeypatch: pytest.MonkeyPatch, capsys) -> None:
    def broken(chosen):
        raise MutantError("mutant 'x': its context is found 0 times")

    monkeypatch.setattr(mutants, "measure", broken)
    assert mutants.main(["--only", "jackpots"]) == 2
    assert "mutants: error: mutant 'x'" in capsys.readouterr().err


def test_main_refuses_an_unknown_only_name_before_any_run(monkeypatch: pytest.MonkeyPatch, capsys) -> None:
    monkeypatch.setattr(mutants, "measure", lambda chosen: pytest.fail("measure ran for an unknown mutant"))
    with pytest.raises(SystemExit) as excinfo:
        mutants.main(["--only", "jackpots", "--only", "jackpotz"])
    assert excinfo.value.code == 2
    err = capsys.readouterr().err
    assert "--only 'jackpotz': no such mutant; choose from 'dates'," in err and "Traceback" not in err


def test_run_mode_counts_a_failing_run_as_killed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import sys

    assert mutants.run_mode(tmp_path, [sys.executable, "-c", "raise SystemExit(1)"]) is True
    assert mutants.run_mode(tmp_path, [sys.executable, "-c", "pass"]) is False
    monkeypatch.setattr(mutants, "RUN_TIMEOUT_S", 0.5)
    assert mutants.run_mode(tmp_path, [sys.executable, "-c", "import time; time.sleep(5)"]) is True


def test_main_prints_the_table_writes_json_and_fails_on_a_missed_target(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys
) -> None:
    monkeypatch.setattr(mutants, "measure", lambda chosen: summarise([row("m0", True, False)]))
    assert mutants.main(["--json", str(tmp_path / "m.json")]) == 1
    assert "| m0 | racing |" in capsys.readouterr().out
    assert '"live_killed": 0' in (tmp_path / "m.json").read_text()
    monkeypatch.setattr(mutants, "measure", lambda chosen: summarise([row("m0", True, True)]))
    assert mutants.main([]) == 0
