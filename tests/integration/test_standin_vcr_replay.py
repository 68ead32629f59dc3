"""The hand-built cassettes are real vcrpy cassettes: vcrpy 9.4.2 + httpx replay every interaction.

Also checks that they say what cassettes/README.md promises: request URIs in the server's encoding, `_links`
absolute with the jurisdiction, placeholder-only OAuth, both date forms, and no drift from the builder.
"""

from __future__ import annotations

import functools
import json
import subprocess
import sys
from pathlib import Path
from urllib.parse import quote, unquote, urlsplit

import httpx
import pytest
import vcr
import yaml

from pytest_tabmcp.standin.cassettes import load_cassettes, safe_load
from tests.helpers.data_sets import FIXED

ROOT = Path(__file__).resolve().parents[2]
CASSETTES = FIXED  # the hand-built interactions, never re-recorded (cassettes/ may hold recordings)
FILES = sorted(CASSETTES.glob("*.yaml"))
INFO = "https://api.beta.tab.com.au/v1/tab-info-service/"
EXPECTED = {"oauth.yaml", "racing.yaml", "sports.yaml", "results.yaml", "footytab.yaml", "errors.yaml"}


@functools.cache
def _interactions(path: Path) -> list[dict]:
    return safe_load(path.read_text(encoding="utf-8"))["interactions"]


def test_one_cassette_per_tool_family() -> None:
    assert {p.name for p in FILES} == EXPECTED


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_vcrpy_replays_every_interaction(path: Path) -> None:
    interactions = _interactions(path)
    # record_mode "none": anything unmatched raises instead of reaching the network.
    replayer = vcr.VCR(record_mode="none", match_on=("method", "scheme", "host", "port", "path", "query", "body"))
    with replayer.use_cassette(str(path)) as cassette, httpx.Client(timeout=5.0) as client:
        for item in interactions:
            request, expected = item["request"], item["response"]
            headers = {k: v[0] for k, v in request["headers"].items()}
            response = client.request(request["method"], request["uri"], content=request["body"], headers=headers)
            assert response.status_code == expected["status"]["code"], request["uri"]
            assert response.json() == json.loads(expected["body"]["string"])
        assert cassette.all_played


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_requests_use_the_server_encoding(path: Path) -> None:
    for item in _interactions(path):
        uri = item["request"]["uri"]
        parts = urlsplit(uri)
        if parts.path == "/oauth/token":
            assert "client_secret=PLACEHOLDER_" in item["request"]["body"]
            continue
        assert uri.startswith(INFO) and parts.query.startswith("jurisdiction=")
        for segment in parts.path.split("/")[1:]:
            assert segment == quote(unquote(segment), safe=""), f"{segment!r} is not quote(s, safe='') in {uri}"


def _links(node: object) -> list[str]:
    if isinstance(node, dict):
        found = [v for k, v in node.get("_links", {}).items()] if isinstance(node.get("_links"), dict) else []
        return found + [link for value in node.values() for link in _links(value)]
    if isinstance(node, list):
        return [link for value in node for link in _links(value)]
    return []


def test_links_are_absolute_with_jurisdiction() -> None:
    links = [
        link for p in FILES for i in _interactions(p) for link in _links(json.loads(i["response"]["body"]["string"]))
    ]
    assert len(links) > 100
    for link in links:
        assert link.startswith(INFO), link
        assert "jurisdiction=NSW" in link or "jurisdiction={jurisdiction}" in link, link


def test_every_file_starts_with_the_client_credentials_exchange() -> None:
    for path in FILES:
        first = _interactions(path)[0]
        assert first["request"]["body"].startswith("grant_type=client_credentials&client_id=PLACEHOLDER_CLIENT_ID")
        assert json.loads(first["response"]["body"]["string"])["access_token"] == "placeholder-access-token"


def test_dated_requests_exist_under_both_date_forms() -> None:
    uris = [i["request"]["uri"] for p in FILES for i in _interactions(p)]
    dated = [u for u in uris if "/dates/2026-09-23/" in u]
    assert dated and all(u.replace("/dates/2026-09-23/", "/dates/today/") in uris for u in dated)


def test_the_stand_in_loads_every_cassette_without_conflicts() -> None:
    index = load_cassettes(CASSETTES)
    assert sorted(index.files) == sorted(EXPECTED)
    assert index.duplicates == 0
    # A request some modules share (the dates and meetings for discovery) is served once.
    gets = {i["request"]["uri"] for p in FILES for i in _interactions(p) if i["request"]["method"] == "GET"}
    assert len(index.responses) == len(gets)


def test_files_match_the_builder() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "tabmcp_ops.cassette_builders", "--check"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr


def test_only_a_different_answer_to_the_same_request_counts_as_a_conflict(tmp_path: Path) -> None:
    def cassette(name: str, body: str) -> None:
        interaction = {
            "request": {"method": "GET", "uri": "https://api.beta.tab.com.au/v1/x?jurisdiction=NSW", "body": ""},
            "response": {"status": {"code": 200, "message": "OK"}, "headers": {}, "body": {"string": body}},
        }
        (tmp_path / name).write_text(yaml.safe_dump({"interactions": [interaction], "version": 1}))

    cassette("a.yaml", '{"n": 1}')
    cassette("b.yaml", '{"n": 1}')  # the same answer again: no conflict
    assert load_cassettes(tmp_path).duplicates == 0
    cassette("c.yaml", '{"n": 2}')  # a different answer: a conflict, and the first cassette's answer wins
    index = load_cassettes(tmp_path)
    assert index.duplicates == 1 and index.lookup("GET", "/v1/x", "jurisdiction=NSW").body == b'{"n": 1}'
