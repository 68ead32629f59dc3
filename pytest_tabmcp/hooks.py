"""Hook specifications of the tabmcp plugin; implement them in a ``conftest.py`` or a plugin.

Example: send the latency report to your own sink, and scrub one more header from new recordings::

    def pytest_tabmcp_latency_report(config, report):
        statsd.gauge("tabmcp.p95", report["overall"].get("p95_ms", 0))

    def pytest_tabmcp_configure_cassette(config, cassette_config):
        cassette_config.scrub_headers["x-api-key"] = "PLACEHOLDER"
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from pytest_tabmcp._cassettes import CassetteConfig

hookspec = pytest.hookspec  # re-exported for readers: these are pluggy hook specifications


@hookspec
def pytest_tabmcp_configure_cassette(config: pytest.Config, cassette_config: CassetteConfig) -> None:
    """Adjust how cassettes are opened (scrubbing, matching, vcrpy options), by mutating ``cassette_config``.

    Called once per test process, the first time a cassette is opened. ``cassette_config`` is a
    :class:`pytest_tabmcp._cassettes.CassetteConfig`: add to ``scrub_fields`` / ``scrub_headers`` /
    ``scrub_values``, append ``before_record_request`` / ``before_record_response`` functions (they run after
    the default scrubbing), or set ``match_on`` and ``vcr_kwargs``. ``skip_patchers`` always keeps ``httpx2``.
    """


@hookspec
def pytest_tabmcp_latency_report(config: pytest.Config, report: dict[str, Any]) -> None:
    """Receive the run's latency report, once, on the controller (not on xdist workers), before it is written.

    ``report`` has the schema documented in :mod:`pytest_tabmcp.latency` (``mode``, ``tools``, ``overall``,
    ``budget``, ``breaches``). An implementation may add keys; they then appear in the
    ``--tabmcp-latency-json`` file. It is called even when no tool was timed (``tools`` is then empty).
    """
