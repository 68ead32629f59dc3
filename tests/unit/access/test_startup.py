"""tab_mcp.access.startup and inbound: an unsafe HTTP start is refused before listening."""

from __future__ import annotations

import pytest

from tab_mcp import cli
from tab_mcp.access import check_http_start, inbound_auth
from tab_mcp.access.inbound import AnyOfVerifier
from tab_mcp.access.jwt_verifier import JwtVerifier
from tab_mcp.access.static_tokens import StaticTokenVerifier
from tab_mcp.errors import ConfigError
from tab_mcp.settings import Settings


@pytest.mark.parametrize(
    ("settings", "named"),
    [
        (Settings(username="123", password="pw"), "TAB_USERNAME/TAB_PASSWORD"),
        (Settings(username="123"), "TAB_USERNAME/TAB_PASSWORD"),
        (Settings(enable_betting=True), "TAB_ENABLE_BETTING=true"),
    ],
)
def test_public_listener_with_account_or_betting_and_no_auth_is_refused(settings: Settings, named: str) -> None:
    with pytest.raises(ConfigError) as refused:
        check_http_start(settings, "0.0.0.0")  # noqa: S104 - the public bind under test
    message = str(refused.value)
    assert named in message and "TAB_AUTH_TOKENS" in message and message.endswith("127.0.0.1.") and "\n" not in message
    assert "pw" not in message


def test_public_data_on_a_public_port_starts_with_one_warning() -> None:
    warning = check_http_start(Settings(client_id="a", client_secret="b"), "0.0.0.0")  # noqa: S104
    assert warning is not None and "without inbound authentication" in warning and "\n" not in warning


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost", "::1", "[::1]"])
def test_loopback_listeners_need_no_inbound_auth(host: str) -> None:
    assert check_http_start(Settings(username="1", password="p", enable_betting=True), host) is None


def test_inbound_auth_makes_a_public_account_start_safe() -> None:
    settings = Settings(username="1", password="p", auth_tokens="a-long-token")
    assert check_http_start(settings, "0.0.0.0") is None  # noqa: S104


def test_cli_exits_non_zero_before_listening(monkeypatch, capsys) -> None:
    monkeypatch.setenv("TAB_USERNAME", "12345")
    monkeypatch.setenv("TAB_PASSWORD", "hunter2-secret")
    monkeypatch.setattr("uvicorn.run", lambda *a, **k: pytest.fail("the server must not start listening"))
    code = cli.main(["serve", "--transport", "http", "--host", "0.0.0.0", "--port", "8123"])  # noqa: S104
    err = capsys.readouterr().err
    assert code == cli.EXIT_CONFIG
    assert "Refusing to serve HTTP on 0.0.0.0" in err and "hunter2" not in err and len(err.splitlines()) == 1


def test_inbound_auth_from_settings() -> None:
    assert inbound_auth(Settings()) is None
    static = inbound_auth(Settings(auth_tokens="t1,t2"))
    assert static is not None and isinstance(static.verifier, StaticTokenVerifier)
    assert static.settings.resource_server_url is None, "static tokens have no metadata to advertise"
    both = inbound_auth(
        Settings(auth_tokens="t1", auth_issuer="https://idp.example.com", auth_audience="https://mcp.example.com/mcp")
    )
    assert both is not None and isinstance(both.verifier, AnyOfVerifier)
    assert [type(v) for v in both.verifier.verifiers] == [StaticTokenVerifier, JwtVerifier]
    assert str(both.settings.resource_server_url) == "https://mcp.example.com/mcp"


@pytest.mark.parametrize(
    ("settings", "needle"),
    [
        (Settings(auth_issuer="https://idp.example.com"), "TAB_AUTH_AUDIENCE"),
        (Settings(auth_audience="https://mcp.example.com/mcp"), "TAB_AUTH_ISSUER"),
        (Settings(auth_scopes="tab:read"), "TAB_AUTH_SCOPES"),
    ],
)
def test_incomplete_inbound_auth_is_a_config_error(settings: Settings, needle: str) -> None:
    with pytest.raises(ConfigError, match=needle):
        inbound_auth(settings)


@pytest.mark.parametrize("url", ["http://idp.example.com", "ftp://idp.example.com", "https://idp.example.com/?q=1"])
def test_auth_urls_must_be_https_or_loopback(url: str) -> None:
    with pytest.raises(ValueError, match="auth_issuer"):
        Settings(auth_issuer=url)
