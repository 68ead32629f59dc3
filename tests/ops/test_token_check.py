"""The token check goes through tab_mcp's own client: obtain, refresh, and warn under 5 minutes."""

from __future__ import annotations

from urllib.parse import parse_qs

import httpx
import pytest

from tab_mcp.errors import AuthError
from tab_mcp.settings import Settings
from tabmcp_ops import token_check

pytestmark = pytest.mark.anyio


def oauth_upstream(lifetimes: list[int], *, refresh: bool = False, status: int = 200):
    """A MockTransport for POST /oauth/token that answers with the given lifetimes in turn and records forms."""
    forms: list[dict[str, str]] = []

    def handler(request: httpx.Request) -> httpx.Response:
        assert request.url.path == "/oauth/token" and request.method == "POST"
        forms.append({k: v[0] for k, v in parse_qs(request.content.decode()).items()})
        if status != 200:
            return httpx.Response(status, json={"error": "invalid_client", "error_description": "bad secret"})
        body = {
            "access_token": f"at-{len(forms)}-SECRETVALUE",
            "token_type": "Bearer",
            "expires_in": lifetimes[len(forms) - 1],
        }
        if refresh:
            body["refresh_token"] = f"ref{len(forms)}"
        return httpx.Response(200, json=body)

    return httpx.MockTransport(handler), forms


def settings(**extra) -> Settings:
    return Settings(client_id="id", client_secret="secret", **extra)


async def test_client_credentials_are_checked_with_a_second_grant():
    transport, forms = oauth_upstream([10800, 10800])
    report = await token_check.check_tokens(settings(), transport=transport, clock=lambda: 1000.0)
    assert (report.grant, report.refresh_path, report.expires_in, report.refreshed_expires_in) == (
        "client_credentials",
        "new grant",
        10800,
        10800,
    )
    assert [f["grant_type"] for f in forms] == ["client_credentials", "client_credentials"]
    assert not report.low


async def test_a_refresh_token_is_used_when_one_is_issued():
    transport, forms = oauth_upstream([10800, 3600], refresh=True)
    report = await token_check.check_tokens(
        settings(username="12345", password="pw"), transport=transport, clock=lambda: 1000.0
    )
    assert report.refresh_path == "refresh_token" and report.refreshed_expires_in == 3600
    assert forms[0]["grant_type"] == "password"
    assert forms[1] == {
        "grant_type": "refresh_token",
        "client_id": "id",
        "client_secret": "secret",
        "refresh_token": "ref1",
    }


async def test_under_five_minutes_is_low():
    transport, _ = oauth_upstream([10800, 299])
    report = await token_check.check_tokens(settings(), transport=transport, clock=lambda: 1000.0)
    assert report.low
    assert "⚠️ under 5 minutes left" in token_check.render_summary(report)
    assert "SECRETVALUE" not in token_check.render_summary(report)  # lifetimes only, never a token


async def test_a_refused_grant_raises_the_servers_auth_error():
    transport, _ = oauth_upstream([], status=401)
    with pytest.raises(AuthError, match="401"):
        await token_check.check_tokens(settings(), transport=transport)


def test_cli_without_credentials_is_a_configuration_error(monkeypatch, capsys):
    for name in ("TAB_CLIENT_ID", "TAB_CLIENT_SECRET", "TAB_USERNAME", "TAB_PASSWORD"):
        monkeypatch.delenv(name, raising=False)
    assert token_check.main([]) == token_check.EXIT_CONFIG
    assert "::error::token check: the token check needs TAB_CLIENT_ID" in capsys.readouterr().out


def test_cli_exit_codes_follow_the_lifetime(monkeypatch, tmp_path, capsys):
    summary = tmp_path / "summary.md"
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    monkeypatch.setenv("TAB_CLIENT_ID", "id")
    monkeypatch.setenv("TAB_CLIENT_SECRET", "secret")

    async def fake(settings, **_):
        return token_check.TokenReport("client_credentials", 10800, lifetime, "new grant")

    monkeypatch.setattr(token_check, "check_tokens", fake)
    lifetime = 10800
    assert token_check.main(["--json"]) == token_check.EXIT_OK
    assert '"low": false' in capsys.readouterr().out
    lifetime = 120
    assert token_check.main([]) == token_check.EXIT_LOW
    assert "::warning::OAuth token lifetime under 300 s" in capsys.readouterr().out
    assert summary.read_text().count("## tab-mcp token check") == 2
