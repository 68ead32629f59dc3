"""The pytest-free OAuth helpers (``pytest_tabmcp._oauth``): credentials from the environment, tokens."""

from __future__ import annotations

import pytest

from pytest_tabmcp._oauth import (
    OAuthError,
    TabCredentials,
    credentials_from_env,
    placeholder_credentials,
    token_from_json,
)


def test_credentials_from_env_and_their_repr() -> None:
    creds, missing = credentials_from_env({"TAB_CLIENT_ID": "id", "TAB_CLIENT_SECRET": " "})
    assert creds is None and missing == ["TAB_CLIENT_SECRET"]
    creds, missing = credentials_from_env(
        {"TAB_CLIENT_ID": "id", "TAB_CLIENT_SECRET": "sec", "TAB_USERNAME": "u", "TAB_PASSWORD": "p"}
    )
    assert missing == [] and creds is not None and creds.grant == "password"
    assert creds.form() == {
        "grant_type": "password",
        "client_id": "id",
        "client_secret": "sec",
        "username": "u",
        "password": "p",
    }
    assert repr(creds) == "TabCredentials(grant='password', values hidden)"
    assert placeholder_credentials().form()["grant_type"] == "client_credentials"
    assert TabCredentials(client_id="a", client_secret="b", username="u").grant == "client_credentials"


def test_token_from_json() -> None:
    token = token_from_json({"access_token": "t", "expires_in": "60", "refresh_token": 5}, grant="x", issued_at=0)
    assert token.expires_in == 60 and token.expires_at.timestamp() == 60 and token.refresh_token is None
    assert token.token_type == "Bearer"
    for bad, why in (({}, "no access_token"), ({"access_token": "t", "expires_in": "soon"}, "non-numeric")):
        with pytest.raises(OAuthError, match=why):
            token_from_json(bad, grant="x")
