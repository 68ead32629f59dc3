"""The stand-in serving drifted data (``--response-transform``), as ``make mutants`` runs it live."""

from __future__ import annotations

import httpx
import pytest

from pytest_tabmcp.standin import main, run_standin
from tabmcp_ops.mutants import response_side
from tests.helpers.data_sets import FIXED

CARD = "/v1/tab-info-service/racing/dates/2026-09-23/meetings/R/WFM/races/1?jurisdiction=NSW"
DATES = "/v1/tab-info-service/racing/dates?jurisdiction=NSW"


def test_the_drift_is_served_over_http_and_requests_still_match() -> None:
    with run_standin(FIXED, response_transform=response_side.runners_emptied) as handle:
        with httpx.Client(base_url=handle.url, timeout=5.0) as client:
            card = client.get(CARD)
            dates = client.get(DATES)
    assert card.status_code == 200 and card.json()["runners"] == []
    assert card.json()["raceNumber"] == 1  # only the drifted field changed
    assert dates.status_code == 200 and dates.json()["dates"]  # another path, served as recorded


@pytest.mark.parametrize(
    ("spec", "fragment"),
    [
        ("tabmcp_ops.mutants.response_side:no_such_drift", "cannot be imported (no drift named 'no_such_drift'"),
        ("no_such_module:x", "cannot be imported (No module named 'no_such_module')"),
        ("tabmcp_ops.mutants.response_side", "is not a callable; give MODULE:NAME"),
        ("tabmcp_ops.mutants.response_side:INFO", "is not a callable"),
    ],
)
def test_a_bad_transform_is_one_line_before_binding(
    spec: str, fragment: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--cassette-dir", str(FIXED), "--response-transform", spec]) == 2
    err = capsys.readouterr().err
    assert fragment in err and "Traceback" not in err and err.count("\n") == 1
