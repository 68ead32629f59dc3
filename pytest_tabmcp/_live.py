"""Live mode: the URL checks, the ``TABMCP_LIVE_HEADERS`` parser and the streamable-HTTP client (no pytest).

Extra request headers (typically ``Authorization`` for a deployed server) come only from the environment,
never from argv, so they stay out of process lists and CI logs. Nothing here ever prints a header value.
"""

from __future__ import annotations

import json
import re
from collections.abc import AsyncIterator, Mapping
from contextlib import AsyncExitStack, asynccontextmanager
from typing import TYPE_CHECKING
from urllib.parse import urlsplit, urlunsplit

if TYPE_CHECKING:
    from mcp import Client

LIVE_HEADERS_ENV = "TABMCP_LIVE_HEADERS"
HEADERS_FORM = "must be a JSON object of strings or 'Name: value' lines"
# RFC 9110 token characters: what a header name may contain.
_HEADER_NAME = re.compile(r"^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$")


def validate_live_url(url: str) -> str:
    """Return ``url`` stripped, or raise ``ValueError`` unless it is an absolute http(s) URL with a host.

    The error shows the URL redacted, since a query or userinfo may hold a credential.
    """
    url = url.strip()
    parts = urlsplit(url)
    if parts.scheme not in {"http", "https"} or not parts.hostname:
        raise ValueError(f"must be an absolute http(s) URL such as https://host/mcp; got {redact_url(url)!r}")
    return url


def redact_url(url: str) -> str:
    """Show a URL without secrets: userinfo becomes ``***@`` and a query or fragment becomes ``?***``."""
    parts = urlsplit(url)
    netloc = parts.netloc
    if "@" in netloc:
        netloc = "***@" + netloc.rsplit("@", 1)[1]
    query = "***" if parts.query else ""
    return urlunsplit((parts.scheme, netloc, parts.path, query, "***" if parts.fragment else ""))


def parse_live_headers(text: str) -> dict[str, str]:
    """Parse ``TABMCP_LIVE_HEADERS``: a JSON object of strings, or ``Name: value`` lines.

    Blank lines and ``#`` comments are ignored in the line form. Raises ``ValueError`` saying what is wrong
    and where, never echoing a value.
    """
    text = text.strip()
    headers: dict[str, str] = {}
    if text.startswith("{"):
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise ValueError(
                f"{HEADERS_FORM}; it is not valid JSON ({exc.msg} at line {exc.lineno}, column {exc.colno})"
            ) from None
        for name, value in data.items():
            if not isinstance(value, (str, int, float)) or isinstance(value, bool):
                raise ValueError(f"{HEADERS_FORM}; the value of {name!r} is a {type(value).__name__}, not a string")
            headers[_checked_name(name, "key")] = _checked_value(str(value), name)
        return headers
    for number, line in enumerate(text.splitlines(), start=1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        name, sep, value = line.partition(":")
        if not sep:
            raise ValueError(f"{HEADERS_FORM}; line {number} has no ':' between name and value")
        headers[_checked_name(name.strip(), f"line {number}")] = _checked_value(value.strip(), name.strip())
    return headers


def _checked_name(name: str, where: str) -> str:
    if not _HEADER_NAME.match(name):
        raise ValueError(f"{HEADERS_FORM}; {where} has an invalid header name {name[:40]!r}")
    return name


def _checked_value(value: str, name: str) -> str:
    if any(ch in value for ch in "\r\n\x00"):
        raise ValueError(f"{HEADERS_FORM}; the value of {name!r} contains a control character")
    return value


@asynccontextmanager
async def open_live_client(url: str, headers: Mapping[str, str], *, connect_s: float = 30.0) -> AsyncIterator[Client]:
    """Connect an ``mcp.Client`` over streamable HTTP to ``url``, sending ``headers`` on every request.

    A connection failure (which the SDK wraps in an ExceptionGroup) becomes one ``ConnectionError`` naming
    the redacted URL and the leaf error, so a monitor's failure says what is down.
    """
    import httpx2
    from mcp import Client
    from mcp.client.streamable_http import streamable_http_client

    async with AsyncExitStack() as stack:
        # One httpx2 client per connection: headers apply to every MCP request, and the read timeout is
        # longer than connect so a slow upstream shows as a slow tool call rather than a dropped stream.
        http = await stack.enter_async_context(
            httpx2.AsyncClient(
                headers=dict(headers), timeout=httpx2.Timeout(connect_s, read=connect_s * 4), follow_redirects=True
            )
        )
        try:
            client = await stack.enter_async_context(Client(streamable_http_client(url, http_client=http)))
        except Exception as exc:
            raise ConnectionError(f"could not connect to the MCP server at {redact_url(url)}: {_leaf(exc)}") from None
        yield client


def _leaf(exc: BaseException) -> str:
    while isinstance(exc, BaseExceptionGroup) and exc.exceptions:
        exc = exc.exceptions[0]
    return f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
