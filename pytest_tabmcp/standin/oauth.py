"""The stand-in's ``POST /oauth/token``: issues numbered placeholder tokens for the three documented grants.

Shapes follow tabcorp-api.md §13: success ``{"access_token","token_type":"Bearer","expires_in"[,"refresh_token"]}``,
errors ``{"error","error_description"}`` with RFC 6749 codes (the exact TAB values are [INFERRED]).
Any client id and secret are accepted; only their presence is checked. With a ``spread``, each token's
lifetime is ``ttl`` less a random 0..``spread`` seconds, so a check of ``expires_in`` cannot pass on a constant
(``make smoke-live`` runs that way).
"""

from __future__ import annotations

import secrets
import threading
from typing import Any
from urllib.parse import parse_qsl

GRANTS = ("client_credentials", "password", "refresh_token")
_SCHEME = "Bearer"


def parse_form(body: bytes) -> dict[str, str]:
    """Decode an ``application/x-www-form-urlencoded`` body (the last value of a repeated field wins)."""
    return dict(parse_qsl(body.decode("utf-8", errors="replace"), keep_blank_values=True))


def oauth_error(error: str, description: str) -> dict[str, str]:
    """Return an OAuth-shaped error body."""
    return {"error": error, "error_description": description}


class OAuthIssuer:
    """Issues ``standin-token-<n>`` access tokens; the most recent one is the only *current* token."""

    def __init__(self, ttl: int = 10800, spread: int = 0) -> None:
        if not 0 <= spread < ttl:
            raise ValueError("the token lifetime spread must be >= 0 and below the lifetime")
        self.ttl = ttl
        self.spread = spread
        self._lock = threading.Lock()
        self._issued = 0
        self._current: str | None = None
        self._refresh_tokens: set[str] = set()

    @property
    def current_token(self) -> str | None:
        """The last access token issued (None before the first grant or after ``revoke``)."""
        with self._lock:
            return self._current

    def is_current(self, token: str | None) -> bool:
        """Return True when ``token`` is the last issued access token."""
        with self._lock:
            return token is not None and token == self._current

    def revoke(self) -> None:
        """Make the current access token stale, so the next info-service call with it gets a 401."""
        with self._lock:
            self._current = None

    def handle(self, content_type: str, body: bytes) -> tuple[int, dict[str, Any]]:
        """Answer one token request: return (HTTP status, JSON payload)."""
        if content_type.split(";")[0].strip().lower() != "application/x-www-form-urlencoded":
            return 400, oauth_error("invalid_request", "the token endpoint takes application/x-www-form-urlencoded")
        form = parse_form(body)
        grant = form.get("grant_type", "")
        if not grant:
            return 400, oauth_error("invalid_request", "grant_type is missing")
        if grant not in GRANTS:
            return 400, oauth_error("unsupported_grant_type", f"grant_type {grant[:40]!r} is not supported")
        if not form.get("client_id") or not form.get("client_secret"):
            return 401, oauth_error("invalid_client", "client_id and client_secret are required")
        if grant == "password" and (not form.get("username") or not form.get("password")):
            return 400, oauth_error("invalid_request", "the password grant needs username and password")
        with self._lock:
            if grant == "refresh_token" and form.get("refresh_token") not in self._refresh_tokens:
                return 400, oauth_error("invalid_grant", "refresh_token is unknown or missing")
            self._issued += 1
            token = f"standin-token-{self._issued}"
            self._current = token
            spread = min(self.spread, self.ttl - 1)  # the ttl may have been lowered since; never below 1 s
            lifetime = self.ttl - secrets.randbelow(spread + 1) if spread > 0 else self.ttl
            payload: dict[str, Any] = {"access_token": token, "token_type": _SCHEME, "expires_in": lifetime}
            if grant != "client_credentials":
                refresh = f"standin-refresh-{self._issued}"
                self._refresh_tokens.add(refresh)
                payload["refresh_token"] = refresh
        return 200, payload
