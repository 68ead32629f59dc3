"""OpenTelemetry: one tool call yields the expected span tree and metric points, and no secret anywhere.

The SDK opens a SERVER span per MCP message, parented on the trace context the caller sends in ``_meta``;
tab-mcp adds a CLIENT span per upstream call (named by its path template) and a span per token grant, and the
metrics the operator watches. Canaries planted in the credentials, the upstream token and an argument value
must appear in no exported span or metric.
"""

from __future__ import annotations

import json
import subprocess
import sys
from typing import Any, cast

import httpx
import pytest
from mcp import Client
from mcp.types import RequestParamsMeta
from opentelemetry.trace import SpanKind

from pytest_tabmcp.trace_context import new_traceparent
from tab_mcp.server import create_http_app, create_server
from tab_mcp.settings import Settings
from tab_mcp.telemetry.sdk import wanted
from tests.helpers.otel_capture import capture, metric_points

pytestmark = pytest.mark.anyio

CANARIES = ("CANARYCLIENTSECRET", "CANARYCLIENTID", "CANARYTOKEN", "CANARYVENUE")
RACE_TEMPLATE = (
    "/v1/tab-info-service/racing/dates/{meeting_date}/meetings/{race_type}/{venue_mnemonic}/races/{race_number}"
)


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


def _upstream(request: httpx.Request) -> httpx.Response:
    if request.url.path == "/oauth/token":
        return httpx.Response(200, json={"access_token": "CANARYTOKEN-123456789", "expires_in": 3600})
    if request.url.path.endswith("/races/9"):
        # An upstream error whose message quotes the filled path: it must not reach a span's status.
        return httpx.Response(503, json={"error": {"code": "UNAVAILABLE", "message": f"no race at {request.url.path}"}})
    return httpx.Response(200, json={"meeting": {"venueMnemonic": "CANARYVENUE"}, "runners": []})


def _settings() -> Settings:
    return Settings(
        base_url="https://api.beta.tab.com.au",
        client_id="CANARYCLIENTID",
        client_secret="CANARYCLIENTSECRET",
        retry_max_seconds=0,
    )


async def _one_call(arguments: dict[str, Any], *, failing: bool = False) -> str:
    parent = new_traceparent()
    server = create_server(_settings(), transport=httpx.MockTransport(_upstream))
    async with Client(server) as client:
        result = await client.call_tool("racing_get_race", arguments, meta=cast(RequestParamsMeta, parent.meta()))
    assert result.is_error is failing
    return parent.trace_id


async def test_a_tool_call_is_one_trace_from_the_callers_context_down_to_each_upstream_call() -> None:
    spans = capture().spans
    spans.clear()
    trace_id = await _one_call(
        {"meeting_date": "2026-12-05", "race_type": "R", "venue_mnemonic": "CANARYVENUE", "race_number": 3}
    )
    finished = [s for s in spans.get_finished_spans() if f"{s.context.trace_id:032x}" == trace_id]
    by_name = {s.name: s for s in finished}
    attrs: dict[str, dict[str, Any]] = {s.name: dict(s.attributes or {}) for s in finished}
    parent = {s.name: s.parent.span_id if s.parent else None for s in finished}
    span_id = {s.name: s.context.span_id for s in finished}
    server_span, upstream = "tools/call racing_get_race", f"GET {RACE_TEMPLATE}"
    assert by_name[server_span].kind is SpanKind.SERVER and attrs[server_span]["gen_ai.tool.name"] == "racing_get_race"
    assert by_name[upstream].kind is SpanKind.CLIENT and parent[upstream] == span_id[server_span]
    assert attrs[upstream]["url.template"] == RACE_TEMPLATE
    assert attrs[upstream]["http.response.status_code"] == 200
    assert attrs[upstream]["http.response.body.size"] > 0
    grant = attrs["oauth token grant"]
    assert grant["tab_mcp.oauth.grant_type"] == "client_credentials" and grant["tab_mcp.oauth.outcome"] == "success"
    assert parent["oauth token grant"] == span_id[upstream]  # the token was fetched for that call
    assert parent["POST /oauth/token"] == span_id["oauth token grant"]


