"""The tracer, the meter, and the one place each span and metric of tab-mcp is named.

Names follow the OpenTelemetry semantic conventions where they exist (``mcp.server.operation.duration``,
``http.client.request.duration``, ``http.request.method``, ``url.template``, ``error.type``); the rest carry the
``tab_mcp.`` prefix. The API's proxy tracer and meter bind to whatever provider is installed later, so these
module-level objects work whether or not :mod:`tab_mcp.telemetry.sdk` (or a test) installs one.
"""

from __future__ import annotations

import time
import weakref
from collections.abc import Callable, Iterable, Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from typing import Protocol

from opentelemetry import metrics, trace
from opentelemetry.metrics import CallbackOptions, Observation
from opentelemetry.trace import Span, SpanKind, StatusCode

from tab_mcp import __version__

__all__ = [
    "SCOPE",
    "note_response",
    "observe_sessions",
    "record_operation",
    "record_refusal",
    "token_grant_span",
    "upstream_span",
]

SCOPE = "tab_mcp"
_tracer = trace.get_tracer(SCOPE, __version__)
_meter = metrics.get_meter(SCOPE, __version__)

# Bucket bounds in seconds, as the semantic conventions advise for request durations.
_DURATION_BOUNDS = (0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1.0, 2.5, 5.0, 7.5, 10.0)

_operation_duration = _meter.create_histogram(
    "mcp.server.operation.duration",
    unit="s",
    description="Duration of each MCP message the server handled (tools/call, tools/list, ...).",
    explicit_bucket_boundaries_advisory=_DURATION_BOUNDS,
)
_upstream_duration = _meter.create_histogram(
    "http.client.request.duration",
    unit="s",
    description="Duration of each upstream call to the Tabcorp API, retries included.",
    explicit_bucket_boundaries_advisory=_DURATION_BOUNDS,
)
_upstream_responses = _meter.create_counter(
    "tab_mcp.upstream.responses",
    unit="{response}",
    description="Upstream answers by status class (2xx, 4xx, 5xx, or 'error' when none arrived).",
)
_grants = _meter.create_counter(
    "tab_mcp.oauth.grants",
    unit="{grant}",
    description="OAuth token requests to the Tabcorp API by grant type and outcome (success or failure).",
)
_refusals = _meter.create_counter(
    "tab_mcp.refusals",
    unit="{refusal}",
    description="Requests the server refused before the SDK saw them, by reason (unauthenticated, rate_limited, ...).",
)


def status_class(status: int | None) -> str:
    """``"2xx"`` for 200..299 and so on; ``"error"`` when no HTTP answer arrived."""
    return f"{status // 100}xx" if status else "error"


@contextmanager
def upstream_span(method: str, template: str) -> Iterator[Span]:
    """Wrap one logical upstream call (all its retries) in a CLIENT span and record its duration and status.

    The caller's code sets ``http.response.status_code``, ``http.response.body.size`` and
    ``http.request.resend_count`` on the current span as it learns them (see ``tab_mcp.client``).
    """
    attributes = {"http.request.method": method, "url.template": template}
    started = time.perf_counter()
    with _client_span(f"{method} {template}", attributes) as span:
        status: int | None = None
        error: str | None = None
        try:
            yield span
        except Exception as exc:
            error = type(exc).__name__
            span.set_status(StatusCode.ERROR, error)  # the class only: messages can quote upstream bodies
            raise
        finally:
            status = _status_of(span)
            point: dict[str, str | int] = {**attributes, "tab_mcp.status_class": status_class(status)}
            if status:
                point["http.response.status_code"] = status
            if error:
                span.set_attribute("error.type", error)
                point["error.type"] = error
            _upstream_duration.record(time.perf_counter() - started, point)
            _upstream_responses.add(1, {"http.request.method": method, "tab_mcp.status_class": status_class(status)})


