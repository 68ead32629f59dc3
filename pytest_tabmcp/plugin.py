"""The tabmcp pytest plugin (entry point ``pytest11: tabmcp``): options, markers, header and guards.

This module is thin glue. Options are declared here and resolved in :func:`pytest_tabmcp.options.resolve_options`
(CLI > env > ini > default); fixtures live in :mod:`pytest_tabmcp.fixtures`, registered in
``pytest_configure``; latency reporting is the class plugin :class:`pytest_tabmcp._reporter.LatencyReporter`.
Heavier modules are imported lazily, so installing the plugin costs a run that never uses it almost nothing.
Disable the plugin with ``-p no:tabmcp``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from pytest_tabmcp.options import MarkerOptions, TabmcpOptions

RECORD_MODES: tuple[str, ...] = ("none", "once", "new_episodes", "all")


@dataclass(frozen=True)
class OptionSpec:
    """One option and every place it can be set: flag (argparse dest), env variable and ini key."""

    flag: str
    dest: str
    env: str
    ini: str
    # Help-text style (pytest-xdist): capital first letter; one phrase has no final period; several phrases
    # each end with one. The "Also env ... and ini ..." sentence is appended.
    help: str
    kwargs: dict[str, Any] = field(default_factory=dict)
    ini_kwargs: dict[str, Any] = field(default_factory=lambda: {"default": ""})


def _spec(name: str, help: str, **kwargs: Any) -> OptionSpec:
    ini_kwargs = kwargs.pop("ini_kwargs", {"default": ""})
    flag = "--live-url" if name == "live_url" else f"--tabmcp-{name.replace('_', '-')}"
    return OptionSpec(flag, f"tabmcp_{name}", f"TABMCP_{name.upper()}", f"tabmcp_{name}", help, kwargs, ini_kwargs)


#: The options, by the name ``TabmcpOptions`` uses; resolved (CLI > env > ini > default) in options.py.
SPECS: dict[str, OptionSpec] = {
    "live_url": _spec(
        "live_url",
        "Test the MCP server at URL (streamable HTTP, e.g. https://host/mcp) instead of the in-process server "
        "over cassettes; extra request headers come from env TABMCP_LIVE_HEADERS only.",
        metavar="URL",
    ),
    "record_mode": _spec("record_mode", "Cassette record mode (default: none, replay only).", choices=RECORD_MODES),
    "cassette_dir": _spec("cassette_dir", "Directory of the cassettes (default: <rootdir>/cassettes).", metavar="DIR"),
    "latency_budget": _spec(
        "latency_budget",
        "Fail the run when a tool's latency exceeds SPEC, e.g. p95=2000,max=5000 (milliseconds).",
        metavar="SPEC",
    ),
    "latency_json": _spec("latency_json", "Write the per-tool latency report as JSON to PATH.", metavar="PATH"),
    "allow_destructive": _spec(
        "allow_destructive",
        "Run tests marked destructive against a live server or while recording.",
        action="store_true",
        default=None,
        ini_kwargs={"type": "bool", "default": None},
    ),
    "strict": _spec(
        "strict",
        "Fail the run when any test skips, naming it and its reason; tests marked offline_only, live_only or "
        "destructive that this mode excludes are exempt.",
        action="store_true",
        default=None,
        ini_kwargs={"type": "bool", "default": None},
    ),
}
OPTIONS_KEY = pytest.StashKey["TabmcpOptions"]()
#: ``user_properties`` name marking a test this mode excludes on purpose (exempt from --tabmcp-strict).
EXCLUDED_PROPERTY = "tabmcp_excluded"
MARKER_KEY = pytest.StashKey["MarkerOptions"]()
FAILED_KEY = pytest.StashKey[bool]()
MARKER_ERROR_KEY = pytest.StashKey[pytest.UsageError]()

MARKERS: tuple[str, ...] = (
    "unit: Fast, socket-free tests (applied to tests/unit and tests/ops by the root conftest)",
    "integration: Tests with real HTTP or stdio servers on loopback (applied to tests/integration)",
    "smoke: The critical paths a deployment must pass; runs offline and with --live-url (tests/smoke)",
    "plugin: Tests of the tabmcp pytest plugin itself, through pytester (tests/plugin)",
    "security: Injection, fuzzing, secret-leak and destructive-guard tests (tests/security)",
    "oauth: Exercises an OAuth grant or the token lifetime",
    "live_only: Needs a running server; skipped unless --live-url (or TABMCP_LIVE_URL) is set",
    "offline_only: Asserts on the committed cassettes' data; skipped with --live-url and while recording",
    "destructive: Changes upstream state (e.g. tab_post); skipped against a live server or while recording "
    "unless --tabmcp-allow-destructive is given",
    "tabmcp(*, cassette=None, record_mode=None, latency_budget_ms=None): Configure the tabmcp fixtures for "
    "this test: the cassette name under the cassette dir (default: the module name without 'test_'), the "
    "vcrpy record mode, and a per-call latency budget in milliseconds",
)


def pytest_addhooks(pluginmanager: pytest.PytestPluginManager) -> None:
    """Register the ``pytest_tabmcp_*`` hook specifications."""
    from pytest_tabmcp import hooks

    pluginmanager.add_hookspecs(hooks)


def pytest_addoption(parser: pytest.Parser) -> None:
    """Declare the ``tabmcp`` option group and its ini keys (resolved in ``options.resolve_options``)."""
    group = parser.getgroup("tabmcp", "tab-mcp: offline (cassettes) and live (--live-url) MCP testing")
    for spec in SPECS.values():
        group.addoption(
            spec.flag, dest=spec.dest, help=f"{spec.help} Also env {spec.env} and ini {spec.ini}.", **spec.kwargs
        )
        parser.addini(spec.ini, f"Default for {spec.flag}", **spec.ini_kwargs)


def pytest_configure(config: pytest.Config) -> None:
    """Register markers, resolve the options once, and register the fixtures and the latency reporter."""
    for line in MARKERS:
        config.addinivalue_line("markers", line)
    # Appended after the project's own filters, so it wins over filterwarnings=error: a short token lifetime
    # is worth a line in the warnings summary (the monitor reads it), not a failed run.
    config.addinivalue_line("filterwarnings", "default::pytest_tabmcp._oauth.TokenLifetimeWarning")
    from pytest_tabmcp import fixtures
    from pytest_tabmcp.options import resolve_options

    options = resolve_options(config)
    config.stash[OPTIONS_KEY] = options
    config.pluginmanager.register(fixtures, "tabmcp-fixtures")
    if not hasattr(config, "workerinput"):  # xdist workers ship their timings to the controller
        from pytest_tabmcp._reporter import LatencyReporter

        config.pluginmanager.register(LatencyReporter(config, options), "tabmcp-latency")
        from pytest_tabmcp._skips import SkipReporter

        config.pluginmanager.register(SkipReporter(config, options), "tabmcp-skips")
        from pytest_tabmcp._drift_reporter import DriftReporter

        config.pluginmanager.register(DriftReporter(), "tabmcp-drift")


def pytest_report_header(config: pytest.Config) -> list[str]:
    """Say which mode runs, and against which URL or cassette directory (never a secret)."""
    return config.stash[OPTIONS_KEY].header_lines()


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Validate ``tabmcp`` markers and skip tests whose mode marker does not fit this run, with a reason."""
    from pytest_tabmcp.options import MarkerOptions, validate_marker

    options = config.stash[OPTIONS_KEY]
    for item in items:
        try:
            marker = validate_marker(item.nodeid, list(item.iter_markers("tabmcp")))
        except pytest.UsageError as exc:
            # Raised at setup instead: a collection-time error crashes xdist workers with an INTERNALERROR.
            item.stash[MARKER_ERROR_KEY] = exc
            marker = MarkerOptions()
        item.stash[MARKER_KEY] = marker
        reason = _mode_exclusion(options, effective_mode(options, marker), item)
        if reason is not None:
            item.add_marker(pytest.mark.skip(reason=reason))
            item.user_properties.append((EXCLUDED_PROPERTY, reason.split(":", 1)[0]))


