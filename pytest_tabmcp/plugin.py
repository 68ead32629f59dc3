"""The tabmcp pytest plugin (entry point ``pytest11: tabmcp``): thin glue from pytest's hooks to the modules.

Options are declared in :data:`pytest_tabmcp.options.SPECS` and resolved by
:func:`pytest_tabmcp.options.resolve_options` (CLI > env > ini > default); markers live in
:mod:`pytest_tabmcp.markers`, stash keys in :mod:`pytest_tabmcp.stash`; fixtures in
:mod:`pytest_tabmcp.fixtures`, registered in ``pytest_configure`` with the latency, skip and drift reporters.
No other module imports this one. The fixtures and reporters are imported in ``pytest_configure``, not when
pytest loads the entry point (the reporters on the xdist controller only). Disable the plugin with ``-p no:tabmcp``.
"""

from __future__ import annotations

from collections.abc import Generator
from typing import Any

import pytest

from pytest_tabmcp.markers import EXCLUDED_PROPERTY, MARKERS, mode_exclusion
from pytest_tabmcp.options import SPECS, MarkerOptions, effective_mode, resolve_options, validate_marker
from pytest_tabmcp.stash import FAILED_KEY, MARKER_ERROR_KEY, MARKER_KEY, OPTIONS_KEY


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
    """Register markers, resolve the options once, and register the fixtures and the reporters."""
    for line in MARKERS:
        config.addinivalue_line("markers", line)
    # Appended after the project's own filters, so it wins over filterwarnings=error: a short token lifetime
    # is worth a line in the warnings summary (the monitor reads it), not a failed run.
    config.addinivalue_line("filterwarnings", "default::pytest_tabmcp._oauth.TokenLifetimeWarning")
    from pytest_tabmcp import fixtures

    options = resolve_options(config)
    config.stash[OPTIONS_KEY] = options
    config.pluginmanager.register(fixtures, "tabmcp-fixtures")
    if not hasattr(config, "workerinput"):  # xdist workers ship their timings to the controller
        from pytest_tabmcp.reporting.drift import DriftReporter
        from pytest_tabmcp.reporting.latency import LatencyReporter
        from pytest_tabmcp.reporting.skips import SkipReporter

        config.pluginmanager.register(LatencyReporter(config, options), "tabmcp-latency")
        config.pluginmanager.register(SkipReporter(config, options), "tabmcp-skips")
        config.pluginmanager.register(DriftReporter(), "tabmcp-drift")


def pytest_report_header(config: pytest.Config) -> list[str]:
    """Say which mode runs, and against which URL or cassette directory (never a secret)."""
    return config.stash[OPTIONS_KEY].header_lines()


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Validate ``tabmcp`` markers and skip tests whose mode marker does not fit this run, with a reason."""
    options = config.stash[OPTIONS_KEY]
    for item in items:
        try:
            marker = validate_marker(item.nodeid, list(item.iter_markers("tabmcp")))
        except pytest.UsageError as exc:
            # Raised at setup instead: a collection-time error crashes xdist workers with an INTERNALERROR.
            item.stash[MARKER_ERROR_KEY] = exc
            marker = MarkerOptions()
        item.stash[MARKER_KEY] = marker
        reason = mode_exclusion(options, effective_mode(options, marker), item)
        if reason is not None:
            item.add_marker(pytest.mark.skip(reason=reason))
            item.user_properties.append((EXCLUDED_PROPERTY, reason.split(":", 1)[0]))


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item: pytest.Item) -> None:
    """Fail a test whose ``tabmcp`` marker is invalid, before any fixture runs."""
    error = item.stash.get(MARKER_ERROR_KEY, None)
    if error is not None:
        pytest.fail(f"UsageError: {error}", pytrace=False)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[Any]
) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    """Remember a failed setup or call, so a recording cassette is not saved from a failing test."""
    report: pytest.TestReport = yield
    if report.failed and report.when in ("setup", "call"):
        item.stash[FAILED_KEY] = True
    return report
