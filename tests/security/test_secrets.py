"""Canary credentials and issued tokens never show up where they should not.

``tab-mcp serve --transport http`` runs as a subprocess with unique canary credentials, ``TAB_LOG_LEVEL=DEBUG``
and uvicorn's access log on (``TAB_ACCESS_LOG=true``), over the stand-in (which requires the token it issued
last, so tokens really flow). The whole tool surface runs, then every error path the fault grammar can produce, a wrong
``access_token``, unknown refresh tokens and credentials passed as arguments, and session-config query
parameters carrying secrets. Afterwards no canary and no issued token (``standin-token-*``,
``standin-refresh-*``) may appear in the server's stderr (every log line, access log included), in any error
text, or in any tool result, except the issued tokens in the successful results of the ``tab_oauth_*``
tools, which exist to return them.
"""

from __future__ import annotations

import re
import uuid
from typing import Any

import httpx
import pytest

from tests.helpers.loopback_servers import cli_server, server_env, session, shared_http_client, text_of

pytestmark = [pytest.mark.anyio, pytest.mark.slow]
TAG = uuid.uuid4().hex[:12]
CANARIES = {
    "client_id": f"canary-client-id-{TAG}",
    "client_secret": f"canary-client-secret-{TAG}",
    "username": f"canary-username-{TAG}",
    "password": f"canary-password-{TAG}",
    "access_token": f"canary-access-token-{TAG}",
    "refresh_token": f"canary-refresh-token-{TAG}",
    "other_password": f"canary-other-password-{TAG}",
    "session_client_id": f"canary-session-client-id-{TAG}",
    "session_client_secret": f"canary-session-client-secret-{TAG}",
    "session_username": f"canary-session-username-{TAG}",
    "session_password": f"canary-session-password-{TAG}",
}
ISSUED = re.compile(r"standin-(?:token|refresh)-\d+")
TODAY_WFM = {"meeting_date": "today", "race_type": "R", "venue_mnemonic": "WFM"}
AFL = {"sport_name": "AFL Football", "competition_name": "AFL"}
ATP = {"sport_name": "Tennis", "competition_name": "ATP", "tournament_name": "ATP Munich"}
INFO_CALLS: list[tuple[str, dict[str, Any]]] = [
    ("racing_get_all_meeting_dates", {}),
    ("racing_get_meetings", {"meeting_date": "today"}),
    ("racing_get_all_races_in_meeting", TODAY_WFM),
    ("racing_get_race", {**TODAY_WFM, "race_number": 1}),
    ("racing_get_next_to_go", {"max_races": 5}),
    ("racing_get_race_form", {**TODAY_WFM, "race_number": 1}),
    ("racing_get_runner_form", {**TODAY_WFM, "race_number": 1, "runner_number": 1}),
    ("racing_get_approximates", {**TODAY_WFM, "race_number": 1, "wagering_product": "Quinella"}),
    ("racing_get_open_jackpots", {}),
    ("racing_get_jackpot_pools", {"meeting_date": "today"}),
    ("sports_get_all_open", {}),
    ("sports_get_open_sport", {"sport_name": "AFL Football"}),
    ("sports_get_open_competition", AFL),
    ("sports_get_open_tournament", ATP),
    ("sports_get_open_match_in_competition", {**AFL, "match_name": "Wst Bulldogs v Adelaide"}),
    ("sports_get_open_match_in_tournament", {**ATP, "match_name": "Kecmanovic v Basilashvili"}),
    ("sports_get_next_to_go", {"limit": 5}),
    ("sports_get_all_results", {}),
    ("sports_get_resulted_sport", {"sport_name": "AFL Football"}),
    ("sports_get_resulted_competition", AFL),
    ("sports_get_resulted_match_in_competition", {**AFL, "match_name": "Wst Bulldogs v Adelaide"}),
    ("footytab_get_all_rounds", {"sport_name": "AFL Football"}),
    ("footytab_get_round_details", {"sport_name": "AFL Football", "round_number": 27}),
    ("tab_get", {"path": "/v1/tab-info-service/racing/dates"}),
]
JACKPOTS = "/v1/tab-info-service/racing/jackpots"
#: (fault spec or None, tool, arguments, revoke the server's token first)
ERROR_CALLS: list[tuple[str | None, str, dict[str, Any], bool]] = [
    (None, "racing_get_race", {**TODAY_WFM, "race_number": 99}, False),  # 404 from the cassette
    (None, "tab_get", {"path": "/v1/tab-info-service/racing/dates", "params": {"jurisdiction": "WA"}}, False),
    (None, "racing_get_race", {**TODAY_WFM, "race_type": "Z", "race_number": 1}, False),  # refused input
    (None, "sports_get_open_sport", {"sport_name": "a\x00b"}, False),
    (None, "tab_post", {"path": "/v1/betting-service/bets", "body": {"stake": 1}}, False),  # betting disabled
    (None, "racing_get_open_jackpots", {"access_token": CANARIES["access_token"]}, False),  # refused token
    (None, "tab_oauth_refresh", {"refresh_token": CANARIES["refresh_token"]}, False),  # invalid_grant
    *[
        (f"{spec},path={JACKPOTS}", "racing_get_open_jackpots", {}, False)
        for spec in ("status=401", "status=429,retry-after=1", "status=500", "status=503", "html=403", "html",
                     "malformed-json", "reset", "huge=200000", "hang", "empty")
    ],
    ("oauth-down", "racing_get_open_jackpots", {}, True),
    ("oauth-down", "tab_oauth_password_grant", {"password": CANARIES["other_password"]}, False),
    ("oauth-down", "tab_oauth_client_credentials", {"client_id": CANARIES["client_id"]}, False),
]  # fmt: skip