def _client_span(name: str, attributes: dict[str, str]) -> AbstractContextManager[Span]:
    # With no tracer provider installed every span is a no-op, yet making and entering one is most of this
    # wrapper's cost on each call; the invalid span stands in for it (nothing reads a non-recording span).
    if isinstance(trace.get_tracer_provider(), trace.ProxyTracerProvider):
        return nullcontext(trace.INVALID_SPAN)
    return _tracer.start_as_current_span(
        name, kind=SpanKind.CLIENT, attributes=attributes, record_exception=False, set_status_on_exception=False
    )


def note_response(status: int, size: int) -> None:
    """Set an upstream answer's status and body size on the current upstream span (a no-op when not recording)."""
    span = trace.get_current_span()
    if span.is_recording():
        span.set_attributes({"http.response.status_code": status, "http.response.body.size": size})


def _status_of(span: Span) -> int | None:
    # Recording spans expose what was set on them; a non-recording span (no SDK installed) has nothing to read.
    attributes = getattr(span, "attributes", None) or {}
    value = attributes.get("http.response.status_code")
    return value if isinstance(value, int) else None


@contextmanager
def token_grant_span(grant_type: str) -> Iterator[Span]:
    """Wrap one OAuth token request in an INTERNAL span and count it by grant type and outcome."""
    with _tracer.start_as_current_span(
        "oauth token grant",
        attributes={"tab_mcp.oauth.grant_type": grant_type},
        record_exception=False,
        set_status_on_exception=False,
    ) as span:
        outcome = "failure"
        try:
            yield span
            outcome = "success"
        except Exception as exc:
            span.set_attribute("error.type", type(exc).__name__)
            span.set_status(StatusCode.ERROR, type(exc).__name__)
            raise
        finally:
            span.set_attribute("tab_mcp.oauth.outcome", outcome)
            _grants.add(1, {"tab_mcp.oauth.grant_type": grant_type, "tab_mcp.oauth.outcome": outcome})


def record_operation(seconds: float, attributes: dict[str, str]) -> None:
    """Record one MCP message's duration (``mcp.server.operation.duration``)."""
    _operation_duration.record(seconds, attributes)


def record_refusal(reason: str) -> None:
    """Count one request refused before the SDK saw it; ``reason`` is a fixed code, never request data."""
    _refusals.add(1, {"tab_mcp.refusal.reason": reason})


def observe_sessions(load: Callable[[], SessionFigures]) -> None:
    """Publish a session registry's open and busy sessions as the ``tab_mcp.sessions.*`` gauges.

    ``load`` is a bound method; it is held weakly, so a registry that goes away stops being observed. Dead
    references are dropped here too, not only when a reader collects: without a metrics reader (the extra absent)
    nothing collects, and every app built in one process would otherwise leave one behind.
    """
    _session_sources[:] = [ref for ref in _session_sources if ref() is not None]
    _session_sources.append(weakref.WeakMethod(load))


class SessionFigures(Protocol):
    """What a session registry reports: open and busy sessions."""

    @property
    def open(self) -> int:
        """Sessions open now."""

    @property
    def busy(self) -> int:
        """Sessions with a request in flight."""


_session_sources: list[weakref.WeakMethod[Callable[[], SessionFigures]]] = []


def _session_observations(field: str) -> Callable[[CallbackOptions], Iterable[Observation]]:
    def observe(_options: CallbackOptions) -> Iterable[Observation]:
        live = [load for ref in _session_sources if (load := ref()) is not None]
        _session_sources[:] = [weakref.WeakMethod(load) for load in live]
        if not live:
            return []
        return [Observation(sum(getattr(load(), field) for load in live))]

    return observe


_meter.create_observable_gauge(
    "tab_mcp.sessions.open", [_session_observations("open")], unit="{session}", description="Open HTTP sessions."
)
_meter.create_observable_gauge(
    "tab_mcp.sessions.busy",
    [_session_observations("busy")],
    unit="{session}",
    description="HTTP sessions with a request in flight.",
)
