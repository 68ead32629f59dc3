"""OAuth grant contracts (tabcorp-api.md §13): the token object the three grant tools return.

``expires_at`` is added by the tool itself (absolute expiry, for clients that cannot count); the rest is the
upstream's RFC 6749 body [CLIENT]. A token always has a lifetime, so ``expires_in`` is a positive integer. The
refresh grant's response is not documented publicly, so its ``refresh_token`` is optional; ``scope`` is
[INFERRED] everywhere.
"""

from __future__ import annotations

from pytest_tabmcp.contracts.shapes import INT, STR, Schema, obj

LIFETIME: Schema = {"type": "integer", "exclusiveMinimum": 0, "description": "a positive number of seconds"}
TOKEN_TEXT: Schema = {"type": "string", "minLength": 1, "description": "a non-empty string"}
_TOKEN = {"access_token": TOKEN_TEXT, "token_type": STR, "expires_in": LIFETIME, "expires_at": INT}

CONTRACTS: dict[str, Schema] = {
    "tab_oauth_client_credentials": obj(_TOKEN, {"scope": STR}),
    "tab_oauth_password_grant": obj({**_TOKEN, "refresh_token": TOKEN_TEXT}, {"scope": STR}),
    "tab_oauth_refresh": obj(_TOKEN, {"refresh_token": TOKEN_TEXT, "scope": STR}),
}
