"""Inbound authentication over HTTP, built from the settings for the SDK's ``token_verifier`` + ``AuthSettings``.

Two kinds of credential, usable together: static bearer tokens (``TAB_AUTH_TOKENS``) for self-hosting and
for the operator's own monitor, and JWT access tokens from an OAuth 2.1 authorization server
(``TAB_AUTH_ISSUER`` + ``TAB_AUTH_AUDIENCE``). With an issuer, the SDK serves Protected Resource Metadata
(RFC 9728) and names it in the 401's ``WWW-Authenticate``. stdio needs none: its caller is the process owner.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from mcp.server.auth.provider import AccessToken, TokenVerifier
from mcp.server.auth.settings import AuthSettings

from tab_mcp.access.jwt_verifier import JwtVerifier
from tab_mcp.access.static_tokens import StaticTokenVerifier
from tab_mcp.errors import ConfigError
from tab_mcp.settings import Settings

__all__ = ["AnyOfVerifier", "InboundAuth", "inbound_auth"]

# AuthSettings requires an issuer URL, which the SDK only advertises in Protected Resource Metadata; with
# static tokens alone there is no authorization server and no metadata route, so nothing shows this.
_NO_ISSUER = "http://127.0.0.1"


class AnyOfVerifier:
    """A ``TokenVerifier`` that accepts what any of its verifiers accepts, asked in order."""

    def __init__(self, verifiers: Sequence[TokenVerifier]) -> None:
        self.verifiers = list(verifiers)

    async def verify_token(self, token: str) -> AccessToken | None:
        """The first verifier's grant for ``token``, or None when none accepts it."""
        for verifier in self.verifiers:
            grant = await verifier.verify_token(token)
            if grant is not None:
                return grant
        return None


@dataclass(frozen=True)
class InboundAuth:
    """What ``MCPServer`` takes for inbound authentication: its ``auth=`` and ``token_verifier=``."""

    settings: AuthSettings
    verifier: TokenVerifier


def inbound_auth(settings: Settings) -> InboundAuth | None:
    """The inbound authentication ``settings`` configure, or None when HTTP callers are anonymous."""
    if bool(settings.auth_issuer) != bool(settings.auth_audience):
        raise ConfigError(
            "TAB_AUTH_ISSUER and TAB_AUTH_AUDIENCE go together: set both (the authorization server's URL and this "
            "server's own /mcp URL) or neither."
        )
    if settings.auth_scopes and not settings.inbound_auth:
        raise ConfigError("TAB_AUTH_SCOPES needs TAB_AUTH_ISSUER or TAB_AUTH_TOKENS; set one, or unset the scopes.")
    verifiers: list[TokenVerifier] = []
    if settings.auth_tokens:
        verifiers.append(StaticTokenVerifier(settings.auth_tokens, settings.auth_scopes))
    if settings.auth_issuer and settings.auth_audience:
        verifiers.append(JwtVerifier(settings.auth_issuer, settings.auth_audience))
    if not verifiers:
        return None
    auth = AuthSettings(
        issuer_url=settings.auth_issuer or _NO_ISSUER,
        resource_server_url=settings.auth_audience,
        required_scopes=settings.auth_scopes or None,
        # The JWT verifier checks the audience itself; static tokens have none.
        validate_token_resource=False if settings.auth_audience else None,
    )
    return InboundAuth(auth, verifiers[0] if len(verifiers) == 1 else AnyOfVerifier(verifiers))
