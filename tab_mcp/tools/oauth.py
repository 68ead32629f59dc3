"""OAuth tools: mint a Tabcorp token from the caller's own credentials (kept for clients of the earlier server).

The server manages its own token, so most clients never need these. They exist to return a token, so their
results are the one place a token appears, and the token is only ever one minted with credentials the caller
supplied: in the call's arguments, or in its session config. The server's own ``TAB_*`` credentials never
reach these tools, not even to complete a partial set (design.md §5b: credentials stay with their owner).
"""

from __future__ import annotations

import time
from typing import Annotated, Any

from pydantic import Field

from tab_mcp.app_state import ToolContext, app_state
from tab_mcp.errors import InputError
from tab_mcp.session_config import SessionConfig, session_config
from tab_mcp.tools.annotations import OAUTH, ToolTable

ClientId = Annotated[
    str | None, Field(description="Your OAuth client id from TAB Studio; else this session's clientId.")
]
ClientSecret = Annotated[str | None, Field(description="Your OAuth client secret; else this session's clientSecret.")]
# Credential fields a session config may supply (the refresh_token only ever comes as an argument).
_SESSION_FIELDS = ("client_id", "client_secret", "username", "password")


def _callers(arguments: dict[str, str | None], session: SessionConfig | None) -> dict[str, str | None]:
    """Each credential from the call's argument, else from the caller's session config; never from the server."""
    return {
        name: value or (getattr(session, name, None) if name in _SESSION_FIELDS else None)
        for name, value in arguments.items()
    }


def _require(form: dict[str, str | None], tool: str) -> dict[str, str]:
    missing = [name for name, value in form.items() if not value]
    if missing:
        names = missing[0] if len(missing) == 1 else f"{', '.join(missing[:-1])} and {missing[-1]}"
        where = "as arguments" if len(missing) > 1 else "as an argument"
        if any(name in _SESSION_FIELDS for name in missing):
            where += " or in this session's config"
        raise InputError(
            f"{tool} needs your own {names}: pass {'them' if len(missing) > 1 else 'it'} {where}; "
            "the server never lends its own credentials."
        )
    return {name: value for name, value in form.items() if value}


async def _token(ctx: ToolContext, form: dict[str, str], grant: str) -> dict[str, Any]:
    data = await app_state(ctx).client.caller_grant(form, what=f"the {grant} grant")
    expires_in = data.get("expires_in")
    if isinstance(expires_in, (int, float)):
        data = {**data, "expires_at": int(time.time() + expires_in)}
    return data


async def tab_oauth_password_grant(
    ctx: ToolContext,
    client_id: ClientId = None,
    client_secret: ClientSecret = None,
    username: Annotated[str | None, Field(description="Your TAB account number; else this session's username.")] = None,
    password: Annotated[
        str | None, Field(description="Your TAB account password; else this session's password.")
    ] = None,
) -> dict[str, Any]:
    """Mint a TAB account token from the user's own credentials: access_token, refresh_token, expires_in, expires_at.

    Needs client_id, client_secret, username and password, each from the arguments or this session's config;
    the server never uses its own. The token is a live credential for the account (it can reach account and
    betting endpoints): return it only to its owner, never into logs or other tools. Not needed for this
    server's own tools, which manage their token.
    """
    form = _callers(
        {"client_id": client_id, "client_secret": client_secret, "username": username, "password": password},
        session_config(ctx),
    )
    return await _token(ctx, {"grant_type": "password", **_require(form, "tab_oauth_password_grant")}, "password")


async def tab_oauth_refresh(
    ctx: ToolContext,
    refresh_token: Annotated[str | None, Field(description="The refresh_token from your own password grant.")] = None,
    client_id: ClientId = None,
    client_secret: ClientSecret = None,
) -> dict[str, Any]:
    """Exchange the user's own refresh_token for a new access token (and usually a new refresh_token).

    Needs refresh_token as an argument, and client_id and client_secret from the arguments or this session's
    config; the server never uses its own. The new token is a live credential: return it only to its owner.
    """
    form = _callers(
        {"refresh_token": refresh_token, "client_id": client_id, "client_secret": client_secret}, session_config(ctx)
    )
    return await _token(ctx, {"grant_type": "refresh_token", **_require(form, "tab_oauth_refresh")}, "refresh_token")


async def tab_oauth_client_credentials(
    ctx: ToolContext, client_id: ClientId = None, client_secret: ClientSecret = None
) -> dict[str, Any]:
    """Mint an application token from the user's own client: access_token, expires_in (about 3 h), expires_at.

    Needs client_id and client_secret, from the arguments or this session's config; the server never uses
    its own. The token is a live credential: return it only to its owner. Public data works without it.
    """
    form = _callers({"client_id": client_id, "client_secret": client_secret}, session_config(ctx))
    return await _token(
        ctx,
        {"grant_type": "client_credentials", **_require(form, "tab_oauth_client_credentials")},
        "client_credentials",
    )


# Registration order is the order tools/list shows them in.
TOOLS: ToolTable = {
    tab_oauth_password_grant: OAUTH,
    tab_oauth_refresh: OAUTH,
    tab_oauth_client_credentials: OAUTH,
}
