"""The stand-in's token issuer: lifetimes vary within the spread, never below one second."""

from __future__ import annotations

import pytest

from pytest_tabmcp.standin.oauth import OAuthIssuer

FORM = b"grant_type=client_credentials&client_id=PLACEHOLDER_ID&client_secret=PLACEHOLDER_SECRET"
FORM_TYPE = "application/x-www-form-urlencoded"


def _lifetimes(issuer: OAuthIssuer, count: int) -> list[int]:
    return [issuer.handle(FORM_TYPE, FORM)[1]["expires_in"] for _ in range(count)]


def test_without_a_spread_every_token_lives_the_ttl() -> None:
    assert set(_lifetimes(OAuthIssuer(10800), 5)) == {10800}


def test_with_a_spread_lifetimes_vary_within_it() -> None:
    lifetimes = _lifetimes(OAuthIssuer(10800, spread=3600), 20)
    assert len(set(lifetimes)) > 1 and all(7200 <= s <= 10800 for s in lifetimes), lifetimes


def test_a_lowered_ttl_keeps_lifetimes_positive() -> None:
    issuer = OAuthIssuer(10800, spread=3600)
    issuer.ttl = 2
    assert all(1 <= s <= 2 for s in _lifetimes(issuer, 10))


def test_a_spread_as_long_as_the_ttl_is_refused() -> None:
    with pytest.raises(ValueError, match="spread"):
        OAuthIssuer(100, spread=100)
