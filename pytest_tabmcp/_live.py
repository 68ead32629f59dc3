"""Live mode: the URL checks, the ``TABMCP_LIVE_HEADERS`` parser and the streamable-HTTP client (no pytest).

Extra request headers (typically ``Authorization`` for a deployed server) come only from the environment,
never from argv, so they stay out of process lists and CI logs. Nothing here ever prints a header value.
"""

from __future__ import annotations

import json
import re
from collections.abc import AsyncIterator, Mapping
from contextlib import AsyncExitStack, asynccontextmanager
from typing import TYPE_CHECKING, Any
from urllib.parse import urljoin, urlsplit, urlunsplit

from mcp_types.version import LATEST_HANDSHAKE_VERSION

if TYPE_CHECKING:
    from mcp import Client

LIVE_HEADERS_ENV = "TABMCP_LIVE_HEADERS"
# Timeouts of the live client, all well under pytest's own ``timeout = 120``, so a hung server produces the
# plugin's sentence rather than pytest-timeout's traceback.
CONNECT_S = 3.0  # TCP connect (and TLS): a host that drops packets costs this, once per run
CHECK_S = 10.0  # the session-scoped initialize check: answer within this or the run stops there
HANDSHAKE_S = 20.0  # each MCP request of the client's own handshake
CALL_S = 60.0  # one tool call
HEADERS_FORM = "must be a JSON object of strings or 'Name: value' lines"
# RFC 9110 token characters: what a header name may contain.
_HEADER_NAME = re.compile(r"^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$")


def initialize_request(client_name: str) -> dict[str, Any]:
    """The JSON-RPC ``initialize`` request a reachability check POSTs (the plugin's live check, the monitor's probe)."""
    return {
        "jsonrpc": "2.0",
        "id": 1,
        "method": "initialize",
        "params": {
            # initialize exists only in the handshake era; offer its newest revision, as the SDK's client does.
            "protocolVersion": LATEST_HANDSHAKE_VERSION,
            "capabilities": {},
            "clientInfo": {"name": client_name, "version": "1"},
        },
    }


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


class RedirectRefusedError(ConnectionError):
    """The MCP server answered with a redirect, which is not followed: it would carry the credentials along."""


def redirect_refused(url: str, status: int, location: str | None) -> str:
    """One sentence for a redirect that was not followed, naming the host it pointed at (never a header value)."""
    target = urlsplit(urljoin(url, location)).netloc.rsplit("@", 1)[-1] if location else ""
    where = f"to host {target!r}" if target else "without a Location"
    return (
        f"the MCP server at {redact_url(url)} answered with a redirect (HTTP {status}) {where}, which is not "
        f"followed because the request's headers ({LIVE_HEADERS_ENV} credentials) would go with it; "
        "point the URL at the final address"
    )


def check_live_server(
    url: str, headers: Mapping[str, str], *, connect_s: float = CONNECT_S, read_s: float = CHECK_S
) -> str | None:
    """Reach ``url`` and send one MCP ``initialize``; return None when it answers, else one sentence saying why.

    The sentence names the redacted URL, what failed and what to check; a 401/403 is an authentication
    problem with ``TABMCP_LIVE_HEADERS`` (never a header value), distinct from "not reachable".
    """
    import httpx

    shown = redact_url(url)
    accept = {"Accept": "application/json, text/event-stream", "Content-Type": "application/json"}
    timeout = httpx.Timeout(read_s, connect=connect_s)
    try:
        # Never follow a redirect: the headers may hold credentials, and they would go wherever it points.
        with httpx.Client(headers={**accept, **headers}, timeout=timeout, follow_redirects=False) as http:
            response = http.post(url, json=initialize_request("pytest-tabmcp-check"))
            _close_session(http, url, response.headers.get("mcp-session-id"))
    except httpx.ConnectTimeout:
        return f"could not reach the MCP server at {shown}: no TCP connection within {connect_s:g} s; {_CHECK_URL}"
    except httpx.ConnectError as exc:
        return f"could not reach the MCP server at {shown}: {_leaf(exc)}; {_CHECK_URL}"
    except httpx.TimeoutException:
        return (
            f"the MCP server at {shown} accepted the connection but did not answer initialize within {read_s:g} s; "
            "check that the server is healthy (its /healthz and its logs)"
        )
    except httpx.HTTPError as exc:
        return f"the MCP server at {shown} failed during initialize ({_leaf(exc)}); {_CHECK_URL}"
    if response.status_code in (401, 403):
        sent = f"{len(headers)} header(s) sent, values hidden" if headers else "no header was sent"
        return (
            f"the MCP server at {shown} refused initialize with HTTP {response.status_code}, an authentication "
            f"problem: check the credentials in {LIVE_HEADERS_ENV} ({sent})"
        )
    if 300 <= response.status_code < 400:
        return redirect_refused(url, response.status_code, response.headers.get("location"))
    if response.status_code >= 300:
        return f"the MCP server at {shown} answered initialize with HTTP {response.status_code}; {_CHECK_URL}"
    return None


_CHECK_URL = "check that the server is running and that --live-url (or TABMCP_LIVE_URL) points at its /mcp endpoint"


def _close_session(http: Any, url: str, session: str | None) -> None:
    """End the check's MCP session at once, so it does not hold server memory until the idle reaper runs."""
    if not session:
        return
    try:
        http.delete(url, headers={"mcp-session-id": session})
    except Exception:  # noqa: S110 - best effort: the server reaps idle sessions anyway  # nosec B110
        pass


@asynccontextmanager
async def open_live_client(
    url: str, headers: Mapping[str, str], *, connect_s: float = CONNECT_S
) -> AsyncIterator[Client]:
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
        # The SDK's own request timeout (HANDSHAKE_S, CALL_S per tool call) fires before this read timeout.
        timeout = httpx2.Timeout(CALL_S + 5, connect=connect_s)

        # A redirect is never followed (the headers may hold credentials); the hook names where it pointed.
        async def refuse_redirect(response: httpx2.Response) -> None:
            if 300 <= response.status_code < 400:
                raise RedirectRefusedError(
                    redirect_refused(url, response.status_code, response.headers.get("location"))
                )

        http = await stack.enter_async_context(
            httpx2.AsyncClient(
                headers=dict(headers),
                timeout=timeout,
                follow_redirects=False,
                event_hooks={"response": [refuse_redirect]},
            )
        )
        try:
            transport = streamable_http_client(url, http_client=http)
            client = await stack.enter_async_context(Client(transport, read_timeout_seconds=HANDSHAKE_S))
        except Exception as exc:
            raise ConnectionError(f"could not connect to the MCP server at {redact_url(url)}: {_leaf(exc)}") from None
        yield client


def _leaf(exc: BaseException) -> str:
    while isinstance(exc, BaseExceptionGroup) and exc.exceptions:
        exc = exc.exceptions[0]
    return f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
