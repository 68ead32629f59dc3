"""The monitor's HTTP requests, which never follow a redirect.

Every request the monitor sends may carry the ``TABMCP_LIVE_HEADERS`` credentials, and ``urllib`` copies
them onto a redirected request whatever host it points at. So a redirect is never followed: it surfaces as
the ``HTTPError`` of its 3xx status, and :func:`redirect_sentence` names where it pointed.
"""

from __future__ import annotations

import urllib.error
import urllib.request
from http.client import HTTPResponse
from typing import Any

from pytest_tabmcp._live import redirect_refused


class _RefuseRedirects(urllib.request.HTTPRedirectHandler):
    """Returning None tells urllib not to follow: the 3xx is then raised as an ``HTTPError``."""

    def redirect_request(self, *_args: Any, **_kwargs: Any) -> None:
        """Never build the redirected request."""
        return None


_OPENER = urllib.request.build_opener(_RefuseRedirects)


def open_url(request: urllib.request.Request, *, timeout: float) -> HTTPResponse:
    """``urlopen`` without redirects: a 3xx raises ``urllib.error.HTTPError`` like any other error status.

    Callers build ``request`` from an http(s) URL they checked, as ``urlopen`` callers here always did.
    """
    response: HTTPResponse = _OPENER.open(request, timeout=timeout)  # nosec B310
    return response


def redirect_sentence(url: str, error: urllib.error.HTTPError) -> str:
    """The report's sentence for a redirect the monitor refused to follow, naming the target host."""
    return redirect_refused(url, error.code, error.headers.get("Location"))
