"""Server-side OAuth: a token cache per identity and an ``httpx.Auth`` that applies it.

A :class:`TokenManager` holds the token of one identity: the operator's (password grant when
``TAB_USERNAME``/``TAB_PASSWORD`` are set, client_credentials otherwise) or one session's own credentials
(``client.tokens_for``); tokens never cross between identities. Each caches its token and refreshes it
``TAB_TOKEN_REFRESH_BUFFER`` seconds before it expires. Concurrent callers share one in-flight refresh, so the
upstream sees about one OAuth request per token lifetime. A failed grant is remembered per identity
(:mod:`tab_mcp.grant_backoff`): the same credentials are not sent again until the wait is over, and a token
that has not expired yet stays in use meanwhile. A 401 on a request invalidates the token; a GET is then
replayed once with a new one, while a POST is never sent twice (it may place a bet): its 401 is reported, and
the next call gets a fresh token. Without credentials the server calls the info service anonymously, which TAB
allows for public reads.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncGenerator, Awaitable, Callable, Generator
from dataclasses import dataclass, field
from typing import Any

import httpx

from tab_mcp.errors import AuthError, BadResponseError, ConfigError, UpstreamError
from tab_mcp.grant_backoff import GrantBackoff
from tab_mcp.settings import Settings

PostForm = Callable[[dict[str, str]], Awaitable[dict[str, Any]]]
# Request extension naming the TokenManager to use for one request (a session's own credentials).
TOKENS_EXTENSION = "tab_mcp.tokens"


@dataclass(frozen=True)
class Token:
    """An access token and when it expires (``expires_at`` is a Unix time in seconds)."""

    access_token: str = field(repr=False)
    expires_at: float
    token_type: str = "Bearer"  # noqa: S105 - a token type, not a secret
    refresh_token: str | None = field(default=None, repr=False)
    lifetime: float = 0.0

    def expires_in(self, now: float | None = None) -> float:
        """Seconds until the token expires (negative once it has)."""
        return self.expires_at - (time.time() if now is None else now)


def token_from_response(data: dict[str, Any], *, now: float) -> Token:
    """Build a :class:`Token` from an OAuth token response, refusing one without an access token."""
    access = data.get("access_token")
    if not isinstance(access, str) or not access:
        raise BadResponseError("The OAuth token response had no access_token; check TAB_BASE_URL points at TAB's API.")
    try:
        lifetime = float(data.get("expires_in", 0) or 0)
    except (TypeError, ValueError):
        lifetime = 0.0
    refresh = data.get("refresh_token")
    return Token(
        access_token=access,
        expires_at=now + lifetime,
        token_type=str(data.get("token_type") or "Bearer"),
        refresh_token=refresh if isinstance(refresh, str) and refresh else None,
        lifetime=lifetime,
    )


OPERATOR = "operator"  # the identity of the server's own credentials (TAB_* settings)


class TokenManager:
    """Caches one identity's token and refreshes it once, however many callers ask at the same time.

    ``identity`` names whose credentials ``settings`` carry (:data:`OPERATOR`, or a session's digest); a
    shared ``backoff`` remembers failed grants by that name.
    """

    def __init__(
        self,
        settings: Settings,
        post_form: PostForm,
        *,
        clock: Callable[[], float] = time.time,
        identity: str = OPERATOR,
        backoff: GrantBackoff | None = None,
    ) -> None:
        self._settings = settings
        self._post_form = post_form
        self._clock = clock
        self.identity = identity
        self._backoff = backoff if backoff is not None else GrantBackoff(clock=clock)
        self._token: Token | None = None
        self._lock = asyncio.Lock()
        self.oauth_requests = 0
        # Asked on every upstream call; the settings of a manager never change, so decide once.
        self._has_credentials = settings.grant != "none"

    @property
    def has_credentials(self) -> bool:
        """True when the server can obtain a token of its own."""
        return self._has_credentials

    @property
    def cached(self) -> Token | None:
        """The cached token, if any (it may be stale)."""
        return self._token

    def _is_fresh(self, token: Token) -> bool:
        # A token that lives shorter than twice the buffer is refreshed at half its life, so a short-lived
        # token does not turn every call into an OAuth request.
        buffer = min(float(self._settings.token_refresh_buffer), token.lifetime / 2)
        return self._clock() < token.expires_at - buffer

    async def get_token(self) -> Token | None:
        """Return a fresh token, obtaining or refreshing it first when needed; None without credentials."""
        if not self.has_credentials:
            return None
        token = self._token
        if token is not None and self._is_fresh(token):
            return token
        async with self._lock:
            token = self._token  # another caller may have refreshed while we waited
            if token is not None and self._is_fresh(token):
                return token
            try:
                async with self._backoff.attempt(self.identity):
                    self._token = await self._obtain(token)
            except UpstreamError:
                if token is not None and self._clock() < token.expires_at:
                    return token  # an early refresh failed: the current token still works until it expires
                raise
            return self._token

    def invalidate(self, access_token: str) -> None:
        """Drop the cached token if it is still ``access_token`` (a 401 showed it is no longer accepted)."""
        if self._token is not None and self._token.access_token == access_token:
            self._token = None

    async def _obtain(self, previous: Token | None) -> Token:
        if previous is not None and previous.refresh_token:
            try:
                return await self._request(self.refresh_form(previous.refresh_token))
            except AuthError:
                pass  # the refresh token was refused: fall back to a full grant below
        return await self._request(self.grant_form())

    async def _request(self, form: dict[str, str]) -> Token:
        self.oauth_requests += 1
        data = await self._post_form(form)
        return token_from_response(data, now=self._clock())

    def grant_form(self) -> dict[str, str]:
        """The form body of the server's own grant (password when account credentials are set)."""
        s = self._settings
        client_id, client_secret = s.client_id, s.client_secret
        if s.grant == "none" or client_id is None or client_secret is None:
            raise ConfigError(
                "No OAuth credentials are configured: set TAB_CLIENT_ID and TAB_CLIENT_SECRET "
                "(and TAB_USERNAME/TAB_PASSWORD for account data)."
            )
        form = {
            "grant_type": "client_credentials",
            "client_id": client_id.get_secret_value(),
            "client_secret": client_secret.get_secret_value(),
        }
        if s.grant == "password" and s.username is not None and s.password is not None:
            form["grant_type"] = "password"
            form["username"] = s.username.get_secret_value()
            form["password"] = s.password.get_secret_value()
        return form

    def refresh_form(self, refresh_token: str) -> dict[str, str]:
        """The form body of a refresh_token grant with the server's client credentials."""
        form = self.grant_form()
        return {
            "grant_type": "refresh_token",
            "client_id": form["client_id"],
            "client_secret": form["client_secret"],
            "refresh_token": refresh_token,
        }


# Methods safe to send again after a 401; anything else (a POST may place a bet) leaves once.
REPLAYABLE_METHODS = frozenset({"GET", "HEAD"})


class TabAuth(httpx.Auth):
    """Adds the server's bearer token to upstream requests and replays a GET once after a 401."""

    def __init__(self, tokens: TokenManager) -> None:
        self._tokens = tokens

    def sync_auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        """Refuse synchronous use: the token cache is asyncio-only."""
        raise RuntimeError("TabAuth works only with httpx.AsyncClient")
        yield request  # pragma: no cover - makes this a generator

    async def async_auth_flow(self, request: httpx.Request) -> AsyncGenerator[httpx.Request, httpx.Response]:
        """Send ``request`` with the cached token (refreshed first when near expiry); on a 401, replay a GET once.

        A request of any other method is never replayed: the 401 reaches the caller, and the stale token is
        dropped so the next call obtains a fresh one before it is sent.
        """
        if "authorization" in request.headers:
            # The caller passed its own access_token for this call: use it as given, no refresh.
            yield request
            return
        tokens: TokenManager = request.extensions.get(TOKENS_EXTENSION, self._tokens)
        token = await tokens.get_token()
        if token is None:
            yield request
            return
        request.headers["Authorization"] = f"Bearer {token.access_token}"
        response = yield request
        if response.status_code == 401:
            tokens.invalidate(token.access_token)
            if request.method not in REPLAYABLE_METHODS:
                return
            fresh = await tokens.get_token()
            if fresh is not None:
                request.headers["Authorization"] = f"Bearer {fresh.access_token}"
                yield request
