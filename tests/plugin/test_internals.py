"""The pytest-free modules directly: scrubbing, cassette naming and misses, live URL and headers, tokens."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import httpx
import pytest
import yaml

import pytest_tabmcp
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
from pytest_tabmcp._live import parse_live_headers, redact_url, validate_live_url
from pytest_tabmcp._oauth import (
    OAuthError,
    TabCredentials,
    credentials_from_env,
    placeholder_credentials,
    token_from_json,
)
from pytest_tabmcp.options import TabmcpOptions

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
    return yaml.safe_load((tmp_path / "c.yaml").read_text(encoding="utf-8"))


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


@pytest.mark.parametrize(
    ("url", "shown"),
    [
        ("https://host/mcp", "https://host/mcp"),
        ("https://user:pw@host:8443/mcp?api_key=k#frag", "https://***@host:8443/mcp?***#***"),
    ],
)
def test_redact_url(url: str, shown: str) -> None:
    assert redact_url(url) == shown


def test_validate_live_url() -> None:
    assert validate_live_url("  http://127.0.0.1:8000/mcp ") == "http://127.0.0.1:8000/mcp"
    for bad in ("127.0.0.1:8000/mcp", "ws://host/mcp", "https:///mcp"):
        with pytest.raises(ValueError, match="absolute http"):
            validate_live_url(bad)


def test_parse_live_headers_both_forms() -> None:
    assert parse_live_headers('{"Authorization": "Bearer a", "X-N": 2}') == {"Authorization": "Bearer a", "X-N": "2"}
    assert parse_live_headers("Authorization: Bearer a:b\n\n# note\nX-Env:  ci  ") == {
        "Authorization": "Bearer a:b",
        "X-Env": "ci",
    }


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ('{"A": "x"', "it is not valid JSON"),
        ('{"A": {"nested": "secret-value"}}', "the value of 'A' is a dict, not a string"),
        ('{"A": true}', "the value of 'A' is a bool"),
        ('{"Bad Name": "v"}', "key has an invalid header name 'Bad Name'"),
        ("Authorization Bearer secret-value", "line 1 has no ':'"),
        ("X-A: ok\nBad Name: secret-value", "line 2 has an invalid header name 'Bad Name'"),
        ('{"A": "x\\r\\ny"}', "the value of 'A' contains a control character"),
    ],
)
def test_parse_live_headers_errors_never_echo_values(text: str, problem: str) -> None:
    with pytest.raises(ValueError) as excinfo:
        parse_live_headers(text)
    assert problem in str(excinfo.value) and "secret-value" not in str(excinfo.value)


def test_credentials_from_env_and_their_repr() -> None:
    creds, missing = credentials_from_env({"TAB_CLIENT_ID": "id", "TAB_CLIENT_SECRET": " "})
    assert creds is None and missing == ["TAB_CLIENT_SECRET"]
    creds, missing = credentials_from_env(
        {"TAB_CLIENT_ID": "id", "TAB_CLIENT_SECRET": "sec", "TAB_USERNAME": "u", "TAB_PASSWORD": "p"}
    )
    assert missing == [] and creds is not None and creds.grant == "password"
    assert creds.form() == {
        "grant_type": "password",
        "client_id": "id",
        "client_secret": "sec",
        "username": "u",
        "password": "p",
    }
    assert repr(creds) == "TabCredentials(grant='password', values hidden)"
    assert placeholder_credentials().form()["grant_type"] == "client_credentials"
    assert TabCredentials(client_id="a", client_secret="b", username="u").grant == "client_credentials"


def test_token_from_json() -> None:
    token = token_from_json({"access_token": "t", "expires_in": "60", "refresh_token": 5}, grant="x", issued_at=0)
    assert token.expires_in == 60 and token.expires_at.timestamp() == 60 and token.refresh_token is None
    assert token.token_type == "Bearer"
    for bad, why in (({}, "no access_token"), ({"access_token": "t", "expires_in": "soon"}, "non-numeric")):
        with pytest.raises(OAuthError, match=why):
            token_from_json(bad, grant="x")


def test_header_lines_never_show_secrets() -> None:
    live = TabmcpOptions(
        live_url="https://u:p@host/mcp?key=v",
        cassette_dir=Path("c"),
        live_headers={"Authorization": "Bearer zzz"},
        latency_budget={"p95": 2000.0},
    )
    lines = live.header_lines()
    assert lines == [
        "tabmcp: mode=live url=https://***@host/mcp?***, 1 header(s) from TABMCP_LIVE_HEADERS (values hidden)",
        "tabmcp: latency budget p95 <= 2000 ms",
    ]
    assert "zzz" not in repr(live)


def test_public_names_are_exported_on_purpose() -> None:
    assert pytest_tabmcp.__all__ == sorted(pytest_tabmcp.__all__)
    for name in pytest_tabmcp.__all__:
        assert getattr(pytest_tabmcp, name) is not None
    assert pytest_tabmcp.__version__ == pytest_tabmcp.__version__.strip() and pytest_tabmcp.__version__[0].isdigit()
    with pytest.raises(AttributeError, match="no attribute 'nope'"):
        _ = pytest_tabmcp.nope
