"""`make mutants`: locating request mutants, the measurement on scratch copies, the targets and the report."""

from __future__ import annotations

from pathlib import Path

import pytest

from tabmcp_ops.mutants import cli
from tabmcp_ops.mutants import measure as measuring
from tabmcp_ops.mutants.measure import Case, cases, measure, summarise
from tabmcp_ops.mutants.request_side import MUTANTS, Mutant, MutantError, apply, locate
from tabmcp_ops.mutants.response_side import DRIFTS, Drift
from tabmcp_ops.mutants.runs import Outcome, Run

ROOT = Path(__file__).resolve().parents[2]
SOURCE = 'def path():\n    return info_get(\n        ("racing",\n         "jackpots"),\n    )\n'
JACKPOTS = Mutant("jackpots", "racing", '("racing", "jackpots")', '"jackpots"', '"jackpot"')
RUNNERS = Drift("runners", "racing", r"/races/\d+$", "", ("runners",), "empty")
CARD = b'{"raceNumber": 1, "runners": [{"runnerNumber": 1}]}'
CASSETTE = f"""interactions:
- request: {{method: GET, uri: "https://api.beta.tab.com.au/v1/x/races/1", body: null, headers: {{}}}}
  response:
    status: {{code: 200, message: OK}}
    headers: {{}}
    body: {{string: '{CARD.decode()}'}}
version: 1
"""


def tree(tmp_path: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text)
    return tmp_path


def test_every_request_mutant_is_found_exactly_once_in_tab_mcp() -> None:
    assert len(MUTANTS) >= 15
    assert {m.area for m in MUTANTS} >= {"racing", "sports", "results", "footytab", "auth"}
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


def outcome(verdict: str, reason: str = "r") -> Outcome:
    return Outcome(verdict, reason, "x.log")  # type: ignore[arg-type]


def source_tree(tmp_path: Path) -> Path:
    return tree(
        tmp_path / "src",
        {"tab_mcp/tools/x.py": SOURCE, "tests/smoke/test_x.py": "", "cassettes/racing.yaml": CASSETTE},
    )


def test_measure_runs_each_case_in_both_modes_on_scratch_copies(tmp_path: Path) -> None:
    source = source_tree(tmp_path)
    seen: list[Run] = []

    def executor(run: Run) -> Outcome:
        seen.append(run)
        mutated = '"jackpot"' in (run.root / "tab_mcp/tools/x.py").read_text()
        drifted = "--tabmcp-drift" in run.command or "--response-transform" in run.command
        if run.slug == "baseline":
            return outcome("survived")
        if mutated:
            return outcome("killed") if run.mode == "offline" else outcome("survived")
        return outcome("killed" if drifted else "error")

    chosen = cases([JACKPOTS], [RUNNERS])
    result = measure(chosen, log_dir=tmp_path / "logs", jobs=2, executor=executor, source=source)
    assert (source / "tab_mcp/tools/x.py").read_text() == SOURCE  # the checkout is never edited
    assert all(run.root != source for run in seen) and len(seen) == 6  # baseline twice, two cases twice
    drift_runs = [run for run in seen if run.slug == "response-runners"]
    assert {run.root.name for run in drift_runs} == {"pristine"}  # drifts need no copy of their own
    request, response = result["rows"]
    assert request["file"] == "tab_mcp/tools/x.py" and request["change"] == '"jackpots" -> "jackpot"'
    assert (request["offline"]["verdict"], request["live"]["verdict"]) == ("killed", "survived")
    assert (response["offline"]["verdict"], response["live"]["verdict"]) == ("killed", "killed")
    assert result["kinds"]["request"]["live_target_met"] is False and result["passed"] is False
    assert result["kinds"]["response"]["offline_target_met"] and result["kinds"]["response"]["live_target_met"]


def test_measure_refuses_a_baseline_that_does_not_pass(tmp_path: Path) -> None:
    with pytest.raises(MutantError, match=r"the unmutated smoke suite does not pass offline \(timeout.*x.log"):
        measure(
            cases([JACKPOTS], []),
            log_dir=tmp_path / "logs",
            executor=lambda run: outcome("error", "timeout after 300 s"),
            source=source_tree(tmp_path),
        )


def test_a_drift_that_changes_no_recorded_body_stops_the_run(tmp_path: Path) -> None:
    stale = Drift("stale", "racing", r"/races/\d+$", "", ("runnerz",), "empty")
    with pytest.raises(MutantError, match="drift 'stale' changes no recorded body under cassettes/"):
        measure(cases([], [stale]), log_dir=tmp_path / "l", executor=pytest.fail, source=source_tree(tmp_path))


