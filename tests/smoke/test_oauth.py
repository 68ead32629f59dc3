"""OAuth: a token minted through the server outlasts the refresh buffer.

The token tools mint only with the caller's own credentials (the server never lends its ``TAB_*`` ones), so
the test passes its own: the cassettes' placeholders offline, ``TAB_CLIENT_ID``/``TAB_CLIENT_SECRET`` from the
test's environment live. A token with under five minutes left is worth a warning in the run's summary (the
monitor's token job reads it); one that would not outlive TAB_TOKEN_REFRESH_BUFFER fails.
"""

from __future__ import annotations

import os
import warnings
from typing import Any

import pytest

from pytest_tabmcp import TabCredentials, TokenLifetimeWarning
from tests.smoke._support import content

pytestmark = [pytest.mark.anyio, pytest.mark.oauth]  # cassette: cassettes/oauth.yaml
WARN_UNDER_S = 300


async def test_token_lifetime_exceeds_refresh_buffer(
    call_tool: Any, tab_credentials: TabCredentials, record_property: Any
) -> None:
    buffer_s = int(os.environ.get("TAB_TOKEN_REFRESH_BUFFER", "300"))
    own = {"client_id": tab_credentials.client_id, "client_secret": tab_credentials.client_secret}
    token = content(await call_tool("tab_oauth_client_credentials", own))
    assert token["access_token"], "the token response has no access_token"
    assert token["token_type"].lower() == "bearer"
    remaining = float(token["expires_in"])
    record_property("token_remaining_s", remaining)
    if remaining < WARN_UNDER_S:
        warnings.warn(TokenLifetimeWarning(f"the OAuth token expires in {remaining:.0f} s"), stacklevel=1)
    assert remaining > buffer_s, (
        f"the token expires in {remaining:.0f} s, within TAB_TOKEN_REFRESH_BUFFER={buffer_s} s: "
        "the server would refresh on every call"
    )
