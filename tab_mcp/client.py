"""``TabClient``: every upstream request goes through here.

One pooled ``httpx.AsyncClient`` per server process (opened by the server lifespan, transport injectable).
GETs are retried on 429/502/503/504, connection failures, resets, timeouts and empty bodies, with jittered
exponential backoff that honours ``Retry-After`` and stops at ``TAB_RETRY_MAX_SECONDS``. A POST leaves once:
never retried, never replayed after a 401, and a failure after it was sent says its outcome is unknown. Bodies
are read with a size bound, and every failure becomes one :mod:`tab_mcp.errors` sentence.
"""

from __future__ import annotations

import asyncio
import functools
import json
import logging
import random
import ssl
import time
from collections import OrderedDict
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass
from email.utils import parsedate_to_datetime
from typing import Any

import httpx
from pydantic import SecretStr

from tab_mcp import __version__
from tab_mcp.auth import TOKENS_EXTENSION, TabAuth, TokenManager
from tab_mcp.errors import (
    AuthError,
    BadResponseError,
    InputError,
    TabError,
    UpstreamError,
    UpstreamUnavailableError,
    error_for_status,
)
from tab_mcp.grant_backoff import GrantBackoff, credentials_digest
from tab_mcp.paths import OAUTH_PATH, path_template
from tab_mcp.session_config import SessionConfig
from tab_mcp.settings import Settings
from tab_mcp.telemetry.instruments import note_response, token_grant_span, upstream_span
from tab_mcp.upstream_transport import AiohttpUpstreamTransport

logger = logging.getLogger("tab_mcp.client")

MAX_RETRIES = 3
MAX_SESSION_TOKEN_CACHES = 256
_CREDENTIAL_FIELDS = ("client_id", "client_secret", "username", "password")
BACKOFF_BASE = 0.25
BACKOFF_CAP = 4.0
KEEPALIVE_EXPIRY_S = 30.0
USER_AGENT = f"tab-mcp/{__version__} (+https://github.com/tab-mcp)"
QueryParams = Sequence[tuple[str, str]] | Mapping[str, str]


@dataclass(frozen=True)
class UpstreamDocument:
    """An upstream JSON answer: the parsed value and the exact text it was parsed from."""

    data: Any
    text: str


def retry_after_seconds(value: str | None, *, now: float | None = None) -> float | None:
    """Parse a ``Retry-After`` header given in seconds or as an HTTP-date; None when absent or unreadable."""
    if not value:
        return None
    value = value.strip()
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when is None:
        return None
    return max(0.0, when.timestamp() - (time.time() if now is None else now))


@functools.cache
def shared_ssl_context() -> ssl.SSLContext:
    """One verifying TLS context for every upstream client in the process.

    Building a context loads the CA bundle (about 40 ms); each in-memory MCP connection opens a client in its
    lifespan, so sharing the (read-only) context keeps connecting cheap.
    """
    return httpx.create_ssl_context()


def build_http_client(settings: Settings, *, transport: httpx.AsyncBaseTransport | None = None) -> httpx.AsyncClient:
    """Create the pooled upstream client (no auth attached yet; :class:`TabClient` adds it).

    The default transport is aiohttp's connection pool behind the httpx API (:mod:`tab_mcp.upstream_transport`,
    chosen by the benchmark); ``transport`` replaces it (tests inject ``httpx.MockTransport``).
    """
    # Every connection stays alive until it has been idle for the expiry, so a burst reconnects nothing; the
    # cap bounds what the server opens to the upstream (calls beyond it wait in the pool's queue).
    limits = httpx.Limits(
        max_connections=settings.max_connections,
        max_keepalive_connections=settings.max_connections,
        keepalive_expiry=KEEPALIVE_EXPIRY_S,
    )
    if transport is None:
        transport = AiohttpUpstreamTransport(limits=limits, ssl_context=shared_ssl_context())
    return CookielessClient(
        base_url=settings.base_url,
        transport=transport,
        timeout=httpx.Timeout(settings.api_timeout),
        headers={"User-Agent": USER_AGENT, "Accept": "application/json, text/plain, */*"},
        follow_redirects=False,  # a redirect could carry the bearer token to another host
        trust_env=False,  # proxies come from the operator's deployment, never from a stray env var
    )


class _NoCookies(httpx.Cookies):
    """A cookie store that never stores anything (so it is always empty and adds no Cookie header)."""

    def extract_cookies(self, response: httpx.Response) -> None:
        """Keep none of the response's cookies."""


