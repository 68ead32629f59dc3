"""Session pressure for the monitor report: the ``sessions`` figures a tab-mcp ``/readyz`` exposes.

A stateful tab-mcp server reports its open and busy HTTP sessions against ``TAB_MAX_SESSIONS`` on
``/readyz``. The report shows them when the endpoint exposes them; a server that does not (stateless, an
older release, another MCP server) simply gets no row. Reading them never raises: the probe and the smoke
suite decide health, this is what an operator reads to see pressure building.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from tabmcp_ops.monitor.fetch import open_url

READ_LIMIT_BYTES = 65536


@dataclass(frozen=True)
class SessionGauge:
    """Open sessions against the cap, with the busy count and the running eviction and refusal totals."""

    open: int
    cap: int
    busy: int = 0
    evicted: int = 0
    refused: int = 0


def readyz_url(mcp_url: str) -> str:
    """``/readyz`` beside the MCP endpoint (``https://h/mcp?k=v`` -> ``https://h/readyz``; the query is dropped)."""
    parts = urlsplit(mcp_url)
    path = parts.path.rstrip("/")
    base = path[: -len("/mcp")] if path.endswith("/mcp") else path
    return urlunsplit((parts.scheme, parts.netloc, f"{base}/readyz", "", ""))


def parse_gauge(body: Any) -> SessionGauge | None:
    """The gauge from a ``/readyz`` JSON body, or None when it carries no well-formed ``sessions``."""
    sessions = body.get("sessions") if isinstance(body, dict) else None
    if not isinstance(sessions, dict):
        return None
    fields = ("open", "cap", "busy", "evicted", "refused")
    values = {name: sessions.get(name, 0) for name in fields}
    if not all(isinstance(v, int) and not isinstance(v, bool) and v >= 0 for v in values.values()):
        return None
    return SessionGauge(**values) if values["cap"] > 0 else None


def fetch_gauge(mcp_url: str, *, timeout: float, headers: Mapping[str, str] | None = None) -> SessionGauge | None:
    """GET ``/readyz`` beside ``mcp_url`` and return its session gauge; None on any failure."""
    url = readyz_url(mcp_url)
    if urlsplit(url).scheme not in {"http", "https"}:
        return None
    request = urllib.request.Request(url, headers=dict(headers or {}), method="GET")  # noqa: S310
    try:
        with open_url(request, timeout=timeout) as response:  # a redirect is not followed: headers hold secrets
            return parse_gauge(json.loads(response.read(READ_LIMIT_BYTES)))
    except urllib.error.HTTPError as exc:  # an unready server (503) still reports its sessions
        try:
            return parse_gauge(json.loads(exc.read(READ_LIMIT_BYTES)))
        except ValueError:
            return None
    except (urllib.error.URLError, OSError, ValueError):
        return None


def gauge_row(gauge: SessionGauge | None) -> list[str]:
    """The report's table row for the gauge (none when the endpoint does not expose it)."""
    if gauge is None:
        return []
    share = gauge.open / gauge.cap
    detail = f"{gauge.busy} busy; {gauge.evicted} idle evicted, {gauge.refused} refused since start"
    return [f"| Open sessions | {gauge.open} / {gauge.cap} ({share:.0%}; {detail}) | |"]
