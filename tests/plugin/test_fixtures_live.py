"""Live mode: the same test body against a real tab-mcp HTTP server on loopback, headers, failures, tokens."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator

import httpx
import pytest

from tests.helpers.plugin_project import HeaderRecorder

SAME_BODY = """
import pytest

pytestmark = pytest.mark.anyio

async def test_dates(call_tool, tabmcp_mode, tabmcp_cassette):
    result = await call_tool("racing_get_all_meeting_dates")
    assert result.structured_content["dates"][0]["meetingDate"] == "2026-09-23"
    assert (tabmcp_cassette is None) == (tabmcp_mode == "live")

async def test_meetings(call_tool):
    result = await call_tool("racing_get_meetings", {"meeting_date": "2026-09-23"})
    assert result.structured_content["meetings"][0]["meetingName"] == "WARWICK FARM"

async def test_handshake(mcp_client):
    assert mcp_client.server_info.name == "tab-mcp"
    assert len((await mcp_client.list_tools()).tools) == 28

async def test_upstream_error(call_tool):
    args = {"meeting_date": "2026-09-23", "race_type": "R", "venue_mnemonic": "WFM", "race_number": 99}
    result = await call_tool("racing_get_race", args, expect_error=True)
    assert "RESOURCE_NOT_FOUND_ERROR" in result.content[0].text
"""


def test_the_same_test_body_passes_offline_and_live(project: pytest.Pytester, live_url: str) -> None:
    """Acceptance: a test using mcp_client/call_tool passes unchanged offline and with --live-url."""
    project.makepyfile(test_demo=SAME_BODY)
    project.runpytest().assert_outcomes(passed=4)
    result = project.runpytest(f"--live-url={live_url}")
    result.assert_outcomes(passed=4)
    result.stdout.fnmatch_lines(["tabmcp: mode=live url=http://127.0.0.1:*/mcp", "*tab-mcp latency (live)*"])


def test_live_headers_reach_the_server_and_never_the_output(
    project: pytest.Pytester, live_url: str, live_app: HeaderRecorder, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TABMCP_LIVE_HEADERS", "Authorization: Bearer live-secret-123\n# a comment\nX-Monitor: ci")
    project.makepyfile(test_demo=SAME_BODY)
    live_app.seen.clear()
    result = project.runpytest(f"--live-url={live_url}", "-k", "handshake")
    result.assert_outcomes(passed=1)
    assert any(h.get("authorization") == "Bearer live-secret-123" and h.get("x-monitor") == "ci" for h in live_app.seen)
    result.stdout.fnmatch_lines(["*mode=live url=*, 2 header(s) from TABMCP_LIVE_HEADERS (values hidden)"])
    assert "live-secret-123" not in result.stdout.str() + result.stderr.str()


def test_report_header_redacts_the_live_url(project: pytest.Pytester, live_server: str) -> None:
    project.makepyfile(test_demo=SAME_BODY)
    url = live_server.replace("http://", "http://user:pw@") + "/mcp?api_key=k3y"
    result = project.runpytest(f"--live-url={url}", "-k", "handshake")
    result.assert_outcomes(passed=1)
    result.stdout.fnmatch_lines(["tabmcp: mode=live url=http://***@127.0.0.1:*/mcp?***"])
    assert "k3y" not in result.stdout.str() and ":pw@" not in result.stdout.str()


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def test_unreachable_server_fails_with_a_clear_message(project: pytest.Pytester) -> None:
    project.makepyfile(test_demo=SAME_BODY)
    port = _closed_port()
    result = project.runpytest(f"--live-url=http://127.0.0.1:{port}/mcp", "-k", "handshake")
    result.assert_outcomes(errors=1)
    result.stdout.fnmatch_lines(
        [
            f"tabmcp live check: could not reach the MCP server at http://127.0.0.1:{port}/mcp: ConnectError: *;"
            " check that the server is running and that --live-url (or TABMCP_LIVE_URL) points at its /mcp endpoint."
        ]
    )


@pytest.fixture
def silent_server() -> Iterator[str]:
    """A loopback server that accepts TCP connections and never answers (a hung deployment)."""
    listener = socket.create_server(("127.0.0.1", 0))
    accepted: list[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:
        listener.settimeout(0.2)
        while not stop.is_set():
            try:
                accepted.append(listener.accept()[0])
            except TimeoutError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{listener.getsockname()[1]}/mcp?token=SECRET"
    finally:
        stop.set()
        thread.join(5)
        for conn in accepted:
            conn.close()
        listener.close()


def test_a_hung_server_fails_every_test_at_once_within_30_s(project: pytest.Pytester, silent_server: str) -> None:
    project.makepyfile(test_demo=SAME_BODY)
    started = time.monotonic()
    result = project.runpytest(f"--live-url={silent_server}")
    elapsed = time.monotonic() - started
    assert elapsed < 30, f"the run took {elapsed:.1f} s"
    result.assert_outcomes(errors=4)
    shown = silent_server.split("?")[0] + "?***"
    line = (
        f"tabmcp live check: the MCP server at {shown} accepted the connection but did not answer initialize "
        "within 10 s; check that the server is healthy (its /healthz and its logs)."
    )
    # Each test's error section is exactly that sentence, with no traceback. Count whole lines: with CI set,
    # pytest's short summary repeats the message untruncated after an "ERROR ... - Failed:" prefix.
    assert result.stdout.lines.count(line) == 4
    assert "SECRET" not in result.stdout.str() and "Timeout" not in result.stdout.str().replace("timeout-", "")


@pytest.mark.parametrize("status", [401, 403])
def test_an_auth_refusal_names_tabmcp_live_headers_never_their_values(
    project: pytest.Pytester, monkeypatch: pytest.MonkeyPatch, status: int
) -> None:
    def refuse(request: httpx.Request) -> httpx.Response:
        return httpx.Response(status, json={"error": "unauthorized"})

    monkeypatch.setenv("TABMCP_LIVE_HEADERS", "Authorization: Bearer SECRET-VALUE")
    transport = httpx.MockTransport(refuse)
    real_client = httpx.Client
    monkeypatch.setattr(httpx, "Client", lambda **kw: real_client(transport=transport, **kw))
    project.makepyfile(test_demo=SAME_BODY)
    result = project.runpytest("--live-url=https://mcp.example/mcp", "-k", "handshake")
    result.assert_outcomes(errors=1)
    result.stdout.fnmatch_lines(
        [
            f"tabmcp live check: the MCP server at https://mcp.example/mcp refused initialize with HTTP {status},"
            " an authentication problem: check the credentials in TABMCP_LIVE_HEADERS (1 header(s) sent, values"
            " hidden)."
        ]
    )
    assert "SECRET-VALUE" not in result.stdout.str()


TOKEN_TEST = """
def test_token(oauth_token, tabmcp_mode):
    assert tabmcp_mode == "live"
    assert oauth_token.access_token.startswith("standin-token-")
    assert oauth_token.grant == "{grant}"
    assert oauth_token.expires_in == 10800 and oauth_token.remaining() > 10000
    assert oauth_token.access_token not in repr(oauth_token)