def test_every_drift_changes_the_primary_data_set() -> None:
    for drift in DRIFTS:
        assert measuring.drifted_bodies(drift, ROOT / "cassettes") > 0, drift.name


def row(name: str, offline: str, live: str, kind: str = "request") -> dict:
    return {
        "mutant": name,
        "kind": kind,
        "area": "racing",
        "change": '"a" -> "b"',
        "file": "",
        "offline": {"verdict": offline, "reason": "assertion: t::x", "log": "l"},
        "live": {"verdict": live, "reason": "timeout after 300 s", "log": "l"},
    }


def test_targets_per_kind_and_errors_fail_the_run(tmp_path: Path) -> None:
    rows = [row(f"m{i}", "killed", "killed") for i in range(9)] + [row("m9", "killed", "survived")]
    result = summarise(rows, log_dir=tmp_path)
    totals = result["kinds"]["request"]
    assert (totals["offline_killed"], totals["live_of_offline_killed"], totals["errors"]) == (10, 9, 0)
    assert result["passed"] and result["kinds"]["response"]["total"] == 0
    errored = summarise([*rows[:9], row("m9", "killed", "error")], log_dir=tmp_path)
    assert errored["errors"] == 1 and not errored["passed"]  # 9 of 10 still meets the targets, but an error fails
    weak = summarise([*rows, *(row(f"r{i}", "survived", "survived", "response") for i in range(2))], log_dir=tmp_path)
    assert not weak["kinds"]["response"]["offline_target_met"] and not weak["passed"]


def test_table_shows_both_kinds_each_verdict_and_the_log_folder(tmp_path: Path) -> None:
    rows = [row("m0", "killed", "error"), row("d0", "survived", "survived", "response")]
    lines = cli.format_table(summarise(rows, log_dir=tmp_path / "logs"))
    assert "**request-side (the server asks wrongly)**" in lines and "**response-side (the upstream drifts)**" in lines
    assert '| m0 | racing | `"a" -> "b"` | killed (assertion) | ERROR (timeout after 300 s) |' in lines
    assert '| d0 | racing | `"a" -> "b"` | SURVIVED | SURVIVED |' in lines
    assert any(line.startswith("response-side: offline killed 0 of 1;") for line in lines)
    assert (
        lines[-1]
        == f"Logs of every run: {tmp_path / 'logs'}/ (<kind>-<mutant>.<mode>.log, .xml, .json). FAIL: 1 error(s)."
    )


def test_main_reports_a_measurement_error_with_exit_2(monkeypatch: pytest.MonkeyPatch, capsys) -> None:
    def broken(chosen, **kwargs):
        raise MutantError("mutant 'x': its context is found 0 times")

    monkeypatch.setattr(cli, "measure", broken)
    assert cli.main(["--only", "jackpots"]) == 2
    assert "mutants: error: mutant 'x'" in capsys.readouterr().err


def test_main_refuses_an_unknown_only_name_before_any_run(monkeypatch: pytest.MonkeyPatch, capsys) -> None:
    monkeypatch.setattr(cli, "measure", lambda chosen, **kwargs: pytest.fail("measure ran for an unknown mutant"))
    with pytest.raises(SystemExit) as excinfo:
        cli.main(["--only", "jackpots", "--only", "jackpotz"])
    assert excinfo.value.code == 2
    err = capsys.readouterr().err
    assert "--only 'jackpotz': no such mutant; choose from 'dates'," in err and "Traceback" not in err


def test_main_chooses_by_kind_prints_the_table_writes_json_and_fails_on_a_miss(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys
) -> None:
    chosen: list[list[Case]] = []

    def fake(cases_: list[Case], **kwargs) -> dict:
        chosen.append(cases_)
        return summarise([row("m0", "killed", "survived")], log_dir=kwargs["log_dir"])

    monkeypatch.setattr(cli, "measure", fake)
    assert cli.main(["--kind", "response", "--json", str(tmp_path / "m.json"), "--log-dir", str(tmp_path)]) == 1
    assert {case.kind for case in chosen[0]} == {"response"} and len(chosen[0]) == len(DRIFTS)
    assert "| m0 | racing |" in capsys.readouterr().out
    assert '"live_of_offline_killed": 0' in (tmp_path / "m.json").read_text()
    monkeypatch.setattr(cli, "measure", lambda c, **kwargs: summarise([row("m", "killed", "killed")], log_dir=tmp_path))
    assert cli.main(["--only", "runners_emptied"]) == 0
