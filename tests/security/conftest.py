"""Fixtures for the security tier: the integration tier's stand-in fixtures, shared."""

from __future__ import annotations

from tests.integration.conftest import reset_standin, standin, standin_server

__all__ = ["reset_standin", "standin", "standin_server"]
