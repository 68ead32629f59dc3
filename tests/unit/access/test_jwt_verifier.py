"""tab_mcp.access.jwt_verifier without sockets: discovery, the key cache, and what a failing issuer costs."""

from __future__ import annotations

import json
import time

import httpx
import jwt
import pytest
import respx
from cryptography.hazmat.primitives.asymmetric import rsa

from tab_mcp.access.jwt_verifier import KEYS_TTL_S, REFETCH_PERIOD_S, JwtVerifier, metadata_urls

pytestmark = pytest.mark.anyio

ISSUER = "https://idp.example.com"
AUDIENCE = "https://mcp.example.com/mcp"
KEY = rsa.generate_private_key(public_exponent=65537, key_size=2048)


class Clock:
    def __init__(self) -> None:
        self.now = 5000.0

    def __call__(self) -> float:
        return self.now


def jwks(alg: str | None = "RS256", kid: str = "k1") -> dict:
    data = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(KEY.public_key()))
    return {"keys": [{**data, "kid": kid, **({"alg": alg} if alg else {})}]}


def token(alg: str = "RS256", kid: str = "k1", **claims) -> str:
    now = int(time.time())
    payload = {"iss": ISSUER, "aud": AUDIENCE, "sub": "bob", "exp": now + 60, "scope": "a b", **claims}
    return jwt.encode(payload, KEY, algorithm=alg, headers={"kid": kid})


def test_metadata_is_looked_up_the_rfc_8414_way_then_openid() -> None:
    assert metadata_urls("https://idp.example.com") == [
        "https://idp.example.com/.well-known/oauth-authorization-server",
        "https://idp.example.com/.well-known/openid-configuration",
    ]
    assert metadata_urls("https://idp.example.com/tenant/1/") == [
        "https://idp.example.com/.well-known/oauth-authorization-server/tenant/1",
        "https://idp.example.com/tenant/1/.well-known/openid-configuration",
    ]


@respx.mock
async def test_openid_discovery_is_the_fallback_and_claims_become_the_grant() -> None:
    respx.get(f"{ISSUER}/.well-known/oauth-authorization-server").mock(return_value=httpx.Response(404))
    respx.get(f"{ISSUER}/.well-known/openid-configuration").mock(
        return_value=httpx.Response(200, json={"issuer": ISSUER, "jwks_uri": f"{ISSUER}/keys"})
    )
    respx.get(f"{ISSUER}/keys").mock(return_value=httpx.Response(200, json=jwks()))
    grant = await JwtVerifier(ISSUER, AUDIENCE).verify_token(token(azp="app-9"))
    assert grant is not None
    assert (grant.subject, grant.client_id, grant.scopes) == ("bob", "app-9", ["a", "b"])


@respx.mock
async def test_metadata_naming_another_issuer_is_not_trusted() -> None:
    respx.get(f"{ISSUER}/.well-known/oauth-authorization-server").mock(
        return_value=httpx.Response(200, json={"issuer": "https://evil.example.com", "jwks_uri": f"{ISSUER}/keys"})
    )
    keys = respx.get(f"{ISSUER}/keys").mock(return_value=httpx.Response(200, json=jwks()))
    assert await JwtVerifier(ISSUER, AUDIENCE).verify_token(token()) is None
    assert keys.call_count == 0


@respx.mock
async def test_a_failing_issuer_is_asked_once_per_refetch_period_not_per_request() -> None:
    metadata = respx.get(f"{ISSUER}/.well-known/oauth-authorization-server").mock(return_value=httpx.Response(503))
    respx.get(f"{ISSUER}/.well-known/openid-configuration").mock(return_value=httpx.Response(503))
    clock = Clock()
    verifier = JwtVerifier(ISSUER, AUDIENCE, clock=clock)
    results = [await verifier.verify_token(token()) for _ in range(20)]
    assert results == [None] * 20 and metadata.call_count == 1
    clock.now += REFETCH_PERIOD_S + 1
    await verifier.verify_token(token())
    assert metadata.call_count == 2


@respx.mock
async def test_keys_are_cached_and_refreshed_after_their_lifetime() -> None:
    respx.get(f"{ISSUER}/.well-known/oauth-authorization-server").mock(
        return_value=httpx.Response(200, json={"issuer": ISSUER, "jwks_uri": f"{ISSUER}/keys"})
    )
    keys = respx.get(f"{ISSUER}/keys").mock(return_value=httpx.Response(200, json=jwks()))
    clock = Clock()
    verifier = JwtVerifier(ISSUER, AUDIENCE, clock=clock)
    assert all([await verifier.verify_token(token()) for _ in range(5)])
    assert keys.call_count == 1
    clock.now += KEYS_TTL_S + 1
    assert await verifier.verify_token(token()) is not None and keys.call_count == 2


@respx.mock
async def test_a_token_must_use_the_algorithm_its_key_declares() -> None:
    respx.get(f"{ISSUER}/.well-known/oauth-authorization-server").mock(
        return_value=httpx.Response(200, json={"issuer": ISSUER, "jwks_uri": f"{ISSUER}/keys"})
    )
    respx.get(f"{ISSUER}/keys").mock(return_value=httpx.Response(200, json=jwks(alg="RS256")))
    verifier = JwtVerifier(ISSUER, AUDIENCE)
    assert await verifier.verify_token(token(alg="PS256")) is None
    assert await verifier.verify_token(token(alg="RS256")) is not None


@respx.mock
async def test_hmac_with_the_public_key_as_secret_is_refused_before_any_fetch() -> None:
    metadata = respx.get(f"{ISSUER}/.well-known/oauth-authorization-server")
    forged = jwt.encode({"iss": ISSUER, "aud": AUDIENCE, "exp": int(time.time()) + 60}, "x" * 32, algorithm="HS256")
    assert await JwtVerifier(ISSUER, AUDIENCE).verify_token(forged) is None
    assert metadata.call_count == 0
