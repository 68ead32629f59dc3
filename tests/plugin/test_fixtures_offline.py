"""The fixtures offline (in-process server over a cassette) and in record mode, with their failure texts."""

from __future__ import annotations

import pytest

from tests.helpers.plugin_project import DEMO_CASSETTE


def test_offline_fixtures_replay_the_cassette(project: pytest.Pytester, monkeypatch: pytest.MonkeyPatch) -> None:
    """Rule: offline is hermetic; TAB_* in the environment never reaches the replayed server."""
    monkeypatch.setenv("TAB_CLIENT_ID", "real-client-id-from-env")
    monkeypatch.setenv("TAB_JURISDICTION", "VIC")  # would change every request's query if it leaked in
    project.makepyfile(
        test_demo="""
        import datetime as dt
        import pytest

        pytestmark = pytest.mark.anyio

        async def test_replay(call_tool, tabmcp_cassette, tabmcp_mode, tab_settings, tab_credentials):
            result = await call_tool("racing_get_all_meeting_dates")
            assert result.structured_content["dates"][0]["meetingDate"] == "2026-09-23"
            assert tabmcp_mode == "offline"
            assert tabmcp_cassette.play_count == 2  # the server's own token, then the dates
            assert tab_settings.base_url == "https://api.beta.tab.com.au"
            assert tab_settings.client_id.get_secret_value() == "PLACEHOLDER_CLIENT_ID"
            assert tab_settings.jurisdiction == "NSW"
            assert tab_credentials.client_secret == "PLACEHOLDER_CLIENT_SECRET"
            assert "PLACEHOLDER" not in repr(tab_credentials)

        def test_token(oauth_token, tabmcp_cassette):
            assert oauth_token.access_token == "placeholder-access-token"
            assert oauth_token.expires_in == 10800 and oauth_token.grant == "client_credentials"
            left = oauth_token.remaining()
            assert 10790 < left <= 10800
            assert oauth_token.expires_at > dt.datetime.now(dt.timezone.utc)
            assert "placeholder-access-token" not in repr(oauth_token) and "access_token='***'" in repr(oauth_token)
            assert tabmcp_cassette.play_count == 1

        async def test_repeats_replay(call_tool):
            for _ in range(3):
                await call_tool("racing_get_all_meeting_dates")

        async def test_client(mcp_client):
            assert mcp_client.server_info.name == "tab-mcp"
        """
    )
    project.runpytest().assert_outcomes(passed=4)


def test_marker_selects_the_cassette(project: pytest.Pytester) -> None:
    project.makepyfile(
        test_anything="""
        import pytest

        @pytest.mark.anyio
        @pytest.mark.tabmcp(cassette="demo.yaml")
        async def test_it(call_tool, tabmcp_cassette):
            await call_tool("racing_get_meetings", {"meeting_date": "2026-09-23"})
            assert tabmcp_cassette.path.endswith("cassettes/demo.yaml")
        """
    )
    project.runpytest().assert_outcomes(passed=1)


def test_missing_interaction_names_request_cassette_and_command(project: pytest.Pytester) -> None:
    """Rule: vcrpy's error is hidden by the SDK inside a tool; the plugin must say what is missing and how to fix it."""
    project.makepyfile(
        test_demo="""
        import pytest

        @pytest.mark.anyio
        async def test_missing(call_tool):
            await call_tool("racing_get_meetings", {"meeting_date": "2026-09-24"})
        """
    )
    result = project.runpytest()
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(
        [
            "tab-mcp: the cassette has no recorded response for 1 request(s) made during this test:",
            "- GET https://api.beta.tab.com.au/v1/tab-info-service/racing/dates/2026-09-24/meetings?jurisdiction=NSW:"
            " no recorded request matches (the closest differs in path)",
            "    closest recorded: GET https://api.beta.tab.com.au/v1/tab-info-service/racing/dates*",
            "",
            "Cassette: */cassettes/demo.yaml (record mode 'none')",
            "To record it against the real API (TAB_CLIENT_ID/TAB_CLIENT_SECRET in the environment), run:",
            "    pytest --tabmcp-record-mode=new_episodes test_demo.py::test_missing",
            "or re-record every cassette with: make record",
        ],
        consecutive=True,
    )


