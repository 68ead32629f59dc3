"""Every option, its ini key and env variable, the precedence CLI > env > ini > default, and bad values."""

from __future__ import annotations

from pathlib import Path

import pytest

from pytest_tabmcp.options import RECORD_MODES, SPECS, TabmcpOptions
from pytest_tabmcp.stash import OPTIONS_KEY
from tests.helpers.plugin_project import write_ini


def options(pytester: pytest.Pytester, *args: str) -> TabmcpOptions:
    return pytester.parseconfigure(*args).stash[OPTIONS_KEY]


def test_defaults(pytester: pytest.Pytester) -> None:
    """With nothing set the run is offline, replaying <rootdir>/cassettes, no budget, no JSON."""
    opts = options(pytester)
    assert opts.mode == "offline"
    assert opts.live_url is None and opts.record_mode == "none"
    assert opts.cassette_dir == pytester.path / "cassettes"
    assert opts.latency_budget == {} and opts.latency_json is None and opts.allow_destructive is False
    assert set(opts.sources.values()) == {"default"}


# (option name, CLI value, env value, ini value, how to read the resolved value)
CASES = [
    ("live_url", "http://127.0.0.1:1/cli", "http://127.0.0.1:2/env", "http://127.0.0.1:3/ini", lambda o: o.live_url),
    ("record_mode", "once", "new_episodes", "all", lambda o: o.record_mode),
    ("cassette_dir", "cli_dir", "env_dir", "ini_dir", lambda o: o.cassette_dir.name),
    ("latency_budget", "p95=1", "p95=2", "p95=3", lambda o: f"p95={o.latency_budget['p95']:g}"),
    ("latency_json", "cli.json", "env.json", "ini.json", lambda o: o.latency_json.name),
]


def _set(pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch, name: str, where: set[str], values) -> list[str]:
    cli, env, ini = values
    spec = SPECS[name]
    if "ini" in where:
        write_ini(pytester, **{spec.ini: ini})
    if "env" in where:
        monkeypatch.setenv(spec.env, env)
    return [f"{spec.flag}={cli}"] if "cli" in where else []


@pytest.mark.parametrize(("name", "cli", "env", "ini", "read"), CASES, ids=[c[0] for c in CASES])
@pytest.mark.parametrize(
    ("where", "winner"),
    [({"ini"}, "ini"), ({"env"}, "env"), ({"cli"}, "cli"), ({"ini", "env"}, "env"), ({"ini", "env", "cli"}, "cli")],
    ids=["ini", "env", "cli", "env-over-ini", "cli-over-all"],
)
def test_precedence_cli_over_env_over_ini(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch, name, cli, env, ini, read, where, winner
) -> None:
    """Rule: the command line beats the environment, which beats the ini file, which beats the default."""
    args = _set(pytester, monkeypatch, name, where, (cli, env, ini))
    opts = options(pytester, *args)
    assert read(opts) == {"cli": cli, "env": env, "ini": ini}[winner]
    spec = SPECS[name]
    assert opts.sources[name] == {"cli": spec.flag, "env": f"env {spec.env}", "ini": f"ini {spec.ini}"}[winner]


@pytest.mark.parametrize(
    ("cli", "env", "ini", "expected"),
    [
        (False, None, None, False),
        (False, None, "true", True),
        (False, "0", "true", False),
        (False, "yes", "false", True),
        (True, "off", "false", True),
    ],
)
def test_allow_destructive_precedence(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch, cli: bool, env: str | None, ini: str | None, expected
) -> None:
    if ini is not None:
        write_ini(pytester, tabmcp_allow_destructive=ini)
    if env is not None:
        monkeypatch.setenv("TABMCP_ALLOW_DESTRUCTIVE", env)
    assert options(pytester, *(["--tabmcp-allow-destructive"] if cli else [])).allow_destructive is expected


