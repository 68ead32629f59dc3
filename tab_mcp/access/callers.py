"""Who is calling: the caller identity every per-caller decision (limits, logs, health details) uses.

An authenticated caller is named by its credential: ``token 1``, ``token 2``, ... for the static bearer
tokens, the subject (else the client id) of a JWT. Anyone else is named by the client address, which is the
real client only when uvicorn trusts the proxy's forwarded headers (``FORWARDED_ALLOW_IPS``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from mcp.server.auth.middleware.bearer_auth import AuthenticatedUser
from starlette.types import Scope

from tab_mcp.settings import is_loopback_host

__all__ = ["Caller", "caller_from_scope", "current_caller"]

CallerKind = Literal["token", "subject", "address"]
UNKNOWN_ADDRESS = "unknown"


@dataclass(frozen=True)
class Caller:
    """One caller: how it is named and whether it proved who it is."""

    name: str
    kind: CallerKind

    @property
    def authenticated(self) -> bool:
        """True when the caller presented a valid bearer token (static or JWT)."""
        return self.kind != "address"

    @property
    def loopback(self) -> bool:
        """True for an anonymous caller connecting from this machine."""
        return self.kind == "address" and is_loopback_host(self.name)

    @property
    def key(self) -> str:
        """The key limits are kept under; the kind keeps a subject from colliding with an address."""
        return f"{self.kind}:{self.name}"

    def __str__(self) -> str:
        return self.name


def caller_from_scope(scope: Scope) -> Caller:
    """The caller of an HTTP request, once the SDK's authentication middleware has run on ``scope``."""
    user = scope.get("user")
    if isinstance(user, AuthenticatedUser):
        token = user.access_token
        if token.subject:
            return Caller(token.subject, "subject")
        return Caller(token.client_id, "token" if (token.claims or {}).get("static") else "subject")
    client = scope.get("client")
    return Caller(str(client[0]) if client else UNKNOWN_ADDRESS, "address")


def current_caller(ctx: Any) -> Caller | None:
    """The caller of the current tool call (``ctx`` is the tool's ``Context``); None on stdio and in memory."""
    try:
        request = ctx.request_context.request
    except (AttributeError, ValueError):  # no request context: called outside a request
        return None
    scope = getattr(request, "scope", None)
    return caller_from_scope(scope) if isinstance(scope, dict) else None
