"""The one error hierarchy of ``tab_mcp``.

Every failure a user or a model can hit is one of these, and its message is one actionable sentence:
what went wrong, the value or upstream status and code, and what to do. Messages are bounded in length
and never carry a traceback, a token or a secret.

::

    TabError (a ToolError, so its message reaches the MCP client as an isError result)
    ├── ConfigError                 bad or missing TAB_* configuration
    ├── InputError                  an argument the server refuses before calling upstream
    ├── PolicyError                 refused by policy (betting disabled, path outside the info service)
    └── UpstreamError               the Tabcorp API answered badly, or not at all (carries status and code)
        ├── AuthError               401/403, or an OAuth error ({"error","error_description"})
        ├── NotFoundError           404
        ├── RateLimitedError        429 (carries retry_after seconds)
        ├── UpstreamUnavailableError 5xx, timeout, connection refused or reset
        └── BadResponseError        non-JSON, HTML, empty or oversized body

Why subclass the SDK's ``ToolError``: MCPServer passes a ToolError's text to the client and hides every
other exception behind "Error executing tool …". Subclassing keeps one hierarchy and one raise site.
"""

from __future__ import annotations

from typing import Any

from mcp.server.mcpserver.exceptions import ToolError

from tab_mcp.redaction import clean_text


class TabError(ToolError):
    """Base of every tab_mcp error; ``str(err)`` is the one sentence shown to the user."""

    def __init__(self, message: str) -> None:
        self.message = clean_text(message)
        super().__init__(self.message)


class ConfigError(TabError):
    """The server's configuration is missing or invalid; the message names the TAB_* variable."""


class InputError(TabError):
    """A tool argument was refused before any upstream request was made."""


class PolicyError(TabError):
    """The request is refused by policy, e.g. betting is disabled or a path leaves the info service."""


class UpstreamError(TabError):
    """The Tabcorp API failed the request; carries the HTTP status and the upstream error code."""

    retryable = False

    def __init__(
        self, message: str, *, status: int | None = None, code: str | None = None, retry_after: float | None = None
    ) -> None:
        self.status = status
        self.code = code
        self.retry_after = retry_after  # seconds the upstream asked us to wait (Retry-After), if it did
        super().__init__(message)


class AuthError(UpstreamError):
    """Authentication failed (401/403) or the OAuth endpoint refused the grant."""


class NotFoundError(UpstreamError):
    """The upstream resource does not exist (404), e.g. an aged-out race."""


class RateLimitedError(UpstreamError):
    """Upstream throttled the request (429); ``retry_after`` is the advised wait in seconds."""

    retryable = True

    def __init__(self, message: str, *, status: int | None = 429, code: str | None = None, retry_after: float | None):
        super().__init__(message, status=status, code=code, retry_after=retry_after)


class UpstreamUnavailableError(UpstreamError):
    """Upstream is down or slow: 5xx, timeout, refused or reset connection."""

    def __init__(
        self,
        message: str,
        *,
        status: int | None = None,
        code: str | None = None,
        retryable: bool = False,
        retry_after: float | None = None,
    ):
        self.retryable = retryable
        super().__init__(message, status=status, code=code, retry_after=retry_after)


class BadResponseError(UpstreamError):
    """Upstream answered with something that is not the JSON it documents (HTML, empty, malformed, too big)."""

    def __init__(self, message: str, *, status: int | None = None, code: str | None = None, retryable: bool = False):
        self.retryable = retryable
        super().__init__(message, status=status, code=code)


_HINTS: dict[int, str] = {
    400: "check the arguments against the tool description",
    401: "check TAB_CLIENT_ID/TAB_CLIENT_SECRET (or the access_token you passed); the token may have expired",
    403: "the credentials lack access to this resource, or the request was blocked by TAB's edge network",
    404: "the resource does not exist or has aged out; list meetings or races again to get current identifiers",
    429: "TAB is throttling requests; wait and try again",
}


def describe_info_error(body: Any) -> tuple[str | None, str | None]:
    """Pull ``(code, message)`` out of an info-service or OAuth error body, whichever shape it has."""
    if not isinstance(body, dict):
        return None, None
    err = body.get("error")
    if isinstance(err, dict):  # info service: {"error": {"code", "message", "details"?}}
        code = err.get("code")
        message = err.get("message")
        details = err.get("details")
        if isinstance(details, list):
            parts = []
            for d in details[:3]:
                if isinstance(d, dict) and (d.get("path") or d.get("message")):
                    parts.append(f"{d.get('path', '?')} {d.get('message', '')}".strip())
            if parts:
                message = f"{message or 'invalid request'} ({'; '.join(parts)})"
        return (str(code) if code else None), (str(message) if message else None)
    if isinstance(err, str):  # OAuth (RFC 6749): {"error", "error_description"}
        desc = body.get("error_description")
        return err, (str(desc) if desc else None)
    return None, None


def error_for_status(
    status: int, body: Any, *, what: str, retry_after: float | None = None, text: str = ""
) -> UpstreamError:
    """Build the error for an upstream HTTP status, using the upstream code and message when present."""
    code, message = describe_info_error(body)
    detail = f"{code}: {message}" if code and message else (code or message or clean_text(text, 120) or "no details")
    hint = _HINTS.get(status, "TAB's API is having trouble; try again shortly" if status >= 500 else "")
    sentence = f"Tabcorp API returned {status} for {what}: {detail}" + (f"; {hint}." if hint else ".")
    if status in (401, 403):
        return AuthError(sentence, status=status, code=code)
    if status == 404:
        return NotFoundError(sentence, status=status, code=code)
    if status == 429:
        wait = f" Retry after {retry_after:g} s." if retry_after is not None else ""
        return RateLimitedError(sentence + wait, status=status, code=code, retry_after=retry_after)
    if status >= 500:
        return UpstreamUnavailableError(
            sentence, status=status, code=code, retryable=status in (502, 503, 504), retry_after=retry_after
        )
    return UpstreamError(sentence, status=status, code=code)