def test_relative_paths_follow_their_source(pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch) -> None:
    """Rule: ini paths are relative to the ini file; CLI and env paths to the directory pytest was run from."""
    pytester.mkdir("conf")
    (pytester.path / "conf" / "pytest.ini").write_text(
        "[pytest]\nasyncio_default_fixture_loop_scope = function\ntabmcp_cassette_dir = tapes\n", encoding="utf-8"
    )
    opts = options(pytester, "-c", "conf/pytest.ini", "--rootdir", str(pytester.path))
    assert opts.cassette_dir == pytester.path / "conf" / "tapes"
    monkeypatch.setenv("TABMCP_LATENCY_JSON", "out/latency.json")
    assert options(pytester).latency_json == pytester.path / "out" / "latency.json"


def test_modes(pytester: pytest.Pytester) -> None:
    assert options(pytester, "--tabmcp-record-mode=once").mode == "record"
    assert options(pytester, "--live-url=https://mcp.example.com/mcp").mode == "live"


def _usage_error(pytester: pytest.Pytester, *args: str) -> pytest.RunResult:
    result = pytester.runpytest(*args)
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    return result


def test_bad_record_mode_on_the_command_line_names_the_flag_and_choices(pytester: pytest.Pytester) -> None:
    result = _usage_error(pytester, "--tabmcp-record-mode=sometimes")
    result.stderr.fnmatch_lines(
        [
            "*argument --tabmcp-record-mode: invalid choice: 'sometimes'"
            " (choose from 'none', 'once', 'new_episodes', 'all')"
        ]
    )


