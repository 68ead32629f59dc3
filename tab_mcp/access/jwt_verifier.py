"""JWT access tokens from an OAuth 2.1 authorization server (``TAB_AUTH_ISSUER``), checked as MCP's spec asks.

The issuer's signing keys come from its JWKS, found through its RFC 8414 metadata
(``/.well-known/oauth-authorization-server``, with OpenID discovery as the fallback many issuers serve).
Keys are fetched on first use and cached; a token signed with a key id the cache lacks triggers a refetch,
which is how key rotation is picked up. Those refetches are bounded by a token bucket, so a stream of
made-up key ids cannot turn the server into a load generator against the issuer.

A token passes when its signature verifies with the issuer's key under an asymmetric algorithm (``none``
and HMAC are never accepted: a public key must not double as a shared secret), ``iss`` is the issuer,
``aud`` contains this server's URL (RFC 8707), and ``exp``/``nbf`` hold. Scopes are checked by the SDK
(``AuthSettings.required_scopes``), which answers 403 ``insufficient_scope``.

PyJWT does the JOSE work; see SECURITY.md ("Inbound authentication") for why it and not joserfc.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import anyio
import httpx
import jwt
from mcp.server.auth.provider import AccessToken

from tab_mcp.access.rate_limit import TokenBucket
from tab_mcp.settings import is_loopback_host

logger = logging.getLogger("tab_mcp.access")

__all__ = ["ALGORITHMS", "JwtVerifier", "SigningKey", "metadata_urls"]

ALGORITHMS = ("RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512", "EdDSA")
LEEWAY_S = 30  # clock skew tolerated on exp/nbf between the issuer and this server
KEYS_TTL_S = 3600.0
FETCH_TIMEOUT_S = 5.0
MAX_DOCUMENT_BYTES = 1_000_000
# Unknown-kid refetches: a burst of a few (a rotation), then one per REFETCH_PERIOD_S at most.
REFETCH_BURST = 3
REFETCH_PERIOD_S = 30.0


def metadata_urls(issuer: str) -> list[str]:
    """Where the issuer's metadata may be: RFC 8414 (path after the well-known segment), then OpenID discovery."""
    parts = urlsplit(issuer)
    path = parts.path.rstrip("/")
    root = f"{parts.scheme}://{parts.netloc}"
    return [f"{root}/.well-known/oauth-authorization-server{path}", f"{root}{path}/.well-known/openid-configuration"]


def _fetchable(url: str) -> bool:
    parts = urlsplit(url)
    return parts.scheme == "https" or (parts.scheme == "http" and is_loopback_host(parts.hostname))


@dataclass(frozen=True)
class SigningKey:
    """One of the issuer's keys, with the algorithm its JWK declares (a token must then use that one)."""

    jwk: jwt.PyJWK
    declared_alg: str | None


