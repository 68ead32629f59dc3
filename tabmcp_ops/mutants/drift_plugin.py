"""A pytest plugin serving a drift offline: ``pytest -p tabmcp_ops.mutants.drift_plugin --tabmcp-drift NAME``.

The drift (:mod:`tabmcp_ops.mutants.response_side`) is applied to each interaction as vcrpy loads a cassette
(its ``after_load_interaction`` hook, which sees the request with the response), so the replay serves the data a
drifted upstream would send while the cassette files stay as they are.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

import pytest

from pytest_tabmcp._cassettes import CassetteConfig
from tabmcp_ops.mutants.response_side import BY_NAME, Drift


def pytest_addoption(parser: pytest.Parser) -> None:
    """Register ``--tabmcp-drift NAME``."""
    parser.addoption("--tabmcp-drift", metavar="NAME", help=f"serve this drift offline: {', '.join(BY_NAME)}")


def pytest_configure(config: pytest.Config) -> None:
    """Refuse a name that is no drift before any test runs, naming the choices."""
    name = config.getoption("--tabmcp-drift")
    if name and name not in BY_NAME:
        raise pytest.UsageError(f"--tabmcp-drift {name!r}: no such drift; choose from {', '.join(BY_NAME)}")


def drift_interaction(drift: Drift) -> Any:
    """Vcrpy's ``after_load_interaction`` hook for ``drift``: a drifted copy of the response, the request as is."""

    def hook(request: Any, response: dict[str, Any]) -> tuple[Any, dict[str, Any]]:
        body = response.get("body") or {}
        string = body.get("string")
        if not string:
            return request, response
        raw = string if isinstance(string, bytes) else str(string).encode("utf-8")
        changed = drift.apply(urlsplit(request.uri).path, raw)
        if changed is None:
            return request, response
        # A new dict: the loaded objects are shared between cassettes (tabmcp's parsing cache).
        drifted = {**response, "body": {**body, "string": changed if isinstance(string, bytes) else changed.decode()}}
        return request, drifted

    return hook


def pytest_tabmcp_configure_cassette(config: pytest.Config, cassette_config: CassetteConfig) -> None:
    """Add the chosen drift (``--tabmcp-drift``) to vcrpy's load hooks."""
    name = config.getoption("--tabmcp-drift")
    if not name:
        return
    hooks = list(cassette_config.vcr_kwargs.get("after_load_interaction") or [])
    cassette_config.vcr_kwargs["after_load_interaction"] = [*hooks, drift_interaction(BY_NAME[name])]