def _mode_exclusion(options: TabmcpOptions, mode: str, item: pytest.Item) -> str | None:
    """The skip reason when the test's mode marker excludes it from this run, else None."""
    if item.get_closest_marker("live_only") and mode != "live":
        return "live_only: needs a running server; pass --live-url URL (or TABMCP_LIVE_URL)"
    if item.get_closest_marker("offline_only") and mode != "offline":
        return f"offline_only: asserts on the committed cassettes, not run {mode}"
    if item.get_closest_marker("destructive") and mode != "offline" and not options.allow_destructive:
        target = "a live server" if mode == "live" else "the real API while recording"
        return (
            f"destructive: refused against {target}; pass --tabmcp-allow-destructive "
            "(or TABMCP_ALLOW_DESTRUCTIVE=1) to run it"
        )
    return None


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item: pytest.Item) -> None:
    """Fail a test whose ``tabmcp`` marker is invalid, before any fixture runs."""
    error = item.stash.get(MARKER_ERROR_KEY, None)
    if error is not None:
        pytest.fail(f"UsageError: {error}", pytrace=False)


def effective_mode(options: TabmcpOptions, marker: MarkerOptions | None) -> str:
    """The mode of one test: live for the run, else record when its (marker or run) record mode writes."""
    if options.mode == "live":
        return "live"
    record_mode = (marker.record_mode if marker else None) or options.record_mode
    return "offline" if record_mode == "none" else "record"


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[Any]) -> pytest.TestReport:
    """Remember a failed setup or call, so a recording cassette is not saved from a failing test."""
    report: pytest.TestReport = yield
    if report.failed and report.when in ("setup", "call"):
        item.stash[FAILED_KEY] = True
    return report