def test_missing_cassette_file_suggests_once(project: pytest.Pytester) -> None:
    project.makepyfile(
        test_nowhere="""
        import pytest

        @pytest.mark.anyio
        async def test_it(call_tool):
            await call_tool("racing_get_all_meeting_dates")
        """
    )
    result = project.runpytest()
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(
        [
            "- POST https://api.beta.tab.com.au/oauth/token: the cassette file does not exist",
            "Cassette: */cassettes/nowhere.yaml (record mode 'none')",
            "    pytest --tabmcp-record-mode=once test_nowhere.py::test_it",
        ]
    )


def test_miss_seen_only_through_mcp_client_fails_at_teardown(project: pytest.Pytester) -> None:
    project.makepyfile(
        test_demo="""
        import pytest

        @pytest.mark.anyio
        async def test_it(mcp_client):
            result = await mcp_client.call_tool("racing_get_meetings", {"meeting_date": "2030-01-01"})
            assert result.is_error  # the SDK only says "Error executing tool racing_get_meetings"
        """
    )
    result = project.runpytest()
    result.assert_outcomes(passed=1, errors=1)
    result.stdout.fnmatch_lines(
        ["*ERROR at teardown of test_it*", "- GET */racing/dates/2030-01-01/meetings?jurisdiction=NSW: no recorded*"]
    )


def test_oauth_token_miss_is_reported_clearly(project: pytest.Pytester) -> None:
    (project.path / "cassettes" / "empty.yaml").write_text("interactions: []\nversion: 1\n", encoding="utf-8")
    project.makepyfile(
        test_empty="""
        def test_it(oauth_token):
            pass
        """
    )
    result = project.runpytest()
    result.assert_outcomes(errors=1)
    result.stdout.fnmatch_lines(["- POST https://api.beta.tab.com.au/oauth/token: *", "*--tabmcp-record-mode=*"])


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (
            'await call_tool("racing_get_race", {"meeting_date": "2026-09-23", "race_type": "R", '
            '"venue_mnemonic": "WFM", "race_number": 99})',
            "tool racing_get_race returned an error: Error executing tool racing_get_race: Tabcorp API returned 404"
            " for *: RESOURCE_NOT_FOUND_ERROR: Resource not found; *",
        ),
        ('await call_tool("no_such_tool")', "tool no_such_tool returned an error: Unknown tool: no_such_tool"),
        (
            'await call_tool("racing_get_all_meeting_dates", expect_error=True)',
            "tool racing_get_all_meeting_dates was expected to return an error, but it succeeded",
        ),
    ],
    ids=["upstream-404", "unknown-tool", "expected-error-missing"],
)
def test_call_tool_fails_with_the_tools_own_text(project: pytest.Pytester, body: str, message: str) -> None:
    project.makepyfile(test_demo=f"import pytest\n\n@pytest.mark.anyio\nasync def test_it(call_tool):\n    {body}\n")
    result = project.runpytest()
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines([message])


def test_expect_error_true_and_none(project: pytest.Pytester) -> None:
    project.makepyfile(
        test_demo="""
        import pytest

        ARGS = {"meeting_date": "2026-09-23", "race_type": "R", "venue_mnemonic": "WFM", "race_number": 99}

        @pytest.mark.anyio
        async def test_it(call_tool, request):
            failed = await call_tool("racing_get_race", ARGS, expect_error=True)
            assert failed.is_error
            either = await call_tool("racing_get_race", ARGS, expect_error=None)
            ok = await call_tool("racing_get_all_meeting_dates", expect_error=None)
            assert either.is_error and not ok.is_error
            calls = [value for name, value in request.node.user_properties if name == "tabmcp_call"]
            assert [(c["tool"], c["error"]) for c in calls] == [
                ("racing_get_race", True), ("racing_get_race", True), ("racing_get_all_meeting_dates", False)
            ]
            assert all(c["ms"] > 0 for c in calls)
        """
    )
    project.runpytest().assert_outcomes(passed=1)


def test_per_test_latency_budget(project: pytest.Pytester) -> None:
    project.makepyfile(
        test_demo="""
        import pytest

        @pytest.mark.anyio
        @pytest.mark.tabmcp(latency_budget_ms=0.000001)
        async def test_it(call_tool):
            await call_tool("racing_get_all_meeting_dates")
        """
    )
    result = project.runpytest()
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(
        [
            "tool racing_get_all_meeting_dates took * ms, over this test's latency budget of 1e-06 ms"
            " (@pytest.mark.tabmcp(latency_budget_ms=...))"
        ]
    )


