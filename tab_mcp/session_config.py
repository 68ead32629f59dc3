"""Per-session configuration from the MCP request URL (how Smithery passes a session's config).

Smithery appends each session's configuration to the ``/mcp`` URL as query parameters. Only these keys are
read: ``clientId``, ``clientSecret``, ``username``, ``password`` (credentials for that session's own token)
and ``jurisdiction`` (its default). Anything else, a base URL above all, is ignored: where requests go is
the operator's decision alone. On stdio and in memory there is no request URL, so this yields nothing.

A session's credentials are that session's identity (:meth:`SessionConfig.credentials`): its own client, or
its own account signed in through the server's *application* client, never the operator's account.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from mcp.server.mcpserver import Context

from tab_mcp.errors import InputError

# Query key (camelCase as Smithery sends it, or snake_case) -> field name.
_KEYS = {
    "clientId": "client_id",
    "client_id": "client_id",
    "clientSecret": "client_secret",
    "client_secret": "client_secret",
    "username": "username",
    "password": "password",
    "jurisdiction": "jurisdiction",
}
MAX_VALUE_CHARS = 512


@dataclass(frozen=True)
class SessionConfig:
    """Credentials and defaults supplied by one MCP session (never where requests go)."""

    client_id: str | None = field(default=None, repr=False)
    client_secret: str | None = field(default=None, repr=False)
    username: str | None = field(default=None, repr=False)
    password: str | None = field(default=None, repr=False)
    jurisdiction: str | None = None

    @property
    def has_credentials(self) -> bool:
        """True when the session brings any credential (a client, an account, or half of one)."""
        return bool(self.client_id or self.client_secret or self.username or self.password)

    def credentials(self, app_client: tuple[str, str] | None) -> dict[str, str] | None:
        """The session's own OAuth identity as ``client_id``, ``client_secret`` (and ``username``, ``password``).

        A session account without a client of its own is signed in with ``app_client``, the server's
        application client id and secret (how an app signs a user in); the server's account never completes
        a session's. None when the session brings no credential; half a pair raises :class:`InputError`.
        """
        if not self.has_credentials:
            return None
        _check_pair("clientId", self.client_id, "clientSecret", self.client_secret)
        _check_pair("username", self.username, "password", self.password)
        if self.client_id and self.client_secret:
            client_id, client_secret = self.client_id, self.client_secret
        elif app_client is not None:
            client_id, client_secret = app_client
        else:
            raise InputError(
                "This session's config has username and password but no clientId and clientSecret, and the server "
                "has no application client to sign them in with: add clientId and clientSecret to the session config."
            )
        found = {"client_id": client_id, "client_secret": client_secret}
        if self.username and self.password:
            found |= {"username": self.username, "password": self.password}
        return found


def _check_pair(name: str, value: str | None, other_name: str, other: str | None) -> None:
    if bool(value) == bool(other):
        return
    have, missing = (name, other_name) if value else (other_name, name)
    raise InputError(
        f"This session's config has {have} without {missing}: add {missing} to the session config, or remove {have}."
    )


def session_config(ctx: Context) -> SessionConfig | None:
    """Return the session's configuration from the HTTP request's query string, or None when it has none."""
    try:
        request: Any = ctx.request_context.request
    except ValueError:  # no request context (called outside a request)
        return None
    params = getattr(request, "query_params", None)
    if not params:
        return None
    values: dict[str, str] = {}
    for key, name in _KEYS.items():
        value = params.get(key)
        if value and len(value) <= MAX_VALUE_CHARS and name not in values:
            values[name] = value
    return SessionConfig(**values) if values else None
