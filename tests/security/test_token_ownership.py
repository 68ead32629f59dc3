"""No tool call by any caller returns a token minted with the operator's credentials.

The server is configured with the operator's client *and* account (``TAB_CLIENT_ID``/``SECRET``,
``TAB_USERNAME``/``PASSWORD``). Every token tool is called with no arguments, with every partial set of its
credentials, and with a complete foreign (the caller's own) set, by every kind of caller: in memory (stdio's
shape), and over HTTP by a session without config, one with only a jurisdiction, one bringing only an account
(which data calls sign in with the server's *application* client, but token tools must not), and one bringing
its own complete credentials. The upstream records every grant and mints a marked token whenever an operator
value is in it; every result is checked, and so is every form the upstream received.
"""

from __future__ import annotations

import itertools
from typing import Any

import httpx
import pytest
from mcp import Client

from tab_mcp import create_server
from tab_mcp.settings import Settings
from tests.helpers.asgi_sessions import asgi_app, result_text, session_opener
from tests.helpers.fake_upstream import FakeUpstream

pytestmark = pytest.mark.anyio
OPERATOR_VALUES = {
    "client_id": "operator-client-id",
    "client_secret": "operator-client-secret",
    "username": "operator-account",
    "password": "operator-password",
}
OPERATOR_SETTINGS = Settings(
    client_id=OPERATOR_VALUES["client_id"],
    client_secret=OPERATOR_VALUES["client_secret"],
    username=OPERATOR_VALUES["username"],
    password=OPERATOR_VALUES["password"],
)
OPERATOR_MINTED = "OPERATOR-MINTED"
FOREIGN = {
    "client_id": "caller-client-id",
    "client_secret": "caller-client-secret",
    "username": "caller-account",
    "password": "caller-password",
    "refresh_token": "caller-refresh-token",
}
SESSION_OWN = {
    "client_id": "session-client",
    "client_secret": "session-secret",
    "username": "s-acct",
    "password": "s-pw",
}
REQUIRED = {
    "tab_oauth_password_grant": ("client_id", "client_secret", "username", "password"),
    "tab_oauth_refresh": ("refresh_token", "client_id", "client_secret"),
    "tab_oauth_client_credentials": ("client_id", "client_secret"),
}
SESSIONS = {
    "no config": "",
    "jurisdiction only": "jurisdiction=VIC",
    "account only": "username=s-acct&password=s-pw",
    "own credentials": "clientId=session-client&clientSecret=session-secret&username=s-acct&password=s-pw",
}


def argument_sets(tool: str) -> list[dict[str, str]]:
    """No arguments, every partial set of the tool's credentials, and the complete foreign set."""
    names = REQUIRED[tool]
    subsets = [c for size in range(len(names) + 1) for c in itertools.combinations(names, size)]
    return [{name: FOREIGN[name] for name in subset} for subset in subsets]


def minting_upstream() -> FakeUpstream:
    upstream = FakeUpstream()

    def answer(request: httpx.Request) -> httpx.Response:
        form = upstream.form(request)
        upstream.issued += 1
        marked = any(value in form.values() for value in OPERATOR_VALUES.values())
        token = f"{OPERATOR_MINTED}-{upstream.issued}" if marked else f"caller-token-{upstream.issued}"
        return httpx.Response(200, json={"access_token": token, "expires_in": 10800, "refresh_token": f"r-{token}"})

    upstream.route("/oauth/token", answer)
    return upstream


def check(caller: str, tool: str, arguments: dict[str, str], result: Any, session: dict[str, str]) -> list[str]:
    """What is wrong with one result: a token from the operator, or neither a caller's token nor the sentence."""
    text = result_text(result) + str(result.structured_content or "")
    where = f"{caller} / {tool}({sorted(arguments)})"
    if OPERATOR_MINTED in text or any(value in text for value in OPERATOR_VALUES.values()):
        return [f"{where}: returned the operator's token or credentials: {text[:200]}"]
    supplied = {**session, **arguments}
    complete = all(supplied.get(name) for name in REQUIRED[tool])
    if complete and (result.is_error or "caller-token-" not in text):
        return [f"{where}: the caller's own complete credentials should mint a token: {text[:200]}"]
    if not complete and not (result.is_error and "the server never lends its own credentials" in text):
        return [f"{where}: a partial set should get the sentence naming what to pass: {text[:200]}"]
    return []


def operator_forms(upstream: FakeUpstream) -> list[dict[str, str]]:
    """Grants the upstream received that carry any operator value."""
    forms = [upstream.form(r) for r in upstream.oauth_requests]
    return [f for f in forms if set(f.values()) & set(OPERATOR_VALUES.values())]


async def test_in_memory_callers_never_get_a_token_minted_with_the_operator_credentials() -> None:
    upstream = minting_upstream()
    problems, calls = [], 0
    async with Client(create_server(OPERATOR_SETTINGS, transport=upstream.transport)) as client:
        for tool in REQUIRED:
            for arguments in argument_sets(tool):
                result = await client.call_tool(tool, arguments)
                problems += check("in memory", tool, arguments, result, {})
                calls += 1
    assert calls == 16 + 8 + 4
    assert problems == [], problems
    assert operator_forms(upstream) == []
    assert len(upstream.oauth_requests) == 3, "only the three complete foreign sets reached the upstream"


@pytest.mark.parametrize("caller", list(SESSIONS))
async def test_http_sessions_never_get_a_token_minted_with_the_operator_credentials(caller: str) -> None:
    upstream = minting_upstream()
    session = {
        "own credentials": SESSION_OWN,
        "account only": {"username": SESSION_OWN["username"], "password": SESSION_OWN["password"]},
    }.get(caller, {})
    problems = []
    async with asgi_app(OPERATOR_SETTINGS, upstream.transport) as app, session_opener(app) as open_session:
        async with open_session(SESSIONS[caller]) as client:
            for tool in REQUIRED:
                for arguments in argument_sets(tool):
                    result = await client.call_tool(tool, arguments)
                    problems += check(caller, tool, arguments, result, session)
    assert problems == [], problems
    assert operator_forms(upstream) == []
    for form in (upstream.form(r) for r in upstream.oauth_requests):
        assert set(form.values()) <= {form["grant_type"], *FOREIGN.values(), *SESSION_OWN.values()}, form