def leaks(text: str, *, tokens_allowed: bool = False) -> list[str]:
    """The canaries (and, unless allowed, issued tokens) found in ``text``."""
    found = [name for name, value in CANARIES.items() if value in text]
    if not tokens_allowed:
        found += sorted(set(ISSUED.findall(text)))
    return found


async def test_no_secret_in_logs_errors_or_results(standin, tmp_path) -> None:
    standin.standin.require_auth = True
    env = server_env(
        base_url=standin.url,
        client_id=CANARIES["client_id"],
        client_secret=CANARIES["client_secret"],
        username=CANARIES["username"],
        password=CANARIES["password"],
        log_level="DEBUG",
        access_log="true",
        api_timeout=1,
        retry_max_seconds=0.5,
        max_response_bytes=65536,
    )
    texts: list[tuple[str, str, bool]] = []  # (what, text, issued tokens allowed)
    with cli_server(env, tmp_path / "server.log") as server:
        # A session config carrying (canary) credentials: the token tools below mint with these, never the server's.
        secret_query = httpx.QueryParams(
            {
                "clientId": CANARIES["client_id"],
                "clientSecret": CANARIES["client_secret"],
                "username": CANARIES["username"],
                "password": CANARIES["password"],
                "access_token": CANARIES["access_token"],
            }
        )
        headers = {"X-Debug-Token": CANARIES["access_token"]}
        async with shared_http_client(headers=headers) as http:
            async with session(f"{server.url}?{secret_query}", http) as client:
                for tool, arguments in INFO_CALLS:
                    result = await client.call_tool(tool, arguments)
                    assert not result.is_error, f"{tool}: {text_of(result)}"  # the whole surface really ran
                    texts.append((tool, text_of(result), False))
                password_grant = await client.call_tool("tab_oauth_password_grant", {})
                refresh = password_grant.structured_content["refresh_token"]
                for tool, arguments in [
                    ("tab_oauth_client_credentials", {}),
                    ("tab_oauth_password_grant", {}),
                    ("tab_oauth_refresh", {"refresh_token": refresh}),
                ]:
                    result = await client.call_tool(tool, arguments)
                    assert not result.is_error, f"{tool}: {text_of(result)}"
                    texts.append((tool, text_of(result), True))
                standin.standin.oauth.revoke()  # stale server token: 401, refresh_token grant, replay
                recovered = await client.call_tool("racing_get_open_jackpots", {})
                assert not recovered.is_error, text_of(recovered)
                texts.append(("stale token recovery", text_of(recovered), False))
                for fault, tool, arguments, revoke in ERROR_CALLS:
                    if revoke:
                        standin.standin.oauth.revoke()
                    standin.set_faults(fault)
                    result = await client.call_tool(tool, arguments)
                    standin.set_faults(None)
                    assert result.is_error, f"{tool} under {fault!r} should fail"
                    texts.append((f"{tool} [{fault}]", text_of(result), False))
            # Smithery-style session config carrying the session's own credentials (clientId/clientSecret...).
            session_query = httpx.QueryParams(
                {
                    "clientId": CANARIES["session_client_id"],
                    "clientSecret": CANARIES["session_client_secret"],
                    "username": CANARIES["session_username"],
                    "password": CANARIES["session_password"],
                }
            )
            async with session(f"{server.url}?{session_query}", http) as client:
                for tool, arguments in INFO_CALLS[:3]:
                    result = await client.call_tool(tool, arguments)
                    assert not result.is_error, f"{tool} (session credentials): {text_of(result)}"
                    texts.append((f"{tool} (session)", text_of(result), False))
                standin.standin.oauth.revoke()
                standin.set_faults("oauth-down")
                failed = await client.call_tool("racing_get_open_jackpots", {})
                standin.set_faults(None)
                assert failed.is_error
                texts.append(("session token refresh while OAuth is down", text_of(failed), False))
            ready = await http.get(f"{server.base}/readyz?{secret_query}")
            texts.append(("/readyz", ready.text, False))
            await http.get(f"{server.base}/healthz?{secret_query}")
        log = server.log()
    assert "GET /healthz" in log and "POST /mcp" in log, "the access log must be on for this test to mean anything"
    assert "DEBUG" in log, "debug logging must be on for this test to mean anything"
    problems = [(what, found) for what, text, allowed in texts if (found := leaks(text, tokens_allowed=allowed))]
    assert problems == [], problems
    leaked_lines = [line for line in log.splitlines() if leaks(line)]
    assert leaked_lines == [], leaked_lines[:5]


