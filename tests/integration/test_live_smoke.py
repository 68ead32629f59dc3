"""CI's live path (`make smoke-live` = `python -m tabmcp_ops.live_smoke`): strict, and failing on any stand-in miss.

Each test starts the real stand-in and a real `tab-mcp serve` on loopback and runs part of the smoke suite.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import httpx
import pytest
import yaml

from pytest_tabmcp.standin.cassettes import safe_load
from tabmcp_ops import live_smoke, processes

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.slow


def test_a_stand_in_miss_fails_the_run_and_names_each_missed_request(tmp_path: Path, capfd) -> None:
    data = shutil.copytree(ROOT / "cassettes", tmp_path / "data")
    (data / "footytab.yaml").unlink()  # the sports list still advertises FootyTAB; its rounds are gone
    assert live_smoke.main(["--cassette-dir", str(data), "--", "-q", "-k", "footytab"]) == 1
    err = capfd.readouterr().err
    assert f"live_smoke: FAIL: the stand-in over {data} had no cassette for 1 request(s)" in err
    assert "live_smoke:   missed GET /v1/tab-info-service/sports/AFL%20Football/footy/rounds?jurisdiction=NSW" in err


def test_misses_alone_fail_the_run_even_when_pytest_passed(capsys) -> None:
    assert live_smoke.report_misses(Path("cassettes"), []) == 0
    assert live_smoke.report_misses(Path("cassettes"), ["GET /v1/tab-info-service/racing/jackpot"]) == 1
    assert "live_smoke:   missed GET /v1/tab-info-service/racing/jackpot" in capsys.readouterr().err


def _without_footytab_link(path: Path) -> None:
    data = safe_load(path.read_text(encoding="utf-8"))
    for interaction in data["interactions"]:
        if interaction["request"]["uri"].endswith("/sports?jurisdiction=NSW"):
            body = json.loads(interaction["response"]["body"]["string"])
            for sport in body["sports"]:
                sport["_links"].pop("footytab", None)
            interaction["response"]["body"]["string"] = json.dumps(body)
            interaction["response"]["headers"].pop("Content-Length", None)
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")


def test_a_skip_fails_the_strict_live_run_naming_test_and_reason(tmp_path: Path, capfd) -> None:
    data = shutil.copytree(ROOT / "cassettes", tmp_path / "data")
    _without_footytab_link(data / "footytab.yaml")  # first in name order, so its sports list wins
    assert live_smoke.main(["--cassette-dir", str(data), "--", "-q", "-k", "footytab"]) == 1
    out = capfd.readouterr().out
    assert "FAIL --tabmcp-strict: 1 test(s) skipped:" in out
    assert "tests/smoke/test_footytab.py::test_rounds_and_round_details skipped: no data: no open sport" in out


def test_the_stand_in_of_smoke_live_requires_the_bearer_token_and_varies_lifetimes(tmp_path: Path) -> None:
    # A server that stops sending Authorization gets a 401 from this stand-in, so make smoke-live fails on it;
    # lifetimes vary, so an expires_in check cannot pass on a constant.
    standin = processes.start_standin(ROOT / "cassettes", log_dir=tmp_path, extra_args=live_smoke.STANDIN_ARGS)
    with processes.running(standin), httpx.Client(base_url=standin.url, timeout=10.0) as client:
        dates = "/v1/tab-info-service/racing/dates?jurisdiction=NSW"
        assert client.get(dates).status_code == 401
        form = {"grant_type": "client_credentials", "client_id": "PLACEHOLDER_ID", "client_secret": "PLACEHOLDER_S"}
        tokens = [client.post("/oauth/token", data=form).json() for _ in range(12)]
        lifetimes = {token["expires_in"] for token in tokens}
        assert len(lifetimes) > 1 and all(10800 - 3600 <= s <= 10800 for s in lifetimes), lifetimes
        headers = {"Authorization": f"Bearer {tokens[-1]['access_token']}"}
        assert client.get(dates, headers=headers).status_code == 200
        stale = {"Authorization": f"Bearer {tokens[0]['access_token']}"}
        assert client.get(dates, headers=stale).status_code == 401
