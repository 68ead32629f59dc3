"""Planted upstream drift: live mode fails with one sentence per difference and the monitor raises the drift alert.

The stand-in serves a modified copy of the cassettes (its own code is untouched): next-to-go races lose
``raceStartTime`` (renamed ``raceStartTimeUtc``) and race-card runners get ``runnerNumber`` as a string.
The monitor CLI runs the smoke suite live against ``tab-mcp serve`` over that stand-in, as in production.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from tabmcp_ops import processes
from tests.helpers.data_sets import FIXED
from tests.integration.test_monitor_check import PLACEHOLDERS, codes, run_check

RENAMED = (
    "racing_get_next_to_go: at $.races[*].raceStartTime the contract expects an ISO 8601 UTC timestamp, "
    "but the field is missing."
)
RETYPED = "racing_get_race: at $.runners[*].runnerNumber the contract expects an integer, but got a string."


def _rename_start_time(body: dict[str, Any]) -> None:
    for race in body.get("races", []):
        race["raceStartTimeUtc"] = race.pop("raceStartTime")


def _runner_numbers_to_strings(body: dict[str, Any]) -> None:
    for runner in body.get("runners", []):
        runner["runnerNumber"] = str(runner["runnerNumber"])


def plant_drift(source: Path, target: Path, edits: dict[str, Callable[[dict[str, Any]], None]]) -> int:
    """Copy the cassette dir ``source`` to ``target``, applying ``edits`` (by URI substring) to JSON bodies."""
    shutil.copytree(source, target)
    path = target / "racing.yaml"
    cassette = yaml.safe_load(path.read_text(encoding="utf-8"))
    changed = 0
    for interaction in cassette["interactions"]:
        uri = interaction["request"]["uri"].split("?")[0]
        for marker, edit in edits.items():
            if uri.endswith(marker):
                body = json.loads(interaction["response"]["body"]["string"])
                edit(body)
                interaction["response"]["body"]["string"] = json.dumps(body)
                changed += 1
    path.write_text(yaml.safe_dump(cassette, sort_keys=False), encoding="utf-8")
    return changed


@pytest.fixture
def drifted_stack(tmp_path: Path) -> Iterator[processes.Proc]:
    """``tab-mcp serve`` over a stand-in serving the drifted copy of the cassettes."""
    edits = {"/next-to-go/races": _rename_start_time, "/races/1": _runner_numbers_to_strings}
    assert plant_drift(FIXED, tmp_path / "drifted", edits) >= 2  # fixed data: the failing tests are known
    upstream = processes.start_standin(tmp_path / "drifted", log_dir=tmp_path / "logs")
    try:
        server = processes.start_server(upstream.url, log_dir=tmp_path / "logs", extra_env=PLACEHOLDERS)
        try:
            yield server
        finally:
            processes.stop(server)
    finally:
        processes.stop(upstream)


def test_planted_drift_fails_live_smoke_precisely_and_raises_the_drift_alert(drifted_stack, tmp_path):
    out = tmp_path / "out"
    code, status = run_check(
        drifted_stack.url,
        out,
        "-k",
        "test_next_to_go or test_race_card_describes_the_listed_race or test_meeting_dates",
    )
    assert code == 1
    # Drift alone: its own alert kind, not an outage; the other smoke test still passed.
    assert codes(status) == ["contract_drift"], status["alerts"]
    message = status["alerts"][0]["message"]
    assert message.startswith("upstream contract drift: 2 difference(s) in racing_get_next_to_go, racing_get_race")
    assert RENAMED in message and RETYPED in message
    assert status["record"]["up"] is True
    drift = json.loads((out / "latency.json").read_text())["drift"]
    assert drift["tools"] == {"racing_get_next_to_go": [RENAMED], "racing_get_race": [RETYPED]}
    assert drift["tests"] == [
        "tests/smoke/test_racing.py::test_next_to_go",
        "tests/smoke/test_racing.py::test_race_card_describes_the_listed_race",
    ]
    junit = (out / "junit.xml").read_text()
    assert RENAMED in junit and RETYPED in junit  # the failing tests' own messages
    report = (out / "report.md").read_text()
    assert "**contract_drift**" in report and "❌ FAILING" in report