def test_a_raising_call_is_timed_as_an_error(project: pytest.Pytester) -> None:
    project.makepyfile(
        test_demo="""
        import pytest
        from pytest_tabmcp.fixtures import ToolCaller

        class Boom:
            async def call_tool(self, name, arguments, **options):
                raise RuntimeError("transport closed")

        @pytest.mark.anyio
        async def test_it(request):
            caller = ToolCaller(Boom(), request.node, None, None)
            with pytest.raises(RuntimeError, match="transport closed"):
                await caller("racing_get_race")
            assert request.node.user_properties[-1][1]["error"] is True
            assert len(request.node.user_properties[-1][1]["trace_id"]) == 32
        """
    )
    project.runpytest().assert_outcomes(passed=1)


RECORD_MODE_TESTS = """
def test_settings(tab_settings, tabmcp_mode):
    assert tabmcp_mode == "record"
    assert tab_settings.base_url == "http://127.0.0.1:9"

def test_credentials(tab_credentials):
    pass
"""


def test_record_mode_reads_tab_settings_from_env_and_skips_without_credentials(
    project: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TAB_BASE_URL", "http://127.0.0.1:9")
    project.makepyfile(test_demo=RECORD_MODE_TESTS)
    result = project.runpytest("-rs", "--tabmcp-record-mode=once")
    result.assert_outcomes(passed=1, skipped=1)
    result.stdout.fnmatch_lines(
        ["SKIPPED [[]1] *: tab_credentials: record mode needs TAB_CLIENT_ID, TAB_CLIENT_SECRET in the environment"]
    )
    monkeypatch.setenv("TAB_CLIENT_SECRET", "s")
    result = project.runpytest("-rs", "--tabmcp-record-mode=once")
    result.stdout.fnmatch_lines(
        ["SKIPPED [[]1] *: tab_credentials: record mode needs TAB_CLIENT_ID in the environment"]
    )


def test_record_mode_with_bad_tab_settings_fails_with_the_config_error(
    project: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TAB_JURISDICTION", "WA")
    project.makepyfile(test_demo=RECORD_MODE_TESTS)
    result = project.runpytest("--tabmcp-record-mode=once", "-k", "settings")
    result.assert_outcomes(errors=1)
    result.stdout.fnmatch_lines(["tab_settings: TAB_JURISDICTION='WA' is invalid: *"])


def test_cassette_fixture_supports_custom_settings(project: pytest.Pytester) -> None:
    """A project overrides tab_settings (here: a different jurisdiction) and the cassette decides the answer."""
    cassette = DEMO_CASSETTE.replace("jurisdiction=NSW", "jurisdiction=VIC")
    (project.path / "cassettes" / "vic.yaml").write_text(cassette, encoding="utf-8")
    project.makeconftest(
        """
        import pytest
        from pytest_tabmcp.fixtures import offline_settings

        @pytest.fixture
        def anyio_backend():
            return "asyncio"

        @pytest.fixture
        def tab_settings():
            return offline_settings(jurisdiction="VIC")
        """
    )
    project.makepyfile(
        test_vic="""
        import pytest

        @pytest.mark.anyio
        async def test_it(call_tool):
            await call_tool("racing_get_all_meeting_dates")
        """
    )
    project.runpytest().assert_outcomes(passed=1)


def _token_cassette(status: int, body: str) -> str:
    return (
        "interactions:\n- request: {body: null, headers: {}, method: POST, uri: 'https://api.beta.tab.com.au/oauth/token'}\n"
        f"  response: {{body: {{string: '{body}'}}, headers: {{}}, status: {{code: {status}, message: X}}}}\n"
        "version: 1\n"
    )


@pytest.mark.parametrize(
    ("status", "body", "message"),
    [
        (
            401,
            '{"error": "invalid_client", "error_description": "Client authentication failed"}',
            "oauth_token: POST https://api.beta.tab.com.au/oauth/token (client_credentials grant) returned 401:"
            " invalid_client (Client authentication failed)",
        ),
        (
            200,
            '{"token": "x"}',
            "oauth_token: POST https://api.beta.tab.com.au/oauth/token (client_credentials grant):"
            " the token response has no access_token",
        ),
        (503, "<html>down</html>", "oauth_token: POST * returned 503"),
    ],
    ids=["refused", "not-a-token", "html"],
)
def test_oauth_token_failures_are_explained(project: pytest.Pytester, status: int, body: str, message: str) -> None:
    (project.path / "cassettes" / "token.yaml").write_text(_token_cassette(status, body), encoding="utf-8")
    project.makepyfile(test_token="def test_it(oauth_token):\n    pass\n")
    result = project.runpytest()
    result.assert_outcomes(errors=1)
    result.stdout.fnmatch_lines([message])
