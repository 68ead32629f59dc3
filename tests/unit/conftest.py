"""Unit-tier fixtures: a fake Tabcorp upstream (no sockets) and settings with test credentials."""

from __future__ import annotations

import pytest

from tab_mcp.settings import Settings
from tests.helpers.fake_upstream import FakeUpstream


@pytest.fixture
def upstream() -> FakeUpstream:
    return FakeUpstream()


@pytest.fixture
def settings() -> Settings:
    return Settings(client_id="unit-client", client_secret="unit-secret-value", retry_max_seconds=0)
