"""Inbound authentication over real HTTP (uvicorn on loopback): static bearer tokens and JWTs from an issuer.

The issuer is a loopback authorization server whose keys the tests generate (tests/helpers/oauth_issuer.py);
the server under test finds its JWKS through its RFC 8414 metadata, exactly as it would a real issuer's.
"""

from __future__ import annotations

import time
from collections.abc import Iterator

import httpx2
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa

from tab_mcp import create_http_app
from tab_mcp.access.jwt_verifier import REFETCH_BURST
from tab_mcp.settings import Settings
from tabmcp_ops import processes
from tests.helpers.loopback_servers import ThreadServer, serve_in_thread, session, shared_http_client, text_of
from tests.helpers.oauth_issuer import LoopbackIssuer, loopback_issuer, unsigned_token

pytestmark = pytest.mark.anyio

HEADERS = {"content-type": "application/json", "accept": "application/json, text/event-stream"}
INITIALIZE = {
    "jsonrpc": "2.0", "id": 1, "method": "initialize",
    "params": {"protocolVersion": "2025-06-18", "capabilities": {}, "clientInfo": {"name": "auth", "version": "1"}},
}  # fmt: skip
AUDIENCE = "https://mcp.example.com/mcp"
METADATA_URL = "https://mcp.example.com/.well-known/oauth-protected-resource/mcp"
SCOPE = "tab:read"
TOKENS = "first-token-0123456789,second-token-0123456789"


async def initialize(url: str, bearer: str | None) -> httpx2.Response:
    """A raw ``initialize`` POST, with ``Authorization: Bearer <bearer>`` when given."""
    headers = dict(HEADERS) | ({"authorization": f"Bearer {bearer}"} if bearer is not None else {})
    async with shared_http_client() as http:
        return await http.post(url, json=INITIALIZE, headers=headers)


@pytest.fixture
def static_server(standin) -> Iterator[ThreadServer]:
    """The real app with two static bearer tokens."""
    settings = Settings(base_url=standin.url, auth_tokens=TOKENS, log_level="WARNING")
    with serve_in_thread(create_http_app(settings)) as server:
        yield server


async def test_static_token_missing_or_wrong_gets_401_and_right_one_200(static_server) -> None:
    missing = await initialize(static_server.url, None)
    wrong = await initialize(static_server.url, "not-a-configured-token")
    right = await initialize(static_server.url, "second-token-0123456789")

    for refused in (missing, wrong):
        assert refused.status_code == 401
        assert refused.headers["www-authenticate"].startswith("Bearer ")
        assert 'error="invalid_token"' in refused.headers["www-authenticate"]
    assert right.status_code == 200 and right.headers.get("mcp-session-id")


async def test_sdk_client_with_a_bearer_calls_tools(static_server) -> None:
    headers = {"Authorization": "Bearer first-token-0123456789"}
    async with shared_http_client(headers=headers) as http, session(static_server.url, http) as client:
        result = await client.call_tool("racing_get_all_meeting_dates", {})
    assert not result.is_error, text_of(result)


@pytest.fixture(scope="module")
def issuer() -> Iterator[LoopbackIssuer]:
    """A loopback authorization server for the module."""
    with loopback_issuer() as issuer:
        yield issuer


def jwt_settings(issuer: LoopbackIssuer) -> Settings:
    """Settings admitting the issuer's JWTs for AUDIENCE with SCOPE."""
    return Settings(auth_issuer=issuer.url, auth_audience=AUDIENCE, auth_scopes=SCOPE, log_level="WARNING")


@pytest.fixture(scope="module")
def jwt_server(issuer) -> Iterator[ThreadServer]:
    """The real app admitting the loopback issuer's JWTs."""
    with serve_in_thread(create_http_app(jwt_settings(issuer))) as server:
        yield server


