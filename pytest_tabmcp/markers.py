"""The plugin's markers: their registration lines, and which mode markers exclude a test from this run.

``plugin`` registers :data:`MARKERS` and skips each test :func:`mode_exclusion` names a reason for, tagging
its report with :data:`EXCLUDED_PROPERTY` so that ``--tabmcp-strict`` (``_skips``) forgives that skip. The
``tabmcp`` marker's keywords are validated in :func:`pytest_tabmcp.options.validate_marker`.
"""

from __future__ import annotations

import os

import pytest

from pytest_tabmcp.options import TabmcpOptions

#: ``user_properties`` name marking a test this mode excludes on purpose (exempt from --tabmcp-strict).
EXCLUDED_PROPERTY = "tabmcp_excluded"

MARKERS: tuple[str, ...] = (
    "unit: Fast, socket-free tests (applied to tests/unit and tests/ops by the root conftest)",
    "integration: Tests with real HTTP or stdio servers on loopback (applied to tests/integration)",
    "smoke: The critical paths a deployment must pass; runs offline and with --live-url (tests/smoke)",
    "plugin: Tests of the tabmcp pytest plugin itself, through pytester (tests/plugin)",
    "security: Injection, fuzzing, secret-leak and destructive-guard tests (tests/security)",
    "oauth: Exercises an OAuth grant or the token lifetime with the caller's own client; live or recording, "
    "excluded (visibly) unless TAB_CLIENT_ID and TAB_CLIENT_SECRET are set",
    "account: Needs a TAB account (the password grant); live or recording, excluded (visibly) unless "
    "TAB_USERNAME and TAB_PASSWORD are set",
    "live_only: Needs a running server; skipped unless --live-url (or TABMCP_LIVE_URL) is set",
    "offline_only: Asserts on the committed cassettes' data; skipped with --live-url and while recording",
    "destructive: Changes upstream state (e.g. tab_post); skipped against a live server or while recording "
    "unless --tabmcp-allow-destructive is given",
    "tabmcp(*, cassette=None, record_mode=None, latency_budget_ms=None): Configure the tabmcp fixtures for "
    "this test: the cassette name under the cassette dir (default: the module name without 'test_'), the "
    "vcrpy record mode, and a per-call latency budget in milliseconds",
)


def mode_exclusion(options: TabmcpOptions, mode: str, item: pytest.Item) -> str | None:
    """The skip reason when the test's mode marker excludes it from this run (``mode``), else None."""
    if item.get_closest_marker("live_only") and mode != "live":
        return "live_only: needs a running server; pass --live-url URL (or TABMCP_LIVE_URL)"
    if item.get_closest_marker("offline_only") and mode != "offline":
        return f"offline_only: asserts on the committed cassettes, not run {mode}"
    if mode != "offline":
        missing = _missing_credentials(item)
        if missing:
            return (
                f"credentials: the token tools need the caller's own, which the server never lends; set "
                f"{' and '.join(missing)} to run it {mode}"
            )
    if item.get_closest_marker("destructive") and mode != "offline" and not options.allow_destructive:
        target = "a live server" if mode == "live" else "the real API while recording"
        return (
            f"destructive: refused against {target}; pass --tabmcp-allow-destructive "
            "(or TABMCP_ALLOW_DESTRUCTIVE=1) to run it"
        )
    return None


# The token tools mint only from credentials the caller passes, so a live check of them needs the caller's own.
_CREDENTIALS_BY_MARKER = {"oauth": ("TAB_CLIENT_ID", "TAB_CLIENT_SECRET"), "account": ("TAB_USERNAME", "TAB_PASSWORD")}


def _missing_credentials(item: pytest.Item) -> list[str]:
    """The ``TAB_*`` variables a credential marker of ``item`` needs and the environment lacks."""
    return [
        name
        for marker, names in _CREDENTIALS_BY_MARKER.items()
        if item.get_closest_marker(marker)
        for name in names
        if not os.environ.get(name, "").strip()
    ]
