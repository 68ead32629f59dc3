"""--tabmcp-strict and the skip report: every skip is listed with its reason; strict fails on unexcused ones."""

from __future__ import annotations

import json

import pytest

from tests.helpers.plugin_project import write_ini

SKIPPING = """
import pytest

@pytest.mark.offline_only
def test_excluded_live(): pass

@pytest.mark.live_only
def test_excluded_offline(): pass

def test_no_data():
    pytest.skip("no TAB meeting with races is listed for 2026-09-23")

def test_plain(): pass
"""


def test_without_strict_skips_are_listed_and_the_run_passes(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(SKIPPING)
    result = pytester.runpytest()
    result.assert_outcomes(passed=2, skipped=2)
    assert result.ret == 0
    result.stdout.fnmatch_lines(
        [
            "*= tab-mcp skipped tests (2) =*",
            "test_*.py::test_excluded_offline: live_only: needs a running server;* [[]excluded by live_only[]]",
            "test_*.py::test_no_data: no TAB meeting with races is listed for 2026-09-23",
        ]
    )
    assert "FAIL --tabmcp-strict" not in result.stdout.str()


@pytest.mark.parametrize("how", ["flag", "env", "ini"])
def test_strict_fails_on_an_unexcused_skip_naming_test_and_reason(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch, how: str
) -> None:
    pytester.makepyfile(SKIPPING)
    args = ["--tabmcp-strict"] if how == "flag" else []
    if how == "env":
        monkeypatch.setenv("TABMCP_STRICT", "1")
    if how == "ini":
        write_ini(pytester, tabmcp_strict="true")
    result = pytester.runpytest(*args)
    assert result.ret == 1
    result.stdout.fnmatch_lines(
        [
            "FAIL --tabmcp-strict: 1 test(s) skipped:",
            "  test_*.py::test_no_data skipped: no TAB meeting with races is listed for 2026-09-23",
        ]
    )


def test_strict_forgives_skips_the_mode_excludes_on_purpose(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(SKIPPING.split("def test_no_data")[0])
    live = pytester.runpytest("--tabmcp-strict", "--live-url=http://127.0.0.1:9/mcp")
    live.assert_outcomes(passed=1, skipped=1)
    assert live.ret == 0
    offline = pytester.runpytest("--tabmcp-strict")
    offline.assert_outcomes(passed=1, skipped=1)
    assert offline.ret == 0


def test_env_false_overrides_ini_true(pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch) -> None:
    pytester.makepyfile(SKIPPING)
    write_ini(pytester, tabmcp_strict="true")
    monkeypatch.setenv("TABMCP_STRICT", "0")
    assert pytester.runpytest().ret == 0


def test_bad_strict_value_names_the_flag_and_source(pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TABMCP_STRICT", "maybe")
    result = pytester.runpytest()
    result.stderr.fnmatch_lines(["*--tabmcp-strict (from env TABMCP_STRICT) must be a boolean*'maybe'*"])


def test_latency_json_lists_the_skips(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(SKIPPING)
    pytester.runpytest("--tabmcp-latency-json=out.json", "--tabmcp-strict")
    report = json.loads((pytester.path / "out.json").read_text())
    assert report["strict"] is True
    assert sorted(report["skipped"], key=lambda s: s["test"]) == [
        {
            "test": "test_latency_json_lists_the_skips.py::test_excluded_offline",
            "reason": "live_only: needs a running server; pass --live-url URL (or TABMCP_LIVE_URL)",
            "excluded_by": "live_only",
        },
        {
            "test": "test_latency_json_lists_the_skips.py::test_no_data",
            "reason": "no TAB meeting with races is listed for 2026-09-23",
            "excluded_by": None,
        },
    ]
