"""Fixtures for the security tier: the cassette stand-in (defined in tests/helpers, registered here)."""

from __future__ import annotations

from tests.helpers.standin_fixtures import standin, standin_server

__all__ = ["standin", "standin_server"]