class CookielessClient(httpx.AsyncClient):
    """``httpx.AsyncClient`` without cookie persistence.

    One pooled client serves every caller: a cookie TAB set on one caller's response would otherwise ride on
    every later request, whoever makes it. TAB's API authenticates with bearer tokens, so no cookie is needed,
    and not parsing each response for ``Set-Cookie`` also saves work on every call.
    """

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._no_cookies = _NoCookies()

    @property
    def cookies(self) -> httpx.Cookies:
        """Always empty: this client keeps no cookies."""
        return self._no_cookies

    @cookies.setter
    def cookies(self, _cookies: Any) -> None:
        # httpx's own __init__ assigns its cookie store; there is nothing to keep.
        pass


class TabClient:
    """Calls the Tabcorp API with retries, bounded reads and one error vocabulary."""

    def __init__(
        self,
        http: httpx.AsyncClient,
        settings: Settings,
        *,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self._http = http
        self._settings = settings
        self._sleep = sleep
        self._clock = clock
        # One memory of failed grants for every identity: the operator's, each session's, each call's.
        self.backoff = GrantBackoff(clock=clock)
        self.tokens = TokenManager(settings, self._post_oauth_form, clock=clock, backoff=self.backoff)
        self._session_tokens: OrderedDict[str, TokenManager] = OrderedDict()
        http.auth = TabAuth(self.tokens)

    def tokens_for(self, session: SessionConfig | None) -> TokenManager:
        """The token cache of a session's own identity, or the operator's when the session brings no credential.

        A session's account is signed in with the session's client, else the server's application client,
        never with the server's account (:meth:`SessionConfig.credentials`); half a pair raises ``InputError``.
        Session caches are keyed by a digest of the credentials and bounded (least recently used go first).
        """
        app_client = None
        if self._settings.client_id is not None and self._settings.client_secret is not None:
            app_client = (self._settings.client_id.get_secret_value(), self._settings.client_secret.get_secret_value())
        credentials = None if session is None else session.credentials(app_client)
        if credentials is None:
            return self.tokens
        key = f"session:{credentials_digest(credentials)}"
        manager = self._session_tokens.get(key)
        if manager is not None:
            self._session_tokens.move_to_end(key)
            return manager
        # Every credential field is set from the session's identity, so nothing of the operator's account remains.
        update = {name: SecretStr(value) if (value := credentials.get(name)) else None for name in _CREDENTIAL_FIELDS}
        manager = TokenManager(
            self._settings.model_copy(update=update),
            self._post_session_form,
            clock=self._clock,
            identity=key,
            backoff=self.backoff,
        )
        self._session_tokens[key] = manager
        if len(self._session_tokens) > MAX_SESSION_TOKEN_CACHES:
            self._session_tokens.popitem(last=False)
        return manager

    async def caller_grant(self, form: dict[str, str], *, what: str) -> dict[str, Any]:
        """POST a grant made of a caller's own credentials (a token tool's call): the call's identity.

        Its failures are remembered by the credentials' digest, so a wrong password is not sent again at once.
        """
        async with self.backoff.attempt(f"call:{credentials_digest(form)}"):
            return await self.oauth(form, what=what)

    @property
    def settings(self) -> Settings:
        """The settings this client was built with."""
        return self._settings

    async def aclose(self) -> None:
        """Close the pooled connections."""
        await self._http.aclose()

    async def get(
        self, path: str, params: QueryParams | None = None, *, access_token: str | None = None, what: str
    ) -> Any:
        """GET ``path`` and return its parsed JSON, retrying transient failures within the retry budget."""
        return (await self.get_document(path, params, access_token=access_token, what=what)).data

    async def get_document(
        self,
        path: str,
        params: QueryParams | None = None,
        *,
        access_token: str | None = None,
        what: str,
        tokens: TokenManager | None = None,
    ) -> UpstreamDocument:
        """GET ``path`` and return its JSON with its text, retrying transient failures within the retry budget."""
        deadline = time.monotonic() + self._settings.retry_max_seconds
        attempt = 0
        with upstream_span("GET", path_template(path)) as span:
            while True:
                try:
                    return await self._send(
                        "GET", path, params=params, access_token=access_token, what=what, tokens=tokens
                    )
                except UpstreamError as exc:
                    if not exc.retryable or attempt >= MAX_RETRIES:
                        raise
                    delay = self._backoff(attempt, exc.retry_after)
                    if time.monotonic() + delay > deadline:
                        raise
                    attempt += 1
                    span.set_attribute("http.request.resend_count", attempt)
                    logger.info("retrying %s after %.2fs (attempt %d): %s", what, delay, attempt, exc.message)
                    await self._sleep(delay)

    async def post(
        self,
        path: str,
        body: Any,
        *,
        access_token: str | None = None,
        what: str,
        tokens: TokenManager | None = None,
    ) -> UpstreamDocument:
        """POST JSON to ``path`` once and return the JSON answer.

        It may place a bet, so it is never retried nor replayed after a 401 (the token is refreshed before
        sending when near expiry instead). A 401 says the request was not sent again; a timeout or reset after
        the request left says its outcome is unknown, so the caller checks the account before any retry.
        """
        try:
            with upstream_span("POST", path_template(path)):
                return await self._send(
                    "POST", path, json_body=body, access_token=access_token, what=what, tokens=tokens
                )
        except AuthError as exc:
            if exc.status != 401:
                raise
            raise AuthError(
                exc.message.rstrip(".") + f"; {what} was refused, so nothing was placed, and it was not sent again.",
                status=exc.status,
                code=exc.code,
            ) from None

    async def oauth(self, form: dict[str, str], *, what: str = "the OAuth token request") -> dict[str, Any]:
        """POST a form to ``/oauth/token`` without the server's own token; 4xx answers become AuthError."""
        try:
            with token_grant_span(form.get("grant_type", "unknown")), upstream_span("POST", OAUTH_PATH):
                data = (await self._send("POST", OAUTH_PATH, form=form, what=what, anonymous=True)).data
        except UpstreamError as exc:
            if exc.status is not None and 400 <= exc.status < 500 and exc.status != 429:
                raise AuthError(
                    exc.message.rstrip(".") + "; check the client id, secret and account credentials.",
                    status=exc.status,
                    code=exc.code,
                ) from None
            raise
        if not isinstance(data, dict):
            raise BadResponseError(f"The OAuth endpoint answered {what} with JSON that is not an object.")
        return data

    async def _post_oauth_form(self, form: dict[str, str]) -> dict[str, Any]:
        return await self.oauth(form, what="the server's OAuth token request")

    async def _post_session_form(self, form: dict[str, str]) -> dict[str, Any]:
        return await self.oauth(form, what="this session's OAuth token request")

    def _backoff(self, attempt: int, retry_after: float | None) -> float:
        # Full jitter keeps many clients from retrying in lockstep; Retry-After is a floor, not a suggestion.
        # The random numbers only spread retries out, so a non-cryptographic generator is right here.
        delay: float = random.uniform(0.5, 1.0) * min(BACKOFF_CAP, BACKOFF_BASE * 2**attempt)  # noqa: S311  # nosec B311
        return max(delay, retry_after or 0.0)

    async def _send(
        self,
        method: str,
        path: str,
        *,
        what: str,
        params: QueryParams | None = None,
        json_body: Any = None,
        form: dict[str, str] | None = None,
        access_token: str | None = None,
        anonymous: bool = False,
        tokens: TokenManager | None = None,
    ) -> UpstreamDocument:
        headers: dict[str, str] = {}
        if access_token is not None:
            headers["Authorization"] = f"Bearer {_checked_token(access_token)}"
        kwargs: dict[str, Any] = {"params": params, "headers": headers}
        if json_body is not None:
            kwargs["json"] = json_body
        if form is not None:
            kwargs["data"] = form
        if anonymous:
            kwargs["auth"] = None
        elif tokens is not None and tokens is not self.tokens:
            kwargs["extensions"] = {TOKENS_EXTENSION: tokens}
        started = time.perf_counter()
        try:
            async with self._http.stream(method, path, **kwargs) as response:
                body = await self._read_bounded(response, what=what)
        except TabError:
            raise
        except httpx.HTTPError as exc:
            raise _transport_error(
                exc, what=what, timeout=self._settings.api_timeout, method=method, anonymous=anonymous
            ) from None
        retryable_io = method == "GET"
        logger.debug(
            "%s %s -> %s in %.1f ms", method, path, response.status_code, (time.perf_counter() - started) * 1e3
        )
        note_response(response.status_code, len(body))
        data = _decode(response, body, what=what, retryable=retryable_io)
        return UpstreamDocument(data=data, text=body.decode("utf-8", "replace"))

    async def _read_bounded(self, response: httpx.Response, *, what: str) -> bytes:
        limit = self._settings.max_response_bytes
        declared = response.headers.get("content-length")
        if declared and declared.isdigit() and int(declared) > limit:
            raise BadResponseError(_too_big(what, int(declared), limit), status=response.status_code)
        chunks: list[bytes] = []
        total = 0
        async for chunk in response.aiter_bytes():
            total += len(chunk)
            if total > limit:
                raise BadResponseError(_too_big(what, total, limit), status=response.status_code)
            chunks.append(chunk)
        return b"".join(chunks)


def _transport_error(
    exc: httpx.HTTPError, *, what: str, timeout: float, method: str, anonymous: bool
) -> UpstreamUnavailableError:
    """One sentence for a request that got no answer; a GET may be retried, a POST may have been carried out."""
    not_sent = isinstance(exc, (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout))
    if method == "POST" and not anonymous and not not_sent:
        # The body may have reached TAB before the answer was lost: another send could place a second bet.
        failure = "did not answer" if isinstance(exc, httpx.TimeoutException) else "dropped the connection"
        return UpstreamUnavailableError(
            f"The outcome of {what} is unknown: the Tabcorp API {failure} after the request was sent, so it may "
            "have been carried out (a bet may be placed); check the account's pending bets and transactions "
            "before any retry."
        )
    retryable = method == "GET"
    if isinstance(exc, httpx.TimeoutException) and not not_sent:
        message = (
            f"The Tabcorp API did not answer {what} within {timeout:g} s; try again shortly, or raise TAB_API_TIMEOUT."
        )
    elif not_sent:
        message = (
            f"Could not connect to the Tabcorp API for {what}: the connection was refused, timed out or the host is "
            "unreachable, so nothing was sent; check TAB_BASE_URL and the network, then try again."
        )
    elif isinstance(exc, (httpx.RemoteProtocolError, httpx.ReadError, httpx.WriteError, httpx.NetworkError)):
        message = f"The connection to the Tabcorp API was reset while handling {what}; try again shortly."
    else:
        message = f"The request to the Tabcorp API for {what} failed ({type(exc).__name__}); try again shortly."
        retryable = False
    return UpstreamUnavailableError(message, retryable=retryable)


def _too_big(what: str, size: int, limit: int) -> str:
    return (
        f"The Tabcorp API answered {what} with more than {limit} bytes ({size} read), which the server refuses to "
        "buffer; narrow the request, or raise TAB_MAX_RESPONSE_BYTES."
    )


def _checked_token(token: str) -> str:
    token = token.strip()
    if token.lower().startswith("bearer "):
        token = token[7:].strip()
    if not token or any(ch.isspace() or ord(ch) < 0x21 or ord(ch) > 0x7E for ch in token):
        raise InputError("access_token must be the bare token text (printable ASCII, no spaces or line breaks).")
    return token


def _decode(response: httpx.Response, body: bytes, *, what: str, retryable: bool) -> Any:
    status = response.status_code
    ctype = response.headers.get("content-type", "").lower()
    looks_html = "html" in ctype or body.lstrip()[:1] == b"<"
    parsed: Any = None
    if body and not looks_html:
        try:
            parsed = json.loads(body)
        except (ValueError, UnicodeDecodeError):
            parsed = None
            if status < 400:
                raise BadResponseError(
                    f"The Tabcorp API answered {what} with malformed JSON (status {status}); try again shortly.",
                    status=status,
                ) from None
    if status >= 400:
        retry_after = retry_after_seconds(response.headers.get("retry-after"))
        text = "an HTML error page" if looks_html else body[:200].decode("utf-8", "replace")
        raise error_for_status(status, parsed, what=what, retry_after=retry_after, text=text)
    if 300 <= status < 400:
        raise BadResponseError(
            f"The Tabcorp API answered {what} with a redirect ({status}), which the server does not follow; "
            "check TAB_BASE_URL.",
            status=status,
        )
    if looks_html:
        raise BadResponseError(
            f"The Tabcorp API answered {what} with an HTML page instead of JSON (status {status}); TAB's edge "
            "network may be blocking the request or the service is down; try again shortly.",
            status=status,
        )
    if not body.strip():
        raise BadResponseError(
            f"The Tabcorp API answered {what} with an empty body (status {status}); try again shortly.",
            status=status,
            retryable=retryable,
        )
    return parsed
