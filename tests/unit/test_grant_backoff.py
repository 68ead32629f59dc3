"""Failed grants are remembered per identity: the same credentials are not sent again before their wait is over."""

from __future__ import annotations

import anyio
import httpx
import pytest

from tab_mcp.client import TabClient, build_http_client
from tab_mcp.errors import AuthError, UpstreamError, UpstreamUnavailableError
from tab_mcp.grant_backoff import (
    FIRST_WAIT_S,
    REFUSED_CAP_S,
    TRANSIENT_CAP_S,
    GrantBackoff,
    credentials_digest,
    wait_after,
)
from tab_mcp.settings import Settings
from tests.helpers.asgi_sessions import asgi_app
from tests.helpers.fake_upstream import json_response

pytestmark = pytest.mark.anyio
REFUSED = json_response(400, {"error": "invalid_grant", "error_description": "bad password"})
DOWN = json_response(503, {"error": "temporarily_unavailable", "error_description": "maintenance"})


class Clock:
    def __init__(self, now: float = 1_000_000.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


def refused() -> AuthError:
    return AuthError("The grant was refused: invalid_grant.", status=400, code="invalid_grant")


def test_waits_start_at_30_s_and_double_to_a_cap() -> None:
    assert [wait_after(refused(), n) for n in range(1, 8)] == [30, 60, 120, 240, 480, 900, 900]
    down = UpstreamUnavailableError("TAB is down.", status=503, retryable=True)
    assert [wait_after(down, n) for n in range(1, 5)] == [30, 60, 120, 120]
    assert FIRST_WAIT_S == 30 and TRANSIENT_CAP_S < REFUSED_CAP_S
    assert wait_after(refused(), 1000) == REFUSED_CAP_S  # no overflow however many failures
    throttled = UpstreamError("Throttled.", status=429, retry_after=100.0)
    assert wait_after(throttled, 1) == 100  # Retry-After is a floor
    assert wait_after(UpstreamError("Throttled.", status=429, retry_after=1e9), 1) == REFUSED_CAP_S


async def test_a_failed_identity_fails_at_once_until_its_wait_is_over() -> None:
    clock = Clock()
    backoff = GrantBackoff(clock=clock)
    sent = 0

    async def grant(fail: bool) -> None:
        nonlocal sent
        async with backoff.attempt("session:a"):
            sent += 1
            if fail:
                raise refused()

    with pytest.raises(AuthError) as first:
        await grant(fail=True)
    assert "invalid_grant; the server will not send these credentials again for 30 s." in first.value.message
    clock.now += 29
    with pytest.raises(AuthError) as cached:
        await grant(fail=False)
    assert cached.value.message.endswith("again for 1 s.") and not cached.value.retryable
    async with backoff.attempt("session:b"):  # another identity is not affected
        pass
    assert sent == 1 and backoff.waiting("session:a") == pytest.approx(1)
    clock.now += 2
    with pytest.raises(AuthError, match="again for 60 s"):  # the second failure in a row waits twice as long
        await grant(fail=True)
    clock.now += 61
    await grant(fail=False)  # a success forgets the failures
    assert sent == 3 and backoff.waiting("session:a") == 0 and len(backoff) == 0


async def test_transient_failures_are_remembered_too_but_never_retryable() -> None:
    backoff = GrantBackoff(clock=Clock())
    with pytest.raises(UpstreamUnavailableError) as info:
        async with backoff.attempt("operator"):
            raise UpstreamUnavailableError("TAB is down; try again shortly.", status=503, retryable=True)
    assert info.value.retryable is False and info.value.retry_after == 30 and info.value.status == 503
    assert (
        info.value.message
        == "TAB is down; try again shortly; the server will not send these credentials again for 30 s."
    )


async def test_concurrent_attempts_for_one_identity_send_one_grant() -> None:
    backoff = GrantBackoff(clock=Clock())
    sent, errors = 0, []

    async def grant() -> None:
        nonlocal sent
        try:
            async with backoff.attempt("call:x"):
                sent += 1
                await anyio.sleep(0.01)
                raise refused()
        except AuthError as exc:
            errors.append(exc.message)

    async with anyio.create_task_group() as tg:
        for _ in range(8):
            tg.start_soon(grant)
    assert sent == 1 and len(errors) == 8
    assert all("invalid_grant" in e for e in errors)


async def test_memory_is_bounded_least_recently_failed_first() -> None:
    backoff = GrantBackoff(clock=Clock(), max_remembered=3)
    for name in "abcde":
        with pytest.raises(AuthError):
            async with backoff.attempt(name):
                raise refused()
    assert len(backoff) == 3
    assert [backoff.waiting(n) > 0 for n in "abcde"] == [False, False, True, True, True]


def test_credentials_digest_names_a_set_without_holding_it() -> None:
    form = {"client_id": "c", "password": "hunter2-secret"}
    digest = credentials_digest(form)
    assert digest == credentials_digest(dict(reversed(list(form.items()))))
    assert digest != credentials_digest({**form, "password": "other"}) and "hunter2" not in digest


async def test_the_operator_identity_sends_one_refused_grant_per_wait(upstream) -> None:
    upstream.route("/oauth/token", REFUSED)
    clock = Clock()
    settings = Settings(client_id="c", client_secret="s", username="u", password="wrong")
    async with build_http_client(settings, transport=upstream.transport) as http:
        client = TabClient(http, settings, clock=clock)
        for _ in range(8):
            with pytest.raises(AuthError, match="invalid_grant: bad password"):
                await client.tokens.get_token()
        assert len(upstream.oauth_requests) == 1
        clock.now += FIRST_WAIT_S + 1
        with pytest.raises(AuthError, match="again for 60 s"):
            await client.tokens.get_token()
        assert len(upstream.oauth_requests) == 2


async def test_a_failed_early_refresh_keeps_the_current_token_until_it_expires(upstream) -> None:
    clock = Clock()
    answers = [json_response(200, {"access_token": "t1", "expires_in": 1000}), DOWN]
    upstream.route("/oauth/token", *answers)
    settings = Settings(client_id="c", client_secret="s", token_refresh_buffer=300)
    async with build_http_client(settings, transport=upstream.transport) as http:
        client = TabClient(http, settings, clock=clock)
        first = await client.tokens.get_token()
        clock.now += 800  # inside the refresh buffer, 200 s before expiry
        kept = [await client.tokens.get_token() for _ in range(5)]
        assert all(token is first for token in kept), "the still-valid token serves while the refresh waits"
        assert len(upstream.oauth_requests) == 2, "one failed refresh, then the wait"
        clock.now += 250  # expired, and the 30 s wait is over: a new grant, which fails again
        with pytest.raises(UpstreamUnavailableError, match="returned 503 for the server's OAuth token request"):
            await client.tokens.get_token()
        assert len(upstream.oauth_requests) == 3


async def test_readyz_triggers_at_most_one_grant_per_wait(upstream) -> None:
    upstream.route("/oauth/token", REFUSED)
    settings = Settings(client_id="c", client_secret="s", username="u", password="wrong")
    async with asgi_app(settings, upstream.transport) as app:
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://127.0.0.1") as http:
            statuses = [(await http.get("/readyz")).status_code for _ in range(6)]
    assert statuses == [503] * 6
    assert len(upstream.oauth_requests) == 1
