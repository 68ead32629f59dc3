"""Fixtures for the security tier: the integration tier's stand-in fixtures, shared."""

from __future__ import annotations

import pytest

from tests.integration.conftest import reset_standin, standin, standin_server

__all__ = ["reset_standin", "standin", "standin_server"]


def pytest_configure(config: pytest.Config) -> None:
    # Same marker as tests/integration (registered per folder so `pytest tests/security` works alone).
    config.addinivalue_line("markers", "slow: a heavier test (load, memory, shutdown); deselect with -m 'not slow'")
