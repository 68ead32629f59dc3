"""OAuth tools: obtain or refresh a Tabcorp token explicitly (kept for clients of the earlier server).

The server manages its own token, so most clients never need these. They exist to return a token, so
their results are the one place a token appears.
"""

from __future__ import annotations

import time
from typing import Annotated, Any

from pydantic import Field, SecretStr

from tab_mcp.app_state import ToolContext, app_state
from tab_mcp.errors import InputError
from tab_mcp.session_config import SessionConfig, session_config
from tab_mcp.settings import Settings
from tab_mcp.tools.annotations import OAUTH, ToolTable

ClientId = Annotated[str | None, Field(description="OAuth client id; defaults to the server's TAB_CLIENT_ID.")]
ClientSecret = Annotated[
    str | None, Field(description="OAuth client secret; defaults to the server's TAB_CLIENT_SECRET.")
]


def _pick(arg: str | None, session: SessionConfig | None, name: str, settings: Settings) -> str | None:
    """The argument, else the session's value, else the server's configured value."""
    if arg:
        return arg
    session_value: str | None = getattr(session, name, None)
    if session_value:
        return session_value
    configured: SecretStr | None = getattr(settings, name)
    return configured.get_secret_value() if configured is not None else None


def _require(form: dict[str, str | None], grant: str) -> dict[str, str]:
    missing = [k for k, v in form.items() if not v]
    if missing:
        # Only credentials have a server setting; a refresh_token can only come as an argument.
        configurable = [f"TAB_{m.upper()}" for m in missing if m in Settings.model_fields]
        server = f" or configure {', '.join(configurable)} on the server" if configurable else ""
        raise InputError(f"The {grant} grant needs {', '.join(missing)}: pass them as arguments{server}.")
    return {k: v for k, v in form.items() if v}


async def _token(ctx: ToolContext, form: dict[str, str], grant: str) -> dict[str, Any]:
    data = await app_state(ctx).client.oauth(form, what=f"the {grant} grant")
    expires_in = data.get("expires_in")
    if isinstance(expires_in, (int, float)):
        data = {**data, "expires_at": int(time.time() + expires_in)}
    return data


async def tab_oauth_password_grant(
    ctx: ToolContext,
    client_id: ClientId = None,
    client_secret: ClientSecret = None,
    username: Annotated[str | None, Field(description="TAB account number; defaults to TAB_USERNAME.")] = None,
    password: Annotated[str | None, Field(description="TAB account password; defaults to TAB_PASSWORD.")] = None,
) -> dict[str, Any]:
    """Get an account token with the password grant: access_token, refresh_token, expires_in, expires_at.

    Needed only for account and betting endpoints; public data works without it.
    """
    s, session = app_state(ctx).settings, session_config(ctx)
    form = {
        "client_id": _pick(client_id, session, "client_id", s),
        "client_secret": _pick(client_secret, session, "client_secret", s),
        "username": _pick(username, session, "username", s),
        "password": _pick(password, session, "password", s),
    }
    return await _token(ctx, {"grant_type": "password", **_require(form, "password")}, "password")


async def tab_oauth_refresh(
    ctx: ToolContext,
    refresh_token: Annotated[str | None, Field(description="The refresh_token from a password grant.")] = None,
    client_id: ClientId = None,
    client_secret: ClientSecret = None,
) -> dict[str, Any]:
    """Exchange a refresh_token for a new access token (and usually a new refresh_token)."""
    s, session = app_state(ctx).settings, session_config(ctx)
    form = {
        "refresh_token": refresh_token,
        "client_id": _pick(client_id, session, "client_id", s),
        "client_secret": _pick(client_secret, session, "client_secret", s),
    }
    return await _token(ctx, {"grant_type": "refresh_token", **_require(form, "refresh_token")}, "refresh_token")


async def tab_oauth_client_credentials(
    ctx: ToolContext, client_id: ClientId = None, client_secret: ClientSecret = None
) -> dict[str, Any]:
    """Get an application token with the client_credentials grant: access_token, expires_in (about 3 h)."""
    s, session = app_state(ctx).settings, session_config(ctx)
    form = {
        "client_id": _pick(client_id, session, "client_id", s),
        "client_secret": _pick(client_secret, session, "client_secret", s),
    }
    return await _token(
        ctx, {"grant_type": "client_credentials", **_require(form, "client_credentials")}, "client_credentials"
    )


# Registration order is the order tools/list shows them in.
TOOLS: ToolTable = {
    tab_oauth_password_grant: OAUTH,
    tab_oauth_refresh: OAUTH,
    tab_oauth_client_credentials: OAUTH,
}
