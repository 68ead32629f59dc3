"""tab_mcp.settings: defaults, the environment, and one clear sentence for a bad value."""

from __future__ import annotations

import pytest

from tab_mcp.errors import ConfigError
from tab_mcp.settings import Settings, env_var_name, is_loopback_host, load_settings

pytestmark = pytest.mark.anyio


def test_settings_defaults_and_grant() -> None:
    s = Settings()
    assert s.base_url == "https://api.beta.tab.com.au" and s.jurisdiction == "NSW" and s.grant == "none"
    assert Settings(client_id="a", client_secret="b").grant == "client_credentials"
    assert Settings(client_id="a", client_secret="b", username="u", password="p").grant == "password"
    assert Settings(client_id="a", client_secret="b", username="u", password="p").secret_values() == [
        "a",
        "b",
        "u",
        "p",
    ]
    assert "bbbbbbbb" not in repr(Settings(client_secret="bbbbbbbb"))


def test_settings_read_the_environment(monkeypatch) -> None:
    monkeypatch.setenv("TAB_JURISDICTION", "vic")
    monkeypatch.setenv("TAB_ALLOWED_HOSTS", "a.example, b.example")
    monkeypatch.setenv("TAB_BASE_URL", "http://127.0.0.1:9999/")
    s = load_settings()
    assert s.jurisdiction == "VIC" and s.allowed_hosts == ["a.example", "b.example"]
    assert s.base_url == "http://127.0.0.1:9999"


@pytest.mark.parametrize(
    ("value", "fragment"),
    [
        ("http://api.beta.tab.com.au", "loopback"),
        ("ftp://x", r"absolute http\(s\) URL"),
        ("https://user:pw@api.beta.tab.com.au", "credentials"),
        ("https://api.beta.tab.com.au/v1", "without a path"),
    ],
)
def test_base_url_must_be_https_or_loopback(monkeypatch, value, fragment) -> None:
    monkeypatch.setenv("TAB_BASE_URL", value)
    with pytest.raises(ConfigError, match=fragment) as info:
        load_settings()
    assert "TAB_BASE_URL" in info.value.message and "pw" not in info.value.message.replace("https://user:pw", "")


def test_bad_jurisdiction_setting_lists_values(monkeypatch) -> None:
    monkeypatch.setenv("TAB_JURISDICTION", "WA")
    with pytest.raises(ConfigError, match="TAB_JURISDICTION='WA' is invalid"):
        load_settings()


def test_helpers() -> None:
    assert env_var_name("api_timeout") == "TAB_API_TIMEOUT"
    assert is_loopback_host("localhost") and is_loopback_host("[::1]") and is_loopback_host("127.0.0.2")
    assert not is_loopback_host("example.com") and not is_loopback_host(None)


def test_empty_variables_count_as_unset(monkeypatch) -> None:
    monkeypatch.setenv("TAB_ENABLE_BETTING", "")
    monkeypatch.setenv("TAB_CLIENT_ID", "")
    s = load_settings()
    assert s.enable_betting is False and s.client_id is None
