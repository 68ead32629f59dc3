"""Shared test support: import helpers from here, never from a conftest.py."""
