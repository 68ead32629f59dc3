"""Fixtures for the integration tier: the cassette stand-in, reset to a clean state for every test.

The fixtures live in the test-support package (tests/helpers/standin_fixtures.py); importing them by name here
is how pytest learns of them for this folder.
"""

from tests.helpers.standin_fixtures import standin, standin_server

__all__ = ["standin", "standin_server"]
