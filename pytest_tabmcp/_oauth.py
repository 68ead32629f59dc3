"""Credentials and OAuth tokens for the fixtures (no pytest import).

Secrets never appear in a ``repr``: a failing assertion that prints a fixture value must not leak them.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from pytest_tabmcp._cassettes import placeholder

CREDENTIAL_ENV: tuple[str, ...] = ("TAB_CLIENT_ID", "TAB_CLIENT_SECRET", "TAB_USERNAME", "TAB_PASSWORD")
REQUIRED_ENV: tuple[str, ...] = ("TAB_CLIENT_ID", "TAB_CLIENT_SECRET")


@dataclass(frozen=True, kw_only=True)
class TabCredentials:
    """OAuth client credentials, plus account credentials for the password grant when both are set."""

    client_id: str = field(repr=False)
    client_secret: str = field(repr=False)
    username: str | None = field(default=None, repr=False)
    password: str | None = field(default=None, repr=False)

    @property
    def grant(self) -> str:
        """``password`` when account credentials are present, else ``client_credentials``."""
        return "password" if self.username and self.password else "client_credentials"

    def form(self) -> dict[str, str]:
        """The form body of this grant for ``POST /oauth/token``."""
        form = {"grant_type": self.grant, "client_id": self.client_id, "client_secret": self.client_secret}
        if self.grant == "password":
            form |= {"username": self.username or "", "password": self.password or ""}
        return form

    def __repr__(self) -> str:
        return f"TabCredentials(grant={self.grant!r}, values hidden)"


def placeholder_credentials() -> TabCredentials:
    """The credentials the hand-built cassettes were made with (replays never see a real secret)."""
    return TabCredentials(client_id=placeholder("client_id"), client_secret=placeholder("client_secret"))


def credentials_from_env(environ: dict[str, str] | None = None) -> tuple[TabCredentials | None, list[str]]:
    """Read ``TAB_CLIENT_ID``/``TAB_CLIENT_SECRET`` (and ``TAB_USERNAME``/``TAB_PASSWORD``) from the environment.

    Returns ``(credentials, [])``, or ``(None, missing_variable_names)`` when a required one is unset.
    """
    env = os.environ if environ is None else environ
    values = {name: env.get(name, "").strip() or None for name in CREDENTIAL_ENV}
    missing = [name for name in REQUIRED_ENV if not values[name]]
    if missing:
        return None, missing
    return (
        TabCredentials(
            client_id=values["TAB_CLIENT_ID"] or "",
            client_secret=values["TAB_CLIENT_SECRET"] or "",
            username=values["TAB_USERNAME"],
            password=values["TAB_PASSWORD"],
        ),
        [],
    )


@dataclass(frozen=True, kw_only=True)
class OAuthToken:
    """An OAuth access token with its lifetime: ``expires_in`` seconds as granted, ending at ``expires_at``."""

    access_token: str
    token_type: str
    expires_in: int
    expires_at: datetime
    grant: str
    refresh_token: str | None = None

    def remaining(self, now: datetime | None = None) -> float:
        """Seconds left before the token expires (negative once it has)."""
        return (self.expires_at - (now or datetime.now(UTC))).total_seconds()

    def __repr__(self) -> str:
        return (
            f"OAuthToken(token_type={self.token_type!r}, grant={self.grant!r}, expires_in={self.expires_in}, "
            f"expires_at={self.expires_at.isoformat()!r}, access_token='***')"
        )


class TokenLifetimeWarning(UserWarning):
    """A token has little lifetime left. The plugin shows it in the warnings summary, never as an error."""


class OAuthError(Exception):
    """The token endpoint refused the grant or answered with something that is not a token."""


def token_from_json(data: Any, *, grant: str, issued_at: float | None = None) -> OAuthToken:
    """Build an :class:`OAuthToken` from a token response body, or raise :class:`OAuthError`."""
    if not isinstance(data, dict) or not isinstance(data.get("access_token"), str) or not data["access_token"]:
        raise OAuthError("the token response has no access_token")
    try:
        expires_in = int(data.get("expires_in") or 0)
    except (TypeError, ValueError):
        raise OAuthError("the token response has a non-numeric expires_in") from None
    issued = time.time() if issued_at is None else issued_at
    return OAuthToken(
        access_token=data["access_token"],
        token_type=str(data.get("token_type") or "Bearer"),
        expires_in=expires_in,
        expires_at=datetime.fromtimestamp(issued + expires_in, UTC),
        grant=grant,
        refresh_token=data.get("refresh_token") if isinstance(data.get("refresh_token"), str) else None,
    )


def fetch_token(base_url: str, credentials: TabCredentials, *, timeout: float = 10.0) -> OAuthToken:
    """POST the credentials' grant to ``{base_url}/oauth/token`` and return the token.

    Errors name the URL, the status and the OAuth ``error``/``error_description``, never a credential.
    """
    import httpx

    url = f"{base_url.rstrip('/')}/oauth/token"
    issued = time.time()
    try:
        with httpx.Client(timeout=timeout, trust_env=False) as http:
            response = http.post(url, data=credentials.form(), headers={"Accept": "application/json"})
    except httpx.HTTPError as exc:
        raise OAuthError(f"POST {url} ({credentials.grant} grant) failed: {type(exc).__name__}: {exc}") from None
    try:
        body = response.json()
    except ValueError:
        body = None
    if response.status_code != 200:
        detail = ""
        if isinstance(body, dict) and isinstance(body.get("error"), str):
            detail = f": {body['error']}" + (f" ({body['error_description']})" if body.get("error_description") else "")
        raise OAuthError(f"POST {url} ({credentials.grant} grant) returned {response.status_code}{detail}")
    try:
        return token_from_json(body, grant=credentials.grant, issued_at=issued)
    except OAuthError as exc:
        raise OAuthError(f"POST {url} ({credentials.grant} grant): {exc}") from None
