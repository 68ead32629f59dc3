"""OAuth: the three grant tools, called with explicit credentials, return tokens that outlast the refresh buffer.

The credentials are passed as arguments (the token tools never hand out the server's own): the suite's own
``tab_credentials``, which are the cassettes' and the stand-in's placeholders offline and under ``make smoke-live``
(the stand-in accepts any), and the ``TAB_*`` credentials of a live run. The password grant needs an account:
``TAB_USERNAME``/``TAB_PASSWORD`` (placeholders under ``make smoke-live``), the cassettes' placeholder account offline.
Live without the caller's own credentials, the ``oauth`` and ``account`` markers exclude these tests visibly (the
monitor lists them and does not count them as skips).

``make smoke-live``'s stand-in varies each token's lifetime, so ``expires_in`` and ``expires_at`` are checked against
each other and the clock, not against a constant. A token with under five minutes left is worth a warning in the
run's summary (the monitor's token job reads it); one that would not outlive TAB_TOKEN_REFRESH_BUFFER fails.
"""

from __future__ import annotations

import os
import time
import warnings
from typing import Any

import pytest

from pytest_tabmcp import TokenLifetimeWarning
from pytest_tabmcp._cassettes import placeholder
from tests.smoke._support import content

pytestmark = [pytest.mark.anyio, pytest.mark.oauth]  # cassette: cassettes/oauth.yaml
WARN_UNDER_S = 300
CLOCK_SLACK_S = 30  # the call's own duration and clock granularity, generous for a loaded machine


def check_lifetime(token: dict[str, Any], grant: str) -> float:
    """Assert a token's type and lifetime; return its ``expires_in``."""
    assert token["access_token"], f"the {grant} token has no access_token"
    assert token["token_type"].lower() == "bearer", token["token_type"]
    remaining = float(token["expires_in"])
    buffer_s = int(os.environ.get("TAB_TOKEN_REFRESH_BUFFER", "300"))
    assert remaining > buffer_s, (
        f"the {grant} token expires in {remaining:.0f} s, within TAB_TOKEN_REFRESH_BUFFER={buffer_s} s: "
        "the server would refresh on every call"
    )
    # expires_at is the tool's own arithmetic on this token's lifetime, whatever that lifetime is.
    assert abs(token["expires_at"] - (time.time() + remaining)) <= CLOCK_SLACK_S, (
        f"the {grant} token's expires_at is not now + expires_in ({remaining:.0f} s)"
    )
    return remaining


async def test_client_credentials_token_outlasts_the_refresh_buffer(
    call_tool: Any, tab_credentials: Any, record_property: Any
) -> None:
    client = {"client_id": tab_credentials.client_id, "client_secret": tab_credentials.client_secret}
    remaining = check_lifetime(content(await call_tool("tab_oauth_client_credentials", client)), "client_credentials")
    record_property("token_remaining_s", remaining)
    if remaining < WARN_UNDER_S:
        warnings.warn(TokenLifetimeWarning(f"the OAuth token expires in {remaining:.0f} s"), stacklevel=1)


def _account(credentials: Any) -> dict[str, str]:
    """The password grant's account: ``TAB_USERNAME``/``TAB_PASSWORD`` when set, else the cassettes' placeholders.

    Live or recording without them, the ``account`` marker has already excluded the test, visibly.
    """
    if credentials.username and credentials.password:
        return {"username": credentials.username, "password": credentials.password}
    return {"username": placeholder("username"), "password": placeholder("password")}


@pytest.mark.account
async def test_password_grant_then_refresh(call_tool: Any, tab_credentials: Any) -> None:
    client = {"client_id": tab_credentials.client_id, "client_secret": tab_credentials.client_secret}
    granted = content(await call_tool("tab_oauth_password_grant", {**client, **_account(tab_credentials)}))
    check_lifetime(granted, "password")
    assert granted["refresh_token"], "the password grant returned no refresh_token"
    refreshed = content(await call_tool("tab_oauth_refresh", {**client, "refresh_token": granted["refresh_token"]}))
    # Not compared with the first token: a recording scrubs every token to the same placeholder.
    check_lifetime(refreshed, "refresh_token")
