"""The explicit OAuth tools, settings validation, and the redacting log handler."""

from __future__ import annotations

import io
import logging
import time

import pytest
from mcp import Client

from tab_mcp import create_server
from tab_mcp.errors import ConfigError
from tab_mcp.logs import HANDLER_NAME, RedactingFilter, configure_logging
from tab_mcp.settings import Settings, env_var_name, is_loopback_host, load_settings
from tests.unit.conftest import json_response

pytestmark = pytest.mark.anyio


async def test_client_credentials_tool_returns_the_token_with_expires_at(upstream, settings) -> None:
    async with Client(create_server(settings, transport=upstream.transport)) as client:
        result = await client.call_tool("tab_oauth_client_credentials", {})

    data = result.structured_content
    assert not result.is_error
    assert data["access_token"] == "tok-1" and data["expires_in"] == 10800
    assert abs(data["expires_at"] - (time.time() + 10800)) < 5
    assert upstream.form(upstream.oauth_requests[0])["client_secret"] == "unit-secret-value"


async def test_password_grant_tool_prefers_arguments(upstream, settings) -> None:
    async with Client(create_server(settings, transport=upstream.transport)) as client:
        result = await client.call_tool(
            "tab_oauth_password_grant", {"username": "acct", "password": "pw", "client_id": "other"}
        )
    assert not result.is_error
    form = upstream.form(upstream.oauth_requests[0])
    assert form == {
        "grant_type": "password",
        "client_id": "other",
        "client_secret": "unit-secret-value",
        "username": "acct",
        "password": "pw",
    }


async def test_refresh_tool_sends_the_refresh_grant(upstream, settings) -> None:
    async with Client(create_server(settings, transport=upstream.transport)) as client:
        result = await client.call_tool("tab_oauth_refresh", {"refresh_token": "r-1"})
    assert not result.is_error
    assert upstream.form(upstream.oauth_requests[0])["grant_type"] == "refresh_token"


async def test_oauth_tools_name_missing_credentials(upstream) -> None:
    async with Client(create_server(Settings(), transport=upstream.transport)) as client:
        missing = await client.call_tool("tab_oauth_password_grant", {"username": "acct"})
        refresh = await client.call_tool("tab_oauth_refresh", {"client_id": "c", "client_secret": "s"})
    assert "needs client_id, client_secret, password" in missing.content[0].text
    assert "TAB_CLIENT_ID" in missing.content[0].text
    assert "needs refresh_token" in refresh.content[0].text
    assert upstream.requests == []


async def test_oauth_tool_surfaces_oauth_error_without_secret(upstream, settings) -> None:
    upstream.route("/oauth/token", json_response(400, {"error": "invalid_grant", "error_description": "bad password"}))
    async with Client(create_server(settings, transport=upstream.transport)) as client:
        result = await client.call_tool("tab_oauth_password_grant", {"username": "acct", "password": "hunter2-secret"})
    text = result.content[0].text
    assert result.is_error and "invalid_grant: bad password" in text
    assert "hunter2-secret" not in text and "unit-secret-value" not in text


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


def test_redacting_filter_masks_secrets_tokens_and_queries() -> None:
    f = RedactingFilter(["my-client-secret"])
    text = f.redact(
        "secret my-client-secret; Authorization: Bearer abc.def; client_secret=xyz&x=1 "
        '"access_token": "tok123"; 127.0.0.1 - "GET /mcp?api_key=k1&password=p HTTP/1.1" 200'
    )
    for leaked in ("my-client-secret", "abc.def", "xyz", "tok123", "k1"):
        assert leaked not in text
    assert "GET /mcp?[query omitted]" in text


def test_configure_logging_installs_one_redacting_stderr_handler(monkeypatch) -> None:
    stream = io.StringIO()
    monkeypatch.setattr("sys.stderr", stream)
    root = logging.getLogger()
    before = list(root.handlers)
    try:
        configure_logging("DEBUG", ["canary-secret-1"])
        handler = configure_logging("INFO", ["canary-secret-1"])
        assert [h.get_name() for h in root.handlers].count(HANDLER_NAME) == 1
        logging.getLogger("tab_mcp.test").info("token %s and %s", "canary-secret-1", "Bearer abcdef")
        handler.flush()
        out = stream.getvalue()
        assert "canary-secret-1" not in out and "abcdef" not in out and "[redacted]" in out
        record = logging.LogRecord("x", logging.INFO, __file__, 1, "bad format %s %s", ("only-one",), None)
        assert handler.filters[0].filter(record) and record.msg == "bad format %s %s"
    finally:
        for h in list(root.handlers):
            if h not in before:
                root.removeHandler(h)
        root.setLevel(logging.WARNING)


def test_empty_variables_count_as_unset(monkeypatch) -> None:
    monkeypatch.setenv("TAB_ENABLE_BETTING", "")
    monkeypatch.setenv("TAB_CLIENT_ID", "")
    s = load_settings()
    assert s.enable_betting is False and s.client_id is None


def test_tracebacks_are_redacted_too(monkeypatch) -> None:
    stream = io.StringIO()
    monkeypatch.setattr("sys.stderr", stream)
    root = logging.getLogger()
    before = list(root.handlers)
    try:
        handler = configure_logging("INFO", ["SUPERSECRET-canary"])
        try:
            raise RuntimeError("client_secret=SUPERSECRET-canary Bearer abc.def.ghi")
        except RuntimeError:
            logging.getLogger("tab_mcp.test").exception("upstream call failed")
        logging.getLogger("tab_mcp.test").warning("stack", stack_info=True, extra={})
        handler.flush()
        out = stream.getvalue()
        assert "RuntimeError" in out and "Traceback" in out  # the traceback is kept, only masked
        assert "SUPERSECRET-canary" not in out and "abc.def.ghi" not in out
    finally:
        for h in list(root.handlers):
            if h not in before:
                root.removeHandler(h)
        root.setLevel(logging.WARNING)