async def test_a_tool_call_records_the_operation_upstream_and_grant_metrics() -> None:
    reader = capture().metrics
    await _one_call({"meeting_date": "2026-12-05", "race_type": "R", "venue_mnemonic": "RAN", "race_number": 1})
    points = metric_points(reader)
    tools = [a for a, _ in points["mcp.server.operation.duration"] if a.get("gen_ai.tool.name") == "racing_get_race"]
    assert tools and all(a["mcp.method.name"] == "tools/call" and "error.type" not in a for a in tools)
    assert any(a["url.template"] == RACE_TEMPLATE for a, _ in points["http.client.request.duration"])
    ok = [p for a, p in points["tab_mcp.upstream.responses"] if a["tab_mcp.status_class"] == "2xx"]
    assert ok and ok[0].value >= 2  # the grant and the GET, at least
    grants = {a["tab_mcp.oauth.outcome"] for a, _ in points["tab_mcp.oauth.grants"]}
    assert "success" in grants


async def test_a_failed_tool_call_is_counted_with_its_error_type() -> None:
    reader = capture().metrics
    await_args = {"meeting_date": "not-a-date", "race_type": "R", "venue_mnemonic": "RAN", "race_number": 1}
    server = create_server(_settings(), transport=httpx.MockTransport(_upstream))
    async with Client(server) as client:
        result = await client.call_tool("racing_get_race", await_args)
    assert result.is_error
    points = metric_points(reader)["mcp.server.operation.duration"]
    assert any(
        a.get("error.type") == "tool_error" and a.get("gen_ai.tool.name") == "racing_get_race" for a, _ in points
    )


async def test_no_secret_token_or_argument_value_reaches_any_span_or_metric() -> None:
    collected = capture()
    collected.spans.clear()
    await _one_call({"meeting_date": "2026-12-05", "race_type": "R", "venue_mnemonic": "CANARYVENUE", "race_number": 2})
    failed = {"meeting_date": "2026-12-05", "race_type": "R", "venue_mnemonic": "CANARYVENUE", "race_number": 9}
    await _one_call(failed, failing=True)
    exported = [span.to_json() for span in collected.spans.get_finished_spans()]
    data = collected.metrics.get_metrics_data()
    exported.append(data.to_json() if data else "")
    assert exported[0]  # something was exported
    for text in exported:
        for canary in CANARIES:
            assert canary not in text


def test_the_session_gauges_report_an_http_apps_open_and_busy_sessions() -> None:
    reader = capture().metrics
    app = create_http_app(Settings(base_url="https://api.beta.tab.com.au"))
    points = metric_points(reader)
    assert [p.value for _, p in points["tab_mcp.sessions.open"]] == [0]
    assert [p.value for _, p in points["tab_mcp.sessions.busy"]] == [0]
    assert app is not None  # the registry stays observed while its app lives


@pytest.mark.parametrize(
    ("environ", "expected"),
    [
        ({}, False),
        ({"OTEL_EXPORTER_OTLP_ENDPOINT": "http://127.0.0.1:4318"}, True),
        ({"OTEL_EXPORTER_OTLP_TRACES_ENDPOINT": "http://127.0.0.1:4318/v1/traces"}, True),
        ({"OTEL_EXPORTER_OTLP_ENDPOINT": "http://127.0.0.1:4318", "OTEL_SDK_DISABLED": "true"}, False),
        ({"OTEL_EXPORTER_OTLP_ENDPOINT": "  "}, False),
    ],
)
def test_export_is_wanted_only_when_an_otlp_endpoint_is_set_and_the_sdk_not_disabled(environ, expected) -> None:
    assert wanted(environ) is expected


def test_without_otel_variables_the_server_never_imports_the_opentelemetry_sdk() -> None:
    code = (
        "import sys, json\n"
        "from tab_mcp.cli import _parser\n"
        "from tab_mcp.server import create_http_app\n"
        "from tab_mcp.settings import Settings\n"
        "from tab_mcp.telemetry.sdk import configure_from_environment\n"
        "assert configure_from_environment({}) is False\n"
        "create_http_app(Settings(base_url='https://api.beta.tab.com.au'))\n"
        "print(json.dumps(sorted(m for m in sys.modules if m.startswith('opentelemetry.sdk'))))\n"
    )
    env = {"PATH": "", "PYTHONPATH": ""}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60, env=env)  # noqa: S603
    assert json.loads(out.stdout) == []


def test_session_sources_of_apps_gone_are_dropped_even_when_nothing_collects() -> None:
    import gc

    from tab_mcp.telemetry import instruments

    class Registry:
        def load(self) -> Any:
            raise AssertionError("not collected in this test")

    kept = Registry()
    instruments.observe_sessions(kept.load)
    for _ in range(50):
        instruments.observe_sessions(Registry().load)  # each registry is gone once the call returns
    gc.collect()
    instruments.observe_sessions(kept.load)
    alive = [ref() for ref in instruments._session_sources]
    assert None not in alive, "dead registries' references pile up without a metrics reader"
