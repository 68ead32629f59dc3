"""Static bearer tokens (``TAB_AUTH_TOKENS``): inbound authentication for self-hosting.

Only SHA-256 digests of the tokens are kept, and a presented token is compared with every one of them in
constant time, so neither the comparison's timing nor a memory dump gives a token away. A token's identity
is its position: ``token 1``, ``token 2``, ...
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Sequence

from mcp.server.auth.provider import AccessToken
from pydantic import SecretStr

__all__ = ["StaticTokenVerifier"]


def _digest(token: str) -> bytes:
    return hashlib.sha256(token.encode()).digest()


class StaticTokenVerifier:
    """The SDK's ``TokenVerifier`` over a fixed list of tokens; each valid token is granted ``scopes``."""

    def __init__(self, tokens: Sequence[SecretStr], scopes: Sequence[str] = ()) -> None:
        self._digests = [_digest(token.get_secret_value()) for token in tokens]
        self._scopes = list(scopes)

    async def verify_token(self, token: str) -> AccessToken | None:
        """The token's grant when it is one of the configured tokens, else None."""
        presented = _digest(token)
        match = 0
        for number, digest in enumerate(self._digests, start=1):
            # No early exit: every digest is compared, whichever one matches.
            if hmac.compare_digest(presented, digest) and not match:
                match = number
        if not match:
            return None
        return AccessToken(token=token, client_id=f"token {match}", scopes=self._scopes, claims={"static": True})
