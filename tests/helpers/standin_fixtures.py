"""Fixtures for the cassette stand-in on a loopback port, reset to a clean state for every test.

A conftest that wants them imports them by name (``from tests.helpers.standin_fixtures import standin, ...``).
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from pytest_tabmcp.standin import StandInHandle, run_standin
from tests.helpers.data_sets import FIXED

__all__ = ["CASSETTES", "reset_standin", "standin", "standin_server"]

CASSETTES = FIXED  # hand-built values the tests address by name; cassettes/ may hold recordings


def reset_standin(handle: StandInHandle) -> None:
    """No faults, no delay, no auth requirement, default token lifetime, zeroed counters."""
    handle.set_faults(None)
    handle.standin.delay_ms = 0
    handle.standin.require_auth = False
    handle.standin.token_ttl = 10800
    handle.reset_stats()


@pytest.fixture(scope="module")
def standin_server() -> Iterator[StandInHandle]:
    """One stand-in per module and xdist worker (loading the cassettes takes a moment)."""
    with run_standin(CASSETTES) as handle:
        yield handle


@pytest.fixture
def standin(standin_server: StandInHandle) -> Iterator[StandInHandle]:
    """The cassette stand-in on a loopback port, reset before and after the test."""
    reset_standin(standin_server)
    yield standin_server
    reset_standin(standin_server)
