"""Per-session configuration from the MCP request URL (how Smithery passes a session's config).

Smithery appends each session's configuration to the ``/mcp`` URL as query parameters. Only these keys are
read: ``clientId``, ``clientSecret``, ``username``, ``password`` (credentials for that session's own token)
and ``jurisdiction`` (its default). Anything else, a base URL above all, is ignored: where requests go is
the operator's decision alone. On stdio and in memory there is no request URL, so this yields nothing.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any

from mcp.server.mcpserver import Context

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
        """True when the session brings a client id and secret of its own."""
        return bool(self.client_id and self.client_secret)

    def cache_key(self) -> str:
        """A digest identifying these credentials, so their token can be cached without storing them as a key."""
        material = "\0".join(v or "" for v in (self.client_id, self.client_secret, self.username, self.password))
        return hashlib.sha256(material.encode()).hexdigest()


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