def token_cases(issuer: LoopbackIssuer) -> dict[str, tuple[str, int]]:
    """Each token case the MCP authorization spec names, with the status the server must answer."""
    valid = issuer.mint(AUDIENCE, scope=f"openid {SCOPE}")
    head, body, signature = valid.split(".")
    tampered_body = body[:-2] + ("AA" if body[-2:] != "AA" else "BB")
    stranger = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return {
        "valid": (valid, 200),
        "valid, scp list": (issuer.mint(AUDIENCE, scp=[SCOPE]), 200),
        "expired": (issuer.mint(AUDIENCE, scope=SCOPE, lifetime=-300), 401),
        "not yet valid": (issuer.mint(AUDIENCE, scope=SCOPE, nbf=int(time.time()) + 600), 401),
        "wrong audience": (issuer.mint("https://other.example.com/mcp", scope=SCOPE), 401),
        "wrong issuer": (issuer.mint(AUDIENCE, scope=SCOPE, iss="https://evil.example.com"), 401),
        "unknown key": (issuer.mint(AUDIENCE, scope=SCOPE, kid="no-such-key", key=stranger), 401),
        "right kid, wrong key": (issuer.mint(AUDIENCE, scope=SCOPE, key=stranger), 401),
        "missing scope": (issuer.mint(AUDIENCE, scope="openid"), 403),
        "tampered signature": (f"{head}.{body}.{signature[::-1]}", 401),
        "tampered claims": (f"{head}.{tampered_body}.{signature}", 401),
        "alg none": (unsigned_token({"iss": issuer.url, "aud": AUDIENCE, "sub": "alice", "scope": SCOPE}), 401),
        "not a JWT": ("definitely-not-a-jwt", 401),
    }


async def test_jwt_cases_get_the_status_the_spec_asks(issuer, jwt_server) -> None:
    answers = {name: await initialize(jwt_server.url, token) for name, (token, _) in token_cases(issuer).items()}

    statuses = {name: answer.status_code for name, answer in answers.items()}
    assert statuses == {name: status for name, (_, status) in token_cases(issuer).items()}
    for name, answer in answers.items():
        if answer.status_code in (401, 403):
            assert f'resource_metadata="{METADATA_URL}"' in answer.headers["www-authenticate"], name
    assert 'error="insufficient_scope"' in answers["missing scope"].headers["www-authenticate"]


async def test_protected_resource_metadata_names_the_issuer(issuer, jwt_server) -> None:
    async with shared_http_client() as http:
        response = await http.get(f"{jwt_server.base}/.well-known/oauth-protected-resource/mcp")
    assert response.status_code == 200
    body = response.json()
    assert body["resource"] == AUDIENCE
    assert [url.rstrip("/") for url in body["authorization_servers"]] == [issuer.url]
    assert body["scopes_supported"] == [SCOPE]


async def test_key_rotation_is_picked_up_and_unknown_kids_refetch_a_bounded_number_of_times(issuer) -> None:
    with serve_in_thread(create_http_app(jwt_settings(issuer))) as server:
        old = issuer.mint(AUDIENCE, scope=SCOPE)
        before_rotation = await initialize(server.url, old)
        fetches = issuer.jwks_fetches
        issuer.rotate()
        after_rotation = await initialize(server.url, issuer.mint(AUDIENCE, scope=SCOPE))
        refetched = issuer.jwks_fetches - fetches
        old_after_rotation = await initialize(server.url, old)
        made_up = [await initialize(server.url, issuer.mint(AUDIENCE, scope=SCOPE, kid=f"k{n}")) for n in range(10)]

    assert before_rotation.status_code == 200
    assert after_rotation.status_code == 200 and refetched == 1, "the new key id must trigger one refetch"
    assert old_after_rotation.status_code == 401, "a key the issuer dropped must no longer verify"
    assert {answer.status_code for answer in made_up} == {401}
    assert issuer.jwks_fetches - fetches <= REFETCH_BURST, "made-up key ids must not refetch without bound"


UNSAFE_START_BOUND_S = 20.0  # the interpreter and imports on a loaded 2-core machine; a listening server never exits


def test_public_start_with_account_credentials_and_no_auth_exits_before_listening(tmp_path) -> None:
    port = processes.free_port()
    env = processes.server_env("http://127.0.0.1:1", username="12345678", password="unsafe-password-xyz")
    cmd = [processes.bin_path("tab-mcp"), "serve", "--transport", "http", "--host", "0.0.0.0", "--port", str(port)]  # noqa: S104
    proc = processes.start("unsafe-start", cmd, log_dir=tmp_path, env=env)
    started = time.monotonic()
    try:
        code = proc.popen.wait(timeout=UNSAFE_START_BOUND_S)
    finally:
        processes.stop(proc)
    elapsed = time.monotonic() - started
    log = proc.log.read_text()

    assert code == 2, log
    assert elapsed < UNSAFE_START_BOUND_S
    assert "Refusing to serve HTTP on 0.0.0.0 with TAB_USERNAME/TAB_PASSWORD" in log and "TAB_AUTH_TOKENS" in log
    assert "unsafe-password-xyz" not in log and "12345678" not in log
    assert "serving streamable HTTP" not in log and "Traceback" not in log
