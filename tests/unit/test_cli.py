"""tab_mcp.cli: the tools, token-status and serve commands, and their errors."""

from __future__ import annotations

import json

import httpx
import pytest

from tab_mcp import cli

pytestmark = pytest.mark.anyio


def test_cli_tools_lists_every_tool(capsys) -> None:
    assert cli.main(["tools"]) == 0
    lines = capsys.readouterr().out.strip().splitlines()
    assert len(lines) == 28 and lines[0].startswith("footytab_get_all_rounds")


def test_cli_config_error_names_the_variable(monkeypatch, capsys) -> None:
    monkeypatch.setenv("TAB_API_TIMEOUT", "soon")
    assert cli.main(["tools"]) == cli.EXIT_CONFIG
    err = capsys.readouterr().err
    assert "TAB_API_TIMEOUT='soon' is invalid" in err and "Traceback" not in err


def test_cli_config_error_never_echoes_secrets(monkeypatch, capsys) -> None:
    monkeypatch.setenv("TAB_BASE_URL", "http://evil.example")
    monkeypatch.setenv("TAB_CLIENT_SECRET", "shh-very-secret")
    assert cli.main(["tools"]) == cli.EXIT_CONFIG
    err = capsys.readouterr().err
    assert "TAB_BASE_URL" in err and "loopback" in err and "shh-very-secret" not in err


def test_cli_token_status_ok_and_json(monkeypatch, capsys, upstream) -> None:
    monkeypatch.setenv("TAB_CLIENT_ID", "cid")
    monkeypatch.setenv("TAB_CLIENT_SECRET", "csecret")
    assert cli.main(["token-status"], transport=upstream.transport) == 0
    assert "client_credentials token expires in 10800 s" in capsys.readouterr().out
    assert cli.main(["token-status", "--json"], transport=upstream.transport) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["ok"] is True and data["expires_in"] == 10800 and "tok" not in json.dumps(data)


def test_cli_token_status_below_buffer_exits_nonzero(monkeypatch, capsys, upstream) -> None:
    upstream.token_ttl = 120
    monkeypatch.setenv("TAB_CLIENT_ID", "cid")
    monkeypatch.setenv("TAB_CLIENT_SECRET", "csecret")
    assert cli.main(["token-status"], transport=upstream.transport) == cli.EXIT_TOKEN_LOW
    assert "under the buffer" in capsys.readouterr().out


def test_cli_token_status_warns_under_five_minutes(monkeypatch, capsys, upstream) -> None:
    upstream.token_ttl = 200
    monkeypatch.setenv("TAB_CLIENT_ID", "cid")
    monkeypatch.setenv("TAB_CLIENT_SECRET", "csecret")
    monkeypatch.setenv("TAB_TOKEN_REFRESH_BUFFER", "60")
    assert cli.main(["token-status"], transport=upstream.transport) == 0
    assert "WARNING: under 5 minutes left" in capsys.readouterr().out


def test_cli_token_status_errors(monkeypatch, capsys, upstream) -> None:
    assert cli.main(["token-status"]) == cli.EXIT_CONFIG
    assert "needs TAB_CLIENT_ID" in capsys.readouterr().err
    monkeypatch.setenv("TAB_CLIENT_ID", "cid")
    monkeypatch.setenv("TAB_CLIENT_SECRET", "csecret")
    upstream.route("/oauth/token", lambda _r: httpx.Response(401, json={"error": "invalid_client"}))
    assert cli.main(["token-status"], transport=upstream.transport) == cli.EXIT_UPSTREAM
    out = capsys.readouterr().out
    assert "could not obtain a token" in out and "csecret" not in out


def test_cli_serve_http_passes_safe_options_to_uvicorn(monkeypatch) -> None:
    import uvicorn
    from sse_starlette.sse import AppStatus

    # serve turns off sse-starlette's process-wide auto-drain; monkeypatch puts it back for later tests.
    monkeypatch.setattr(AppStatus, "enable_automatic_graceful_drain", True)
    seen: dict[str, object] = {}

    def fake_run(app, **kw):
        seen.update(kw, app=app, drain=AppStatus.enable_automatic_graceful_drain)

    monkeypatch.setattr(uvicorn, "run", fake_run)
    monkeypatch.setenv("PORT", "9123")
    assert cli.main(["serve", "--transport", "http"]) == 0
    assert seen["port"] == 9123 and seen["host"] == "127.0.0.1"
    assert seen["log_config"] is None and seen["timeout_graceful_shutdown"] == 10
    assert seen["timeout_keep_alive"] == 75
    assert seen["drain"] is False  # in-flight results on open SSE streams survive shutdown
    assert seen["access_log"] is False  # no line per request unless the operator asks
    monkeypatch.setenv("TAB_ACCESS_LOG", "true")
    assert cli.main(["serve", "--transport", "http"]) == 0
    assert seen["access_log"] is True


def test_cli_serve_bad_port(monkeypatch, capsys) -> None:
    from sse_starlette.sse import AppStatus

    monkeypatch.setattr(AppStatus, "enable_automatic_graceful_drain", True)
    monkeypatch.setenv("PORT", "eighty")
    assert cli.main(["serve", "--transport", "http"]) == cli.EXIT_CONFIG
    assert "PORT='eighty' is not a TCP port" in capsys.readouterr().err


def test_cli_serve_stdio_runs_the_stdio_transport(monkeypatch) -> None:
    from mcp.server.mcpserver import MCPServer

    calls: list[str] = []
    monkeypatch.setattr(MCPServer, "run", lambda self, transport="stdio", **_kw: calls.append(transport))
    assert cli.main(["serve"]) == 0
    assert calls == ["stdio"]


def test_cli_serve_stdio_refuses_workers(monkeypatch, capsys) -> None:
    from mcp.server.mcpserver import MCPServer

    calls: list[str] = []
    monkeypatch.setattr(MCPServer, "run", lambda self, transport="stdio", **_kw: calls.append(transport))
    assert cli.main(["serve", "--workers", "2"]) == cli.EXIT_CONFIG
    err = capsys.readouterr().err
    assert "--workers 2 needs --transport http" in err and "Traceback" not in err
    assert calls == []  # not silently served as one stdio process
