"""The upstream transport: httpx's client API over aiohttp's connection pool.

``TabClient`` keeps the ``httpx.AsyncClient`` API (``httpx.Auth`` flows, ``MockTransport`` and respx in tests),
but the default transport underneath is :class:`AiohttpUpstreamTransport`. The benchmark chose it (README,
Performance): httpcore's pool re-checks every pooled connection on each request and keeps only a fixed number
idle, so at 50 calls in flight it either reconnects most calls or spends CPU scanning a large pool; aiohttp's
connector keeps every connection it opened alive until ``keepalive_expiry`` and hands them out from a queue.

This is not ``httpx_aiohttp.AiohttpTransport`` as shipped, because three of its behaviours are wrong for us:

- it lets yarl re-quote the URL, so ``%28GBR%29`` went out as ``(GBR)``; here the exact target httpx built
  (:mod:`tab_mcp.paths` percent-encodes every segment) goes out byte for byte (``URL(..., encoded=True)``);
- it maps every connection error, resets included, to ``ConnectTimeout``; here each aiohttp failure maps to
  the httpx exception ``TabClient`` already turns into one sentence and a retry decision;
- it ignores ``max_keepalive_connections`` silently; here the connector's limits are set from ours.
"""

from __future__ import annotations

import asyncio
import ssl
from collections.abc import AsyncIterator

import aiohttp
import httpx
from yarl import URL

# First match wins, so subclasses come before their bases.
_EXCEPTIONS: tuple[tuple[type[BaseException], type[httpx.TransportError]], ...] = (
    (aiohttp.ConnectionTimeoutError, httpx.ConnectTimeout),
    (aiohttp.ServerTimeoutError, httpx.ReadTimeout),
    (asyncio.TimeoutError, httpx.ReadTimeout),
    (aiohttp.ClientConnectorError, httpx.ConnectError),
    (aiohttp.ServerDisconnectedError, httpx.RemoteProtocolError),
    (aiohttp.ClientPayloadError, httpx.ReadError),
    (aiohttp.ClientResponseError, httpx.RemoteProtocolError),
    (aiohttp.InvalidURL, httpx.UnsupportedProtocol),
    (aiohttp.NonHttpUrlClientError, httpx.UnsupportedProtocol),
    (aiohttp.ClientConnectionError, httpx.ReadError),
    (ConnectionError, httpx.ReadError),
    (aiohttp.ClientError, httpx.NetworkError),
)


def map_exception(exc: BaseException) -> httpx.TransportError | None:
    """The httpx exception for an aiohttp (or socket) failure; None when it is not a transport failure."""
    for source, target in _EXCEPTIONS:
        if isinstance(exc, source):
            return target(f"{type(exc).__name__}: {exc}")
    return None


class _ResponseStream(httpx.AsyncByteStream):
    """The body of one aiohttp response, read as it arrives; closing it releases the connection."""

    def __init__(self, response: aiohttp.ClientResponse) -> None:
        self._response = response

    async def __aiter__(self) -> AsyncIterator[bytes]:
        try:
            async for chunk in self._response.content.iter_any():
                yield chunk
        except Exception as exc:
            raise _mapped(exc) from exc

    async def aclose(self) -> None:
        # release() returns a fully read connection to the pool and closes one whose body was cut short.
        self._response.release()


def _mapped(exc: Exception) -> Exception:
    return map_exception(exc) or exc


class AiohttpUpstreamTransport(httpx.AsyncBaseTransport):
    """An ``httpx`` transport that sends each request through one ``aiohttp`` connection pool.

    ``limits.max_connections`` caps the open connections (calls beyond it wait in the connector's queue, within
    the pool timeout); every idle connection is kept for ``limits.keepalive_expiry`` seconds. The session is
    created on the first request, inside the running event loop.
    """

    def __init__(self, *, limits: httpx.Limits, ssl_context: ssl.SSLContext) -> None:
        self._limits = limits
        self._ssl = ssl_context
        self._session: aiohttp.ClientSession | None = None

    def _open(self) -> aiohttp.ClientSession:
        connector = aiohttp.TCPConnector(
            limit=self._limits.max_connections or 0,
            limit_per_host=0,
            keepalive_timeout=self._limits.keepalive_expiry or 0,
            ssl=self._ssl,
        )
        # No cookie jar, no decompression and no auto headers: httpx already did all of that for the request.
        return aiohttp.ClientSession(
            connector=connector,
            cookie_jar=aiohttp.DummyCookieJar(),
            auto_decompress=False,
            trust_env=False,
        )

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        """Send ``request`` with its exact encoded target and return the response with a streamed body."""
        if self._session is None:
            self._session = self._open()
        timeout = request.extensions.get("timeout", {})
        body = await request.aread() or None
        try:
            response = await self._session.request(
                request.method,
                URL(str(request.url), encoded=True),  # encoded=True: yarl sends the target as httpx built it
                headers=request.headers.multi_items(),
                data=body,
                allow_redirects=False,
                compress=False,
                timeout=aiohttp.ClientTimeout(
                    total=None,
                    connect=timeout.get("pool"),
                    sock_connect=timeout.get("connect"),
                    sock_read=timeout.get("read"),
                ),
                server_hostname=_sni(request),
            )
        except Exception as exc:
            raise _mapped(exc) from exc
        extensions: dict[str, object] = {"http_version": b"HTTP/1.1"}
        if response.reason:
            extensions["reason_phrase"] = response.reason.encode("latin-1", "replace")
        return httpx.Response(
            status_code=response.status,
            headers=response.raw_headers,
            stream=_ResponseStream(response),
            request=request,
            extensions=extensions,
        )

    async def aclose(self) -> None:
        """Close every pooled connection."""
        if self._session is not None:
            await self._session.close()
            self._session = None


def _sni(request: httpx.Request) -> str | None:
    value = request.extensions.get("sni_hostname")
    if isinstance(value, bytes):
        return value.decode("ascii")
    return value if isinstance(value, str) else None
