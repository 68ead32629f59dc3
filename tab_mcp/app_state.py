"""The server's core state: what the lifespan yields (``AppState``) and what one tool call sees (``CallScope``).

``server.py`` builds the state; every tool reads it through ``app_state`` or ``call_scope``. Both live here,
outside the tools package, so the server never imports tool internals.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, cast

from mcp.server.mcpserver import Context

from tab_mcp.client import TabClient, UpstreamDocument
from tab_mcp.session_config import SessionConfig, session_config
from tab_mcp.settings import Settings
from tab_mcp.validation import check_jurisdiction

__all__ = ["AppState", "CallScope", "ToolContext", "app_state", "call_scope"]

# The request context a tool receives; tools read the lifespan state through app_state/call_scope, not its type.
ToolContext = Context[Any, Any]


@dataclass(frozen=True)
class AppState:
    """What the server lifespan yields to tools: the upstream client and the settings."""

    client: TabClient
    settings: Settings


def app_state(ctx: ToolContext) -> AppState:
    """Return the lifespan state of the running server."""
    return cast(AppState, ctx.request_context.lifespan_context)


@dataclass(frozen=True)
class CallScope:
    """Everything one tool call needs: the client, settings, and the session's own config (if any)."""

    state: AppState
    session: SessionConfig | None

    def jurisdiction(self, value: str | None) -> str:
        """The call's jurisdiction: the argument, else the session's default, else the server's."""
        if not value and self.session is not None:
            value = self.session.jurisdiction
        return check_jurisdiction(value, self.state.settings)

    async def get(
        self, path: str, params: list[tuple[str, str]], *, access_token: str | None, what: str
    ) -> UpstreamDocument:
        """GET through the pooled client with the session's (or the server's) token."""
        client = self.state.client
        return await client.get_document(
            path, params, access_token=access_token, what=what, tokens=client.tokens_for(self.session)
        )

    async def post(self, path: str, body: dict[str, Any], *, access_token: str | None, what: str) -> UpstreamDocument:
        """POST once (never retried) through the pooled client with the session's (or the server's) token."""
        client = self.state.client
        return await client.post(
            path, body, access_token=access_token, what=what, tokens=client.tokens_for(self.session)
        )


def call_scope(ctx: ToolContext) -> CallScope:
    """Return the scope of the current tool call."""
    return CallScope(state=app_state(ctx), session=session_config(ctx))
