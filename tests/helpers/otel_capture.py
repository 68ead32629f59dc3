"""In-memory OpenTelemetry exporters installed as this process's global providers, once.

The MCP SDK and tab-mcp trace through the OpenTelemetry API's global providers, which can be set only once per
process; every test that reads spans or metrics shares these two readers and clears the spans it starts with.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any

from opentelemetry import metrics, trace
from opentelemetry.sdk.metrics import MeterProvider
from opentelemetry.sdk.metrics.export import InMemoryMetricReader
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter


@dataclass(frozen=True)
class Capture:
    """The span exporter and metric reader behind the process's global providers."""

    spans: InMemorySpanExporter
    metrics: InMemoryMetricReader


@functools.cache
def capture() -> Capture:
    """Install (once) and return the in-memory exporters."""
    spans = InMemorySpanExporter()
    tracer_provider = TracerProvider()
    tracer_provider.add_span_processor(SimpleSpanProcessor(spans))
    trace.set_tracer_provider(tracer_provider)
    reader = InMemoryMetricReader()
    metrics.set_meter_provider(MeterProvider(metric_readers=[reader]))
    return Capture(spans=spans, metrics=reader)


def metric_points(reader: InMemoryMetricReader) -> dict[str, list[tuple[dict[str, Any], Any]]]:
    """Every metric collected now, by name: a list of (attributes, point) pairs."""
    found: dict[str, list[tuple[dict[str, Any], Any]]] = {}
    data = reader.get_metrics_data()
    for resource in data.resource_metrics if data else []:
        for scope in resource.scope_metrics:
            for metric in scope.metrics:
                for point in metric.data.data_points:
                    found.setdefault(metric.name, []).append((dict(point.attributes or {}), point))
    return found
