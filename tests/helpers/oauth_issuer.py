"""A loopback OAuth authorization server for the inbound-auth tests: RFC 8414 metadata and a JWKS of its own keys.

The keys are generated here (RSA 2048), so the tests mint real signed JWTs and the server under test verifies
them exactly as it would a real issuer's. :meth:`LoopbackIssuer.rotate` replaces the signing key, the way an
issuer rotates; ``jwks_fetches`` counts how often the server came for the keys.
"""

from __future__ import annotations

import base64
import contextlib
import json
import time
import uuid
from collections.abc import Iterator
from typing import Any

import jwt
from cryptography.hazmat.primitives.asymmetric import rsa
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from pytest_tabmcp.standin.runner import serve_in_thread

__all__ = ["LoopbackIssuer", "loopback_issuer", "unsigned_token"]


class LoopbackIssuer:
    """Keys, metadata and token minting for one issuer at ``url`` (set once it listens)."""

    def __init__(self) -> None:
        self.url = ""
        self.jwks_fetches = 0
        self._keys: list[tuple[str, rsa.RSAPrivateKey]] = []
        self.rotate()

    @property
    def kid(self) -> str:
        """The current signing key's id."""
        return self._keys[-1][0]

    def rotate(self) -> str:
        """Sign with a new key from now on; the JWKS serves only the new one. Returns the new kid."""
        kid = uuid.uuid4().hex[:12]
        self._keys = [(kid, rsa.generate_private_key(public_exponent=65537, key_size=2048))]
        return kid

    def mint(self, audience: str, *, lifetime: float = 300, key: rsa.RSAPrivateKey | None = None, **claims: Any) -> str:
        """A signed access token for ``audience``; keyword claims override the defaults (``kid=`` sets the header)."""
        now = int(time.time())
        kid = claims.pop("kid", self.kid)
        payload = {"iss": self.url, "aud": audience, "sub": "alice", "iat": now, "exp": now + int(lifetime)}
        payload.update(claims)
        return jwt.encode(payload, key or self._keys[-1][1], algorithm="RS256", headers={"kid": kid})

    def app(self) -> Starlette:
        """The issuer's HTTP face: its metadata and its JWKS."""

        async def metadata(_request: Request) -> JSONResponse:
            return JSONResponse(
                {"issuer": self.url, "jwks_uri": f"{self.url}/jwks", "token_endpoint": f"{self.url}/token"}
            )

        async def jwks(_request: Request) -> JSONResponse:
            self.jwks_fetches += 1
            keys = []
            for kid, private in self._keys:
                data = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(private.public_key()))
                keys.append({**data, "kid": kid, "use": "sig", "alg": "RS256"})
            return JSONResponse({"keys": keys})

        return Starlette(
            routes=[
                Route("/.well-known/oauth-authorization-server", metadata),
                Route("/jwks", jwks),
            ]
        )


def unsigned_token(claims: dict[str, Any]) -> str:
    """A JWT with ``alg: none`` and no signature (what a forger sends)."""

    def part(data: dict[str, Any]) -> str:
        return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()

    return f"{part({'alg': 'none', 'typ': 'JWT'})}.{part(claims)}."


@contextlib.contextmanager
def loopback_issuer() -> Iterator[LoopbackIssuer]:
    """A :class:`LoopbackIssuer` served on a kernel-chosen loopback port for the duration."""
    issuer = LoopbackIssuer()
    with serve_in_thread(issuer.app(), name="tabmcp-test-issuer") as server:
        issuer.url = server.base
        yield issuer
