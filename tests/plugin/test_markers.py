"""Markers: registered with signatures, mode guards (live_only, offline_only, destructive) and tabmcp(...)."""

from __future__ import annotations

import pytest

from pytest_tabmcp.markers import MARKERS
from tests.helpers.plugin_project import write_ini

MODE_TESTS = """
import pytest

@pytest.mark.live_only
def test_live(): pass

@pytest.mark.offline_only
def test_offline(): pass

@pytest.mark.destructive
def test_bet(): pass

def test_plain(): pass
"""


def test_markers_are_listed_with_their_signatures(pytester: pytest.Pytester) -> None:
    result = pytester.runpytest("--markers")
    for name in ("unit", "integration", "smoke", "plugin", "security", "oauth", "account", "live_only", "offline_only"):
        result.stdout.fnmatch_lines([f"@pytest.mark.{name}: *"])
    result.stdout.fnmatch_lines(
        [
            "@pytest.mark.destructive: Changes upstream state (e.g. tab_post); skipped against a live server or while"
            " recording unless --tabmcp-allow-destructive is given",
            "@pytest.mark.tabmcp(*, cassette=None, record_mode=None, latency_budget_ms=None): Configure the tabmcp"
            " fixtures for this test*",
        ]
    )
    assert len(MARKERS) == 11


def test_strict_markers_accepts_every_registered_marker(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        """
        import pytest

        @pytest.mark.unit
        @pytest.mark.integration
        @pytest.mark.smoke
        @pytest.mark.plugin
        @pytest.mark.security
        @pytest.mark.oauth
        @pytest.mark.tabmcp(cassette="x", record_mode="none", latency_budget_ms=5)
        def test_all(): pass
        """
    )
    pytester.runpytest().assert_outcomes(passed=1)


