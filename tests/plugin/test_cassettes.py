"""The pytest-free cassette module (``pytest_tabmcp._cassettes``): scrubbing, naming, recording, misses."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import httpx
import pytest
import yaml

from pytest_tabmcp._cassettes import (
    CassetteConfig,
    cassette_path,
    default_cassette_name,
    missing_interaction_message,
    open_cassette,
    rerecord_command,
    scrub_body,
    scrub_json,
)

FIELDS = {"client_secret": "PLACEHOLDER_CLIENT_SECRET", "access_token": "placeholder-access-token"}


@pytest.mark.parametrize(
    ("body", "content_type", "expected"),
    [
        (
            '{"access_token": "live", "n": 1}',
            "application/json",
            '{"access_token": "placeholder-access-token", "n": 1}',
        ),
        (
            b'{"a": [{"access_token": "live"}]}',
            "",
            b'{"a": [{"access_token": "placeholder-access-token"}]}',
        ),
        (
            "grant_type=client_credentials&client_secret=s3cr3t",
            "application/x-www-form-urlencoded",
            "grant_type=client_credentials&client_secret=PLACEHOLDER_CLIENT_SECRET",
        ),
        ("client_secret=s3cr3t", "", "client_secret=PLACEHOLDER_CLIENT_SECRET"),
        ("no secrets here", "text/plain", "no secrets here"),
        ("grant_type=x&b=2", "application/x-www-form-urlencoded", "grant_type=x&b=2"),
        ('{"access_token": broken', "application/json", '{"access_token": broken'),
        (None, "application/json", None),
        (b"\xff\xfe binary", "application/octet-stream", b"\xff\xfe binary"),
    ],
    ids=["json", "nested-json-bytes", "form", "form-by-shape", "text", "form-untouched", "bad-json", "none", "binary"],
)
def test_scrub_body(body, content_type: str, expected) -> None:
    assert scrub_body(body, content_type, FIELDS, {}) == expected


def test_scrub_body_replaces_literal_values_everywhere() -> None:
    text = scrub_body("token live-abc in text; again live-abc", "text/plain", FIELDS, {"live-abc": "PLACEHOLDER"})
    assert text == "token PLACEHOLDER in text; again PLACEHOLDER"


def test_scrub_json_keeps_nulls_and_other_keys() -> None:
    assert scrub_json({"access_token": None, "x": [1, {"client_secret": "s"}]}, FIELDS) == {
        "access_token": None,
        "x": [1, {"client_secret": "PLACEHOLDER_CLIENT_SECRET"}],
    }


def test_cassette_names() -> None:
    assert default_cassette_name("test_racing") == "racing"
    assert default_cassette_name("racing_checks") == "racing_checks"
    assert cassette_path(Path("c"), "racing") == Path("c/racing.yaml")
    assert cassette_path(Path("c"), "sub/x.yml") == Path("c/sub/x.yml")


def test_rerecord_command_quotes_the_node_id() -> None:
    assert rerecord_command("t.py::test[a b]", "no recorded request matches") == (
        "pytest --tabmcp-record-mode=new_episodes 't.py::test[a b]'"
    )
    assert rerecord_command("t.py::x", "the cassette file does not exist").startswith(
        "pytest --tabmcp-record-mode=once"
    )


def _record(tmp_path: Path, handler, config: CassetteConfig | None = None, mode: str = "once") -> dict:
    config = config or CassetteConfig(cassette_dir=tmp_path)
    with (
        open_cassette(config, tmp_path / "c.yaml", record_mode=mode),
        httpx.Client(transport=httpx.MockTransport(handler)) as client,
    ):
        client.get("https://api.example.test/v1/x?jurisdiction=NSW", headers={"Authorization": "Bearer live-token-1"})
        client.post("https://api.example.test/oauth/token", data={"client_secret": "s3cr3t-value"})
    recorded: dict = yaml.safe_load((tmp_path / "c.yaml").read_text(encoding="utf-8"))
    return recorded


def test_gzip_responses_are_stored_decoded(tmp_path: Path) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        body = gzip.compress(json.dumps({"ok": True, "echo": "live-token-1"}).encode())
        return httpx.Response(
            200, content=body, headers={"content-encoding": "gzip", "content-type": "application/json"}
        )

    data = _record(tmp_path, handler)
    response = data["interactions"][0]["response"]
    assert "content-encoding" not in {k.lower() for k in response["headers"]}
    assert json.loads(response["body"]["string"]) == {"ok": True, "echo": "placeholder-access-token"}


def test_tokens_seen_in_headers_and_bodies_are_replaced_everywhere(tmp_path: Path) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/oauth/token":
            return httpx.Response(200, json={"access_token": "live-token-2", "note": "s3cr3t-value"})
        return httpx.Response(200, json={"seen": request.headers["authorization"]}, headers={"set-cookie": "bm=1"})

    text = yaml.safe_dump(_record(tmp_path, handler))
    for secret in ("live-token-1", "live-token-2", "s3cr3t-value", "bm=1"):
        assert secret not in text


def test_save_hooks_can_drop_an_interaction(tmp_path: Path) -> None:
    config = CassetteConfig(cassette_dir=tmp_path)
    config.before_save_interaction.append(lambda req, resp: None if req.path == "/oauth/token" else (req, resp))
    data = _record(tmp_path, lambda request: httpx.Response(200, json={}), config)
    assert [i["request"]["uri"] for i in data["interactions"]] == ["https://api.example.test/v1/x?jurisdiction=NSW"]


def test_misses_say_why(tmp_path: Path) -> None:
    (tmp_path / "c.yaml").write_text(
        "interactions:\n- request: {body: null, headers: {}, method: GET, uri: 'https://h.test/a?q=1'}\n"
        "  response: {body: {string: '{}'}, headers: {}, status: {code: 200, message: OK}}\nversion: 1\n",
        encoding="utf-8",
    )
    config = CassetteConfig(cassette_dir=tmp_path, scrub_values={"sekret": "PLACEHOLDER"})
    with open_cassette(config, tmp_path / "c.yaml") as cassette, httpx.Client() as client:
        for url in ("https://h.test/a?q=2", "https://other.test/zzz?sekret"):
            with pytest.raises(Exception, match="Can't play back"):
                client.get(url)
    first, second = cassette.misses
    assert first.reason == "no recorded request matches (the closest differs in query)"
    assert first.closest == "GET https://h.test/a?q=1"
    assert second.uri == "https://other.test/zzz?PLACEHOLDER"  # the scrub values apply to messages too
    assert second.reason == "no recorded request matches (the closest differs in host, path, query)"
    message = missing_interaction_message(
        cassette.misses, nodeid="t.py::x", path=tmp_path / "c.yaml", record_mode="none"
    )
    assert (
        message.splitlines()[0]
        == "tab-mcp: the cassette has no recorded response for 2 request(s) made during this test:"
    )
    assert "sekret" not in message


def _replay_fixture(tmp_path: Path) -> Path:
    """A cassette as a recording stores it: a GET with the scrubbed bearer header, and two token grants."""
    placeholder = "Bearer placeholder-access-token"
    text = yaml.safe_dump(
        {
            "interactions": [
                {
                    "request": {"body": None, "headers": {"Authorization": [placeholder]}, "method": "GET",
                                "uri": "https://h.test/v1/x?jurisdiction=NSW"},
                    "response": {"body": {"string": "{}"}, "headers": {}, "status": {"code": 200, "message": "OK"}},
                },
                *[
                    {
                        "request": {"body": f"grant_type={grant}&client_id=PLACEHOLDER_CLIENT_ID", "headers": {},
                                    "method": "POST", "uri": "https://h.test/oauth/token"},
                        "response": {"body": {"string": json.dumps({"grant": grant})}, "headers": {},
                                     "status": {"code": 200, "message": "OK"}},
                    }
                    for grant in ("client_credentials", "password")
                ],
            ],
            "version": 1,
        }
    )  # fmt: skip
    (tmp_path / "c.yaml").write_text(text, encoding="utf-8")
    return tmp_path / "c.yaml"


def test_replay_needs_the_recorded_bearer_header(tmp_path: Path) -> None:
    path = _replay_fixture(tmp_path)
    with open_cassette(CassetteConfig(cassette_dir=tmp_path), path) as cassette, httpx.Client() as client:
        ok = client.get(
            "https://h.test/v1/x?jurisdiction=NSW", headers={"Authorization": "Bearer placeholder-access-token"}
        )
        assert ok.status_code == 200
        with pytest.raises(Exception, match="Can't play back"):
            client.get("https://h.test/v1/x?jurisdiction=NSW")  # the server stopped authenticating
        with pytest.raises(Exception, match="Can't play back"):
            client.get("https://h.test/v1/x?jurisdiction=NSW", headers={"Authorization": "Bearer live-t0ken"})
    missing, other = cassette.misses
    assert missing.reason == (
        "no recorded request matches (the closest differs in bearer "
        "(the request carries no Authorization header; the recording has one))"
    )
    assert "bearer (the request carries another Authorization value" in other.reason
    assert "live-t0ken" not in other.reason


def test_recording_modes_and_an_opt_out_do_not_check_the_bearer(tmp_path: Path) -> None:
    path = _replay_fixture(tmp_path)
    config = CassetteConfig(cassette_dir=tmp_path, replay_checks_bearer=False)
    with open_cassette(config, path), httpx.Client() as client:
        assert client.get("https://h.test/v1/x?jurisdiction=NSW").status_code == 200


def test_each_grant_replays_its_own_token_answer(tmp_path: Path) -> None:
    path = _replay_fixture(tmp_path)
    with open_cassette(CassetteConfig(cassette_dir=tmp_path), path) as cassette, httpx.Client() as client:
        for grant in ("password", "client_credentials"):
            answer = client.post("https://h.test/oauth/token", data={"grant_type": grant, "client_id": "any"})
            assert answer.json() == {"grant": grant}
        with pytest.raises(Exception, match="Can't play back"):
            client.post("https://h.test/oauth/token", data={"grant_type": "refresh_token"})
    # The server's own client_credentials token takes any recorded answer: a recording made with account
    # credentials holds only password grants, and replays with the placeholder client credentials.
    (tmp_path / "p.yaml").write_text(path.read_text(encoding="utf-8").replace("client_credentials", "password"))
    with open_cassette(CassetteConfig(cassette_dir=tmp_path), tmp_path / "p.yaml"), httpx.Client() as client:
        answer = client.post("https://h.test/oauth/token", data={"grant_type": "client_credentials"})
        assert answer.json() == {"grant": "password"}
    assert cassette.misses[0].reason == "no recorded request matches (the closest differs in oauth_grant)"