RECORDING_TEST = """
import pytest

pytestmark = pytest.mark.anyio


@pytest.fixture
def anyio_backend():
    return "asyncio"


@pytest.mark.tabmcp(cassette="canary")
async def test_record(call_tool, oauth_token, tab_credentials):
    assert oauth_token.access_token.startswith("standin-token-")
    await call_tool("racing_get_open_jackpots")
    await call_tool("sports_get_open_sport", {"sport_name": "AFL Football"})
    own = {"client_id": tab_credentials.client_id, "client_secret": tab_credentials.client_secret}
    account = {"username": tab_credentials.username, "password": tab_credentials.password}
    granted = await call_tool("tab_oauth_password_grant", {**own, **account})
    assert granted.structured_content["access_token"].startswith("standin-token-")
    await call_tool("tab_oauth_refresh", {**own, "refresh_token": granted.structured_content["refresh_token"]})
"""


def test_recorded_cassette_and_latency_report_hold_no_secret(standin, tmp_path) -> None:
    """Record through the plugin with canary credentials and real (stand-in) tokens; scan what it wrote."""
    import subprocess
    import sys

    (tmp_path / "test_canary_recording.py").write_text(RECORDING_TEST)
    (tmp_path / "pytest.ini").write_text("[pytest]\nasyncio_default_fixture_loop_scope = function\n")
    cassettes, report = tmp_path / "cassettes", tmp_path / "latency.json"
    env = server_env(
        base_url=standin.url,
        client_id=CANARIES["client_id"],
        client_secret=CANARIES["client_secret"],
        username=CANARIES["username"],
        password=CANARIES["password"],
    )
    for name in [k for k in env if k.startswith("TABMCP_")]:
        del env[name]
    args = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "no:randomly",
            "--tabmcp-record-mode", "all", "--tabmcp-cassette-dir", str(cassettes),
            "--tabmcp-latency-json", str(report), "test_canary_recording.py"]  # fmt: skip
    run = subprocess.run(args, cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120, check=False)  # noqa: S603
    output = run.stdout + run.stderr
    assert run.returncode == 0, output[-3000:]
    written = sorted(cassettes.rglob("*.yaml"))
    assert written and report.is_file(), f"nothing recorded: {list(tmp_path.rglob('*'))}"
    assert standin.stats["oauth_requests"] >= 3, "the recording must have used the (stand-in) OAuth endpoint"
    for path in [*written, report]:
        found = leaks(path.read_text())
        assert found == [], f"{path.name} holds {found}"
    assert leaks(output) == [], "the pytest output itself (terminal latency table, header) holds a secret"