def test_offline_run_skips_live_only_with_a_reason(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(MODE_TESTS)
    result = pytester.runpytest("-rs")
    result.assert_outcomes(passed=3, skipped=1)
    result.stdout.fnmatch_lines(
        ["SKIPPED [[]1] test_*.py:*: live_only: needs a running server; pass --live-url URL (or TABMCP_LIVE_URL)"]
    )


def test_live_run_skips_offline_only_and_guards_destructive(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(MODE_TESTS)
    result = pytester.runpytest("-rs", "--live-url=http://127.0.0.1:9/mcp")
    result.assert_outcomes(passed=2, skipped=2)
    result.stdout.fnmatch_lines_random(
        [
            "SKIPPED [[]1] test_*.py:*: offline_only: asserts on the committed cassettes, not run live",
            "SKIPPED [[]1] test_*.py:*: destructive: refused against a live server; pass --tabmcp-allow-destructive"
            " (or TABMCP_ALLOW_DESTRUCTIVE=1) to run it",
        ]
    )


@pytest.mark.parametrize("how", ["flag", "env", "ini"])
def test_destructive_runs_live_only_when_allowed(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch, how: str
) -> None:
    pytester.makepyfile(MODE_TESTS)
    args = ["--live-url=http://127.0.0.1:9/mcp"]
    if how == "flag":
        args.append("--tabmcp-allow-destructive")
    elif how == "env":
        monkeypatch.setenv("TABMCP_ALLOW_DESTRUCTIVE", "1")
    else:
        write_ini(pytester, tabmcp_allow_destructive="true")
    pytester.runpytest(*args).assert_outcomes(passed=3, skipped=1)


CREDENTIAL_TESTS = """
import pytest

@pytest.mark.oauth
def test_client_grant(): pass

@pytest.mark.oauth
@pytest.mark.account
def test_password_grant(): pass
"""


def test_live_without_the_callers_credentials_excludes_token_tests_visibly_and_strict_forgives_it(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ("TAB_CLIENT_ID", "TAB_CLIENT_SECRET", "TAB_USERNAME", "TAB_PASSWORD"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("TAB_CLIENT_ID", "own-client")
    pytester.makepyfile(CREDENTIAL_TESTS)
    result = pytester.runpytest("-rs", "--live-url=http://127.0.0.1:9/mcp", "--tabmcp-strict")
    result.assert_outcomes(skipped=2)
    result.stdout.fnmatch_lines_random(
        [
            "SKIPPED [[]1] *.py:3: credentials: the token tools need the caller's own, which the server never lends; "
            "set TAB_CLIENT_SECRET to run it live",
            "SKIPPED [[]1] *.py:6: credentials: *; set TAB_CLIENT_SECRET and TAB_USERNAME and TAB_PASSWORD "
            "to run it live",
        ]
    )
    assert result.ret == 0  # an exclusion, not a skip: --tabmcp-strict does not fail the run


def test_token_tests_run_live_with_the_callers_credentials_and_always_offline(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    pytester.makepyfile(CREDENTIAL_TESTS)
    for name in ("TAB_CLIENT_ID", "TAB_CLIENT_SECRET", "TAB_USERNAME", "TAB_PASSWORD"):
        monkeypatch.delenv(name, raising=False)
    pytester.runpytest().assert_outcomes(passed=2)
    for name in ("TAB_CLIENT_ID", "TAB_CLIENT_SECRET", "TAB_USERNAME", "TAB_PASSWORD"):
        monkeypatch.setenv(name, "own")
    pytester.runpytest("--live-url=http://127.0.0.1:9/mcp").assert_outcomes(passed=2)


def test_destructive_is_refused_while_recording(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(MODE_TESTS)
    result = pytester.runpytest("-rs", "--tabmcp-record-mode=new_episodes")
    result.assert_outcomes(passed=1, skipped=3)
    result.stdout.fnmatch_lines_random(
        [
            "*destructive: refused against the real API while recording; pass*",
            "*offline_only: asserts on the committed cassettes, not run record",
        ]
    )


def test_a_test_recording_by_marker_is_guarded_too(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        """
        import pytest

        @pytest.mark.destructive
        @pytest.mark.tabmcp(record_mode="once")
        def test_bet(): pass
        """
    )
    pytester.runpytest().assert_outcomes(skipped=1)


@pytest.mark.parametrize(
    ("marker", "message"),
    [
        (
            'tabmcp("racing", casette="x")',
            "UsageError: test_*.py::test_it: @pytest.mark.tabmcp takes only the keyword arguments cassette=,"
            " record_mode=, latency_budget_ms=; got args: ('racing',); kwargs: {'casette': 'x'}",
        ),
        ("tabmcp(cassette=3)", "UsageError: *tabmcp(cassette=...) must be a cassette name such as 'racing'; got 3"),
        (
            'tabmcp(record_mode="always")',
            "UsageError: *tabmcp(record_mode=...) must be one of none, once, new_episodes, all; got 'always'",
        ),
        (
            "tabmcp(latency_budget_ms=-1)",
            "UsageError: *tabmcp(latency_budget_ms=...) must be a positive number of milliseconds; got -1",
        ),
        ("tabmcp(latency_budget_ms=True)", "UsageError: *must be a positive number of milliseconds; got True"),
    ],
)
def test_bad_tabmcp_marker_fails_the_test_loudly(pytester: pytest.Pytester, marker: str, message: str) -> None:
    """Rule: a typo in the marker is an error at setup (not a silent default), listing the allowed keys."""
    pytester.makepyfile(f"import pytest\n\n@pytest.mark.{marker}\ndef test_it(): pass\n")
    result = pytester.runpytest()
    result.assert_outcomes(errors=1)
    result.stdout.fnmatch_lines(["*ERROR at setup of test_it*", message])


def test_bad_marker_under_xdist_is_a_test_error_not_a_crash(pytester: pytest.Pytester) -> None:
    pytester.makepyfile("import pytest\n\n@pytest.mark.tabmcp(bogus=1)\ndef test_it(): pass\n\ndef test_ok(): pass\n")
    result = pytester.runpytest_subprocess("-n", "2", "-p", "no:randomly")
    result.assert_outcomes(errors=1, passed=1)
    assert "INTERNALERROR" not in result.stdout.str()


def test_closest_marker_wins_per_key(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        """
        import pytest
        from pytest_tabmcp.stash import MARKER_KEY

        pytestmark = pytest.mark.tabmcp(cassette="module", latency_budget_ms=50)

        @pytest.mark.tabmcp(cassette="function")
        def test_it(request):
            marker = request.node.stash[MARKER_KEY]
            assert marker.cassette == "function"
            assert marker.latency_budget_ms == 50.0
            assert marker.record_mode is None
        """
    )
    pytester.runpytest().assert_outcomes(passed=1)
