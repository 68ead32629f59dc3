"""Response-side mutants: what each drift changes, and that the offline replay and the stand-in both serve it."""

from __future__ import annotations

import json
from collections import Counter
from types import SimpleNamespace

import pytest

from pytest_tabmcp._cassettes import CassetteConfig
from pytest_tabmcp.standin.cassettes import load_cassettes
from tabmcp_ops.mutants import drift_plugin, response_side
from tabmcp_ops.mutants.drift_plugin import drift_interaction
from tabmcp_ops.mutants.response_side import DRIFTS, Drift, objects_at
from tests.helpers.data_sets import CASSETTES

MATCH = {"matches": [{"name": "A v B", "markets": [{"propositions": [{"returnWin": 1.5}]}]}], "markets": []}


def body(data: object) -> bytes:
    return json.dumps(data).encode()


def test_at_least_fifteen_drifts_of_every_change_across_the_four_areas() -> None:
    assert len(DRIFTS) >= 15 and len({d.name for d in DRIFTS}) == len(DRIFTS)
    assert set(Counter(d.area for d in DRIFTS)) == {"racing", "sports", "results", "footytab"}
    assert {d.change for d in DRIFTS} == {"rename", "empty", "retype", "blank", "drop"}


def test_where_is_a_suffix_of_the_key_path_and_empty_means_the_body() -> None:
    assert [o["name"] for o in objects_at(MATCH, "matches[]")] == ["A v B"]
    assert len(list(objects_at(MATCH, "markets[]"))) == 1  # inside the match; the top-level list is empty
    assert list(objects_at(MATCH, "")) == [MATCH]
    assert list(objects_at([1, 2], "")) == []


def test_each_change_and_only_on_matching_paths() -> None:
    def drifted(change: str, where: str, field: str) -> dict:
        drift = Drift("d", "sports", r"/sports/", where, (field,), change)  # type: ignore[arg-type]
        return json.loads(drift("GET", "/v1/tab-info-service/sports/AFL%20Football", body(MATCH)))

    assert "marketsV2" in drifted("rename", "matches[]", "markets")["matches"][0]
    assert drifted("empty", "matches[]", "markets")["matches"][0]["markets"] == []
    assert drifted("blank", "matches[]", "name")["matches"][0]["name"] == ""
    assert "name" not in drifted("drop", "matches[]", "name")["matches"][0]
    price = drifted("retype", "propositions[]", "returnWin")["matches"][0]["markets"][0]["propositions"][0]
    assert price["returnWin"] == "1.5"
    drift = Drift("d", "racing", r"/racing/", "matches[]", ("markets",), "rename")
    assert drift("GET", "/v1/tab-info-service/sports/x", body(MATCH)) == body(MATCH)  # another path
    assert drift("GET", "/v1/tab-info-service/racing/x", b"not json") == b"not json"
    assert drift.description == "rename matches[].markets"


def test_the_stand_in_loader_serves_the_drift_by_its_import_name() -> None:
    drift = response_side.runner_prices_renamed  # what --response-transform MODULE:NAME resolves
    index = load_cassettes(CASSETTES, transform=drift)
    cards = [
        json.loads(r.body) for key, r in index.responses.items() if key[1].endswith("/races/1") and r.status == 200
    ]
    runners = [runner for card in cards for runner in card.get("runners", [])]
    assert runners and not any("fixedOdds" in r or "parimutuel" in r for r in runners)
    assert any("fixedOddsV2" in r for r in runners)
    assert load_cassettes(CASSETTES).responses.keys() == index.responses.keys()  # requests still match


def test_the_offline_hook_drifts_a_copy_and_leaves_the_shared_response_alone() -> None:
    hook = drift_interaction(response_side.runners_emptied)
    card = body({"raceNumber": 1, "runners": [{"runnerNumber": 1}]})
    response = {"status": {"code": 200}, "body": {"string": card.decode()}}
    request = SimpleNamespace(
        uri="https://api.beta.tab.com.au/v1/tab-info-service/racing/dates/2026-09-23/meetings/R/WFM/races/1"
    )
    same, drifted = hook(request, response)
    assert same is request and json.loads(drifted["body"]["string"])["runners"] == []
    assert response["body"]["string"] == card.decode()
    other = SimpleNamespace(uri="https://api.beta.tab.com.au/v1/tab-info-service/racing/dates")
    assert hook(other, response)[1] is response


def test_an_unknown_import_name_says_which_drifts_exist() -> None:
    try:
        response_side.no_such_drift  # noqa: B018
    except AttributeError as exc:
        assert "no drift named 'no_such_drift'; choose from runner_prices_renamed" in str(exc)
    else:
        raise AssertionError("an unknown drift name resolved")


def test_the_offline_plugin_adds_the_chosen_drift_and_refuses_an_unknown_one(tmp_path) -> None:
    def config(name: str | None) -> SimpleNamespace:
        return SimpleNamespace(getoption=lambda option: name)

    cassette_config = CassetteConfig(cassette_dir=tmp_path)
    cassette_config.vcr_kwargs["after_load_interaction"] = [print]
    drift_plugin.pytest_tabmcp_configure_cassette(config("runners_emptied"), cassette_config)  # type: ignore[arg-type]
    hooks = cassette_config.vcr_kwargs["after_load_interaction"]
    assert len(hooks) == 2 and hooks[0] is print  # added after any hook already there
    untouched = CassetteConfig(cassette_dir=tmp_path)
    drift_plugin.pytest_tabmcp_configure_cassette(config(None), untouched)  # type: ignore[arg-type]
    assert "after_load_interaction" not in untouched.vcr_kwargs
    drift_plugin.pytest_configure(config("runners_emptied"))  # type: ignore[arg-type]
    with pytest.raises(pytest.UsageError, match="--tabmcp-drift 'nope': no such drift; choose from runner_prices"):
        drift_plugin.pytest_configure(config("nope"))  # type: ignore[arg-type]