"""


@pytest.mark.parametrize("grant", ["client_credentials", "password"])
def test_oauth_token_live_is_a_real_grant(
    project: pytest.Pytester, live_url: str, standin, monkeypatch: pytest.MonkeyPatch, grant: str
) -> None:
    monkeypatch.setenv("TAB_BASE_URL", standin.url)
    monkeypatch.setenv("TAB_CLIENT_ID", "id-for-live")
    monkeypatch.setenv("TAB_CLIENT_SECRET", "secret-for-live")
    if grant == "password":
        monkeypatch.setenv("TAB_USERNAME", "1234567")
        monkeypatch.setenv("TAB_PASSWORD", "pw-for-live")
    project.makepyfile(test_token=TOKEN_TEST.format(grant=grant))
    project.runpytest(f"--live-url={live_url}").assert_outcomes(passed=1)


def test_oauth_token_live_without_credentials_skips_naming_them(project: pytest.Pytester, live_url: str) -> None:
    project.makepyfile(test_token=TOKEN_TEST.format(grant="client_credentials"))
    result = project.runpytest("-rs", f"--live-url={live_url}")
    result.assert_outcomes(skipped=1)
    result.stdout.fnmatch_lines(
        ["*tab_credentials: live mode needs TAB_CLIENT_ID, TAB_CLIENT_SECRET in the environment"]
    )


def test_oauth_token_refused_grant_fails_with_status(
    project: pytest.Pytester, live_url: str, live_server: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The tab-mcp app has no /oauth/token route: a 404 stands in for a refused grant.
    monkeypatch.setenv("TAB_BASE_URL", live_server)
    monkeypatch.setenv("TAB_CLIENT_ID", "id")
    monkeypatch.setenv("TAB_CLIENT_SECRET", "secret-value")
    project.makepyfile(test_token=TOKEN_TEST.format(grant="client_credentials"))
    result = project.runpytest(f"--live-url={live_url}")
    result.assert_outcomes(errors=1)
    result.stdout.fnmatch_lines(
        [f"oauth_token: POST {live_server}/oauth/token (client_credentials grant) returned 404"]
    )
    assert "secret-value" not in result.stdout.str()


def test_oauth_token_unreachable_endpoint(project: pytest.Pytester, live_url: str, monkeypatch) -> None:
    port = _closed_port()
    monkeypatch.setenv("TAB_BASE_URL", f"http://127.0.0.1:{port}")
    monkeypatch.setenv("TAB_CLIENT_ID", "id")
    monkeypatch.setenv("TAB_CLIENT_SECRET", "secret-value")
    project.makepyfile(test_token=TOKEN_TEST.format(grant="client_credentials"))
    result = project.runpytest(f"--live-url={live_url}")
    result.assert_outcomes(errors=1)
    result.stdout.fnmatch_lines(
        [f"oauth_token: POST http://127.0.0.1:{port}/oauth/token (client_credentials grant) failed: ConnectError: *"]
    )
