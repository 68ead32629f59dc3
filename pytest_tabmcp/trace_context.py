"""W3C trace context for the plugin's tool calls (no pytest import, no OpenTelemetry SDK needed).

Each timed call sends a fresh ``traceparent`` in the request's ``_meta``, which the MCP SDK on the server reads as
the parent of its span for that call. The latency report then names the trace ids of the slowest calls, so a slow
monitor check points straight at the server's trace. The ids are random (``secrets``), as the W3C spec asks, and
carry nothing about the test or its arguments.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass

__all__ = ["TraceParent", "new_traceparent"]

_TRACEPARENT = re.compile(r"^00-(?P<trace>[0-9a-f]{32})-(?P<span>[0-9a-f]{16})-(?P<flags>[0-9a-f]{2})$")


@dataclass(frozen=True)
class TraceParent:
    """One call's trace context: its trace id and the id of the (client-side) parent span."""

    trace_id: str
    span_id: str

    @property
    def header(self) -> str:
        """The ``traceparent`` value: version 00, sampled."""
        return f"00-{self.trace_id}-{self.span_id}-01"

    def meta(self) -> dict[str, str]:
        """The ``_meta`` entries that carry this context to the server."""
        return {"traceparent": self.header}

    @classmethod
    def parse(cls, header: str) -> TraceParent:
        """Read a ``traceparent`` value; ``ValueError`` when it is not version-00 W3C trace context."""
        match = _TRACEPARENT.match(header.strip())
        if match is None or set(match["trace"]) == {"0"} or set(match["span"]) == {"0"}:
            raise ValueError(f"{header!r} is not a W3C traceparent")
        return cls(match["trace"], match["span"])


def new_traceparent() -> TraceParent:
    """A fresh random trace context (never all zeros, which the spec reserves as invalid)."""
    while True:
        trace_id, span_id = secrets.token_hex(16), secrets.token_hex(8)
        if int(trace_id, 16) and int(span_id, 16):
            return TraceParent(trace_id, span_id)