def test_bad_record_mode_from_env_names_flag_source_and_choices(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TABMCP_RECORD_MODE", "sometimes")
    _usage_error(pytester).stderr.fnmatch_lines(
        [
            "ERROR: --tabmcp-record-mode (from env TABMCP_RECORD_MODE) must be one of none, once, new_episodes, all;"
            " got 'sometimes'"
        ]
    )


def test_bad_budget_from_ini_names_flag_source_and_form(pytester: pytest.Pytester) -> None:
    write_ini(pytester, tabmcp_latency_budget="p95=fast")
    _usage_error(pytester).stderr.fnmatch_lines(
        [
            "ERROR: --tabmcp-latency-budget (from ini tabmcp_latency_budget) must be comma-separated STAT=MS pairs"
            " such as 'p50=500,p95=2000,max=5000' (STAT is pN with 0<N<=100, or max);"
            " 'fast' is not a positive number of milliseconds in 'p95=fast'"
        ]
    )


def test_bad_budget_on_the_command_line(pytester: pytest.Pytester) -> None:
    _usage_error(pytester, "--tabmcp-latency-budget=p42").stderr.fnmatch_lines(
        ["ERROR: --tabmcp-latency-budget must be comma-separated STAT=MS pairs*; 'p42' is not STAT=MS in 'p42'"]
    )


def test_bad_live_url_is_refused_without_echoing_its_secrets(pytester: pytest.Pytester) -> None:
    result = _usage_error(pytester, "--live-url=ftp://user:hunter2@host/mcp?token=abc")
    result.stderr.fnmatch_lines(
        ["ERROR: --live-url must be an absolute http(s) URL such as https://host/mcp; got 'ftp://***@host/mcp?***'"]
    )
    assert "hunter2" not in result.stderr.str() and "abc" not in result.stderr.str()


def test_bad_allow_destructive_env(pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TABMCP_ALLOW_DESTRUCTIVE", "maybe")
    _usage_error(pytester).stderr.fnmatch_lines(
        [
            "ERROR: --tabmcp-allow-destructive (from env TABMCP_ALLOW_DESTRUCTIVE) must be a boolean"
            " (1/true/yes/on or 0/false/no/off); got 'maybe'"
        ]
    )


def test_live_url_with_a_record_mode_is_rejected_with_a_hint(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TABMCP_RECORD_MODE", "once")
    _usage_error(pytester, "--live-url=http://127.0.0.1:9/mcp").stderr.fnmatch_lines(
        [
            "ERROR: --live-url (from --live-url) is incompatible with --tabmcp-record-mode=once"
            " (from env TABMCP_RECORD_MODE): live mode talks to a running server and records nothing;"
            " drop --live-url to record cassettes, or drop the record mode to test the live server."
        ]
    )


def test_bad_live_headers_are_refused_without_echoing_values(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TABMCP_LIVE_HEADERS", "Authorization Bearer s3cr3t-token")
    result = _usage_error(pytester, "--live-url=http://127.0.0.1:9/mcp")
    result.stderr.fnmatch_lines(
        ["ERROR: TABMCP_LIVE_HEADERS must be a JSON object of strings or 'Name: value' lines; line 1 has no ':'*"]
    )
    assert "s3cr3t" not in result.stderr.str()


def test_live_headers_are_parsed_only_in_live_mode(pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TABMCP_LIVE_HEADERS", '{"Authorization": "Bearer x", "X-Trace": 7}')
    assert options(pytester).live_headers == {}
    live = options(pytester, "--live-url=http://127.0.0.1:9/mcp")
    assert live.live_headers == {"Authorization": "Bearer x", "X-Trace": "7"}
    assert "Bearer x" not in repr(live)


def test_record_modes_constant_is_what_the_flag_accepts() -> None:
    assert RECORD_MODES == ("none", "once", "new_episodes", "all")
    assert SPECS["record_mode"].kwargs["choices"] == RECORD_MODES


def test_help_lists_the_group_in_xdist_style(pytester: pytest.Pytester) -> None:
    result = pytester.runpytest("--help")
    result.stdout.fnmatch_lines(
        [
            "tab-mcp: offline (cassettes) and live (--live-url) MCP testing:",
            "  --live-url=URL*Test the MCP server at URL*",
            "  --tabmcp-record-mode={none,once,new_episodes,all}",
            "*Cassette record mode (default: none, replay only). Also",
            "*env TABMCP_RECORD_MODE and ini tabmcp_record_mode.",
        ]
    )
    for spec in SPECS.values():
        result.stdout.fnmatch_lines([f"  {spec.flag}*", f"  {spec.ini} (*"])


def test_options_object_is_frozen_and_keyword_only() -> None:
    opts = TabmcpOptions(cassette_dir=Path("c"))
    with pytest.raises(AttributeError):
        opts.record_mode = "all"  # type: ignore[misc]
    with pytest.raises(TypeError):
        TabmcpOptions(None, "none", Path("c"))  # type: ignore[misc]


@pytest.mark.parametrize(
    ("args", "line"),
    [
        ([], "tabmcp: mode=offline cassette_dir=*/cassettes record_mode=none (from default)"),
        (
            ["--tabmcp-record-mode=new_episodes", "--tabmcp-cassette-dir=tapes"],
            "tabmcp: mode=record cassette_dir=*/tapes record_mode=new_episodes (from --tabmcp-record-mode)",
        ),
        (["--tabmcp-latency-budget=p95=2000,max=5000"], "tabmcp: latency budget p95 <= 2000 ms, max <= 5000 ms"),
    ],
    ids=["offline", "record", "budget"],
)
def test_report_header(pytester: pytest.Pytester, args: list[str], line: str) -> None:
    pytester.makepyfile("def test_x(): pass\n")
    pytester.runpytest(*args).stdout.fnmatch_lines([line])


def test_header_lines_never_show_secrets() -> None:
    live = TabmcpOptions(
        live_url="https://u:p@host/mcp?key=v",
        cassette_dir=Path("c"),
        live_headers={"Authorization": "Bearer zzz"},
        latency_budget={"p95": 2000.0},
    )
    lines = live.header_lines()
    assert lines == [
        "tabmcp: mode=live url=https://***@host/mcp?***, 1 header(s) from TABMCP_LIVE_HEADERS (values hidden)",
        "tabmcp: latency budget p95 <= 2000 ms",
    ]
    assert "zzz" not in repr(live)