class JwtVerifier:
    """The SDK's ``TokenVerifier`` for JWTs signed by ``issuer`` for ``audience``."""

    def __init__(
        self,
        issuer: str,
        audience: str,
        *,
        clock: Callable[[], float] = time.monotonic,
        timeout: float = FETCH_TIMEOUT_S,
    ) -> None:
        self.issuer = issuer
        self.audience = audience
        self._clock = clock
        self._timeout = timeout
        self._keys: dict[str | None, SigningKey] = {}
        self._fetched_at: float | None = None
        self._failing = False  # the last fetch failed: wait for the retry time, even for an unknown key id
        self._jwks_uri: str | None = None
        self._refetches = TokenBucket(REFETCH_BURST, REFETCH_BURST * REFETCH_PERIOD_S, clock)
        self._lock = anyio.Lock()

    async def verify_token(self, token: str) -> AccessToken | None:
        """The token's grant when it is valid for this server, else None (the SDK then answers 401)."""
        try:
            header = jwt.get_unverified_header(token)
        except jwt.InvalidTokenError:
            return None
        alg = header.get("alg")
        if alg not in ALGORITHMS:
            logger.info("Refused a JWT signed with algorithm %r", alg)
            return None
        key = await self._key_for(header.get("kid"))
        if key is None:
            return None
        if key.declared_alg not in (None, alg):
            logger.info("Refused a JWT: its algorithm %r is not its key's", alg)
            return None
        try:
            claims: dict[str, Any] = jwt.decode(
                token,
                key.jwk.key,
                algorithms=[alg],
                audience=self.audience,
                issuer=self.issuer,
                leeway=LEEWAY_S,
                options={"require": ["exp", "iss", "aud"]},
            )
        except jwt.InvalidTokenError as exc:
            # The exception's name says why (ExpiredSignatureError, InvalidAudienceError, ...); never the token.
            logger.info("Refused a JWT: %s", type(exc).__name__)
            return None
        return _access_token(token, claims)

    async def _key_for(self, kid: Any) -> SigningKey | None:
        kid = kid if isinstance(kid, str) else None
        async with self._lock:
            stale = self._fetched_at is None or self._clock() - self._fetched_at > KEYS_TTL_S
            if stale:
                await self._refresh()
            key = self._lookup(kid)
            if key is None and not stale and not self._failing and self._refetches.take() == 0:
                await self._refresh()  # an unknown key id: the issuer may have rotated its keys
                key = self._lookup(kid)
        if key is None:
            logger.info("Refused a JWT: no signing key %r at the issuer", kid)
        return key

    def _lookup(self, kid: str | None) -> SigningKey | None:
        if kid is None and len(self._keys) == 1:
            return next(iter(self._keys.values()))
        return self._keys.get(kid) if kid is not None else None

    async def _refresh(self) -> None:
        """Fetch the JWKS (discovering it first); on failure keep the keys already held."""
        try:
            async with httpx.AsyncClient(timeout=self._timeout, follow_redirects=False) as http:
                if self._jwks_uri is None:
                    self._jwks_uri = await self._discover(http)
                jwks = await _get_json(http, self._jwks_uri)
            keys: dict[str | None, SigningKey] = {}
            for data in jwks.get("keys", []):
                if isinstance(data, dict) and data.get("use", "sig") == "sig":
                    try:
                        alg = data.get("alg")
                        keys[data.get("kid")] = SigningKey(jwt.PyJWK(data), alg if isinstance(alg, str) else None)
                    except jwt.PyJWTError:  # an unsupported key type among usable ones
                        continue
        except (httpx.HTTPError, ValueError) as exc:
            logger.warning("Could not fetch the signing keys of %s: %s", self.issuer, exc)
            # Try again after a refetch period, not on every request while the issuer is down.
            self._fetched_at = self._clock() - KEYS_TTL_S + REFETCH_PERIOD_S
            self._failing = True
            return
        self._failing = False
        self._keys = keys
        self._fetched_at = self._clock()

    async def _discover(self, http: httpx.AsyncClient) -> str:
        for url in metadata_urls(self.issuer):
            try:
                metadata = await _get_json(http, url)
            except (httpx.HTTPError, ValueError):
                continue
            if metadata.get("issuer") != self.issuer:
                raise ValueError(f"the metadata at {url} names issuer {metadata.get('issuer')!r}, not {self.issuer}")
            jwks_uri = metadata.get("jwks_uri")
            if not isinstance(jwks_uri, str) or not _fetchable(jwks_uri):
                raise ValueError(f"the metadata at {url} has no https jwks_uri")
            return jwks_uri
        raise ValueError("no RFC 8414 or OpenID metadata found under the issuer URL")


async def _get_json(http: httpx.AsyncClient, url: str) -> dict[str, Any]:
    response = await http.get(url, headers={"Accept": "application/json"})
    response.raise_for_status()
    if len(response.content) > MAX_DOCUMENT_BYTES:
        raise ValueError(f"{url} answered more than {MAX_DOCUMENT_BYTES} bytes")
    data = response.json()
    if not isinstance(data, dict):
        raise ValueError(f"{url} did not answer a JSON object")
    return data


def _access_token(token: str, claims: dict[str, Any]) -> AccessToken:
    """The SDK's view of a verified JWT: subject, client id, scopes (``scope`` string or ``scp`` list), expiry."""
    scope = claims.get("scope", claims.get("scp", []))
    scopes = scope.split() if isinstance(scope, str) else [str(s) for s in scope if isinstance(s, str)]
    subject = claims.get("sub") if isinstance(claims.get("sub"), str) else None
    client_id = next((claims[k] for k in ("client_id", "azp") if isinstance(claims.get(k), str)), subject or "jwt")
    expires = claims.get("exp")
    return AccessToken(
        token=token,
        client_id=client_id,
        scopes=scopes,
        expires_at=int(expires) if isinstance(expires, (int, float)) else None,
        subject=subject,
        claims={"iss": claims.get("iss")},
    )
