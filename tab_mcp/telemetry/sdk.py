"""Install the OpenTelemetry SDK with OTLP exporters, when the ``otel`` extra is installed and asked for.

``pip install 'tab-mcp[otel]'`` adds ``opentelemetry-sdk`` and the OTLP/HTTP exporter. Telemetry then turns on when
one of the standard endpoint variables is set (``OTEL_EXPORTER_OTLP_ENDPOINT``, or the ``_TRACES_``/``_METRICS_``
forms), and off again with ``OTEL_SDK_DISABLED=true``; the exporters read every other ``OTEL_*`` variable themselves
(headers, timeouts, ``OTEL_SERVICE_NAME``, ``OTEL_RESOURCE_ATTRIBUTES``). Without the extra, or without those
variables, nothing is imported and nothing changes.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Mapping

from tab_mcp import __version__

__all__ = ["ENDPOINT_VARIABLES", "configure_from_environment", "wanted"]

logger = logging.getLogger("tab_mcp.telemetry")

ENDPOINT_VARIABLES = (
    "OTEL_EXPORTER_OTLP_ENDPOINT",
    "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT",
    "OTEL_EXPORTER_OTLP_METRICS_ENDPOINT",
)


def wanted(environ: Mapping[str, str]) -> bool:
    """True when the environment asks for OTLP export and does not disable the SDK."""
    if environ.get("OTEL_SDK_DISABLED", "").strip().lower() == "true":
        return False
    return any(environ.get(name, "").strip() for name in ENDPOINT_VARIABLES)


def configure_from_environment(environ: Mapping[str, str] | None = None) -> bool:
    """Install tracer and meter providers exporting over OTLP/HTTP; return whether telemetry is on.

    A missing extra is one warning line, never a failed start: telemetry is optional.
    """
    env = os.environ if environ is None else environ
    if not wanted(env):
        return False
    try:
        from opentelemetry import metrics, trace
        from opentelemetry.exporter.otlp.proto.http.metric_exporter import OTLPMetricExporter
        from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter
        from opentelemetry.sdk.metrics import MeterProvider
        from opentelemetry.sdk.metrics.export import PeriodicExportingMetricReader
        from opentelemetry.sdk.resources import SERVICE_NAME, SERVICE_VERSION, Resource
        from opentelemetry.sdk.trace import TracerProvider
        from opentelemetry.sdk.trace.export import BatchSpanProcessor
    except ImportError:
        logger.warning(
            "OTEL_* export variables are set but the otel extra is not installed: pip install 'tab-mcp[otel]'"
        )
        return False
    # Resource.create reads OTEL_SERVICE_NAME and OTEL_RESOURCE_ATTRIBUTES, but lets the attributes given here win,
    # so the default service name is given only when the operator named none.
    attributes = {SERVICE_VERSION: __version__}
    if not env.get("OTEL_SERVICE_NAME") and "service.name=" not in env.get("OTEL_RESOURCE_ATTRIBUTES", ""):
        attributes[SERVICE_NAME] = "tab-mcp"
    resource = Resource.create(attributes)
    tracer_provider = TracerProvider(resource=resource)
    tracer_provider.add_span_processor(BatchSpanProcessor(OTLPSpanExporter()))
    trace.set_tracer_provider(tracer_provider)
    reader = PeriodicExportingMetricReader(OTLPMetricExporter())
    metrics.set_meter_provider(MeterProvider(resource=resource, metric_readers=[reader]))
    logger.info("OpenTelemetry export is on (OTLP/HTTP)")
    return True
