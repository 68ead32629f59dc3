"""The smoke suite's token check, live against a real server whose upstream issues short-lived tokens."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from pytest_tabmcp.standin import serve_in_thread
from tests.helpers.plugin_project import REPO

SMOKE_OAUTH = str(REPO / "tests" / "smoke" / "test_oauth.py")


@pytest.fixture(scope="module")
def short_token_server() -> Iterator[str]:
    """A tab-mcp HTTP server over a stand-in whose tokens live 200 s (under five minutes)."""
    from pytest_tabmcp.fixtures import offline_settings
    from pytest_tabmcp.standin import run_standin
    from tab_mcp.server import create_http_app

    with run_standin(REPO / "cassettes", token_ttl=200) as upstream:
        with serve_in_thread(create_http_app(offline_settings(base_url=upstream.url))) as served:
            yield served.url


@pytest.fixture(autouse=True)
def standin_credentials(monkeypatch: pytest.MonkeyPatch) -> None:
    """The suite passes its own credentials to the token tools: the stand-in's placeholders, as smoke-live does."""
    monkeypatch.setenv("TAB_CLIENT_ID", "PLACEHOLDER_CLIENT_ID")
    monkeypatch.setenv("TAB_CLIENT_SECRET", "PLACEHOLDER_CLIENT_SECRET")
    monkeypatch.setenv("TAB_USERNAME", "PLACEHOLDER_USERNAME")
    monkeypatch.setenv("TAB_PASSWORD", "PLACEHOLDER_PASSWORD")


def test_short_lifetime_within_the_buffer_fails(pytester: pytest.Pytester, short_token_server: str) -> None:
    result = pytester.runpytest(SMOKE_OAUTH, f"--live-url={short_token_server}", "-p", "no:randomly")
    result.assert_outcomes(failed=2)  # the client_credentials token, and the password grant's
    result.stdout.fnmatch_lines(
        ["*the client_credentials token expires in 200 s, within TAB_TOKEN_REFRESH_BUFFER=300 s*"]
    )


def test_short_lifetime_outside_the_buffer_warns(
    pytester: pytest.Pytester, short_token_server: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Rule: under five minutes left is a warning in the summary (for the monitor), not an error."""
    monkeypatch.setenv("TAB_TOKEN_REFRESH_BUFFER", "60")
    result = pytester.runpytest(SMOKE_OAUTH, f"--live-url={short_token_server}", "-p", "no:randomly")
    result.assert_outcomes(passed=2, warnings=1)
    result.stdout.fnmatch_lines(["*TokenLifetimeWarning: the OAuth token expires in 200 s"])
