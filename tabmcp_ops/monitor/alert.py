"""Health-check evaluation: what one monitor run observed, and which alert conditions it meets.

Inputs are the artefacts of one health run: a reachability probe of the MCP endpoint, the latency JSON
written by ``pytest --tabmcp-latency-json`` and the pytest exit status and JUnit XML. Everything here is
pure (no network) except :func:`probe_endpoint`.

Alert conditions (design.md §5; thresholds are constants so tests and docs name the same numbers):

* ``unreachable`` - the endpoint refused or dropped the connection, or DNS failed;
* ``timeout``     - the endpoint did not answer within the probe timeout, or the smoke run did not finish;
* ``server_error``- any HTTP status >= 500, from the endpoint itself or reported by a tool call;
* ``slow``        - p95 latency above 5 s;
* ``error_rate``  - more than 1 % of tool calls failed unexpectedly. Calls come from the JUnit file's
  per-test ``tabmcp_call`` properties: an error in a test that *passed* was asserted by that test (the smoke
  suite checks error paths on purpose) and is not counted; errors in failed tests are. Without those
  properties, every error in the latency JSON counts;
* ``smoke_failed``- the smoke suite failed for any other reason (a 4xx, a wrong result, no test ran).
  A health check that passes a 4xx is the bug the earlier monitor had.
"""

from __future__ import annotations

import ast
import json
import re
import time
import urllib.error
import urllib.request
import xml.etree.ElementTree as ET  # nosec B405
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from pytest_tabmcp._live import initialize_request
from tabmcp_ops.monitor.fetch import open_url, redirect_sentence

P95_LIMIT_MS = 5000.0
ERROR_RATE_LIMIT = 0.01
PROBE_TIMEOUT_S = 10.0
# Alerts that mean the service was not available in this run; "slow" and "error_rate" are degradations.
OUTAGE_ALERTS = frozenset({"unreachable", "timeout", "server_error", "smoke_failed"})
# "skipped" and "skipped_persistently" are raised by tabmcp_ops.monitor.skips (too many skips in consecutive runs,
# one test skipped run after run), "contract_drift" by
# tabmcp_ops.monitor.drift (the upstream changed a field the tools rely on).
ALERT_CODES = (
    "unreachable",
    "timeout",
    "server_error",
    "slow",
    "error_rate",
    "smoke_failed",
    "skipped",
    "skipped_persistently",
    "contract_drift",
)
_STATUS_5XX = re.compile(r"(?i)(?:returned|status(?:\s+code)?|http(?:/\d(?:\.\d)?)?|error)\s*[:=]?\s*(5\d\d)\b")


@dataclass(frozen=True)
class Probe:
    """Result of one HTTP probe of the MCP endpoint (an ``initialize`` POST)."""

    reachable: bool
    timed_out: bool = False
    status: int | None = None
    elapsed_ms: float | None = None
    error: str | None = None


@dataclass(frozen=True)
class SmokeResult:
    """What the pytest run reported: exit status and JUnit counts, plus failure texts to search for 5xx."""

    exit_code: int | None
    tests: int = 0
    failures: int = 0
    errors: int = 0
    skipped: int = 0
    messages: tuple[str, ...] = ()
    calls: int = 0
    unexpected_errors: int = 0
    expected_errors: int = 0
    timed_out: bool = False

    @property
    def passed(self) -> int:
        """Number of tests that passed."""
        return max(self.tests - self.failures - self.errors - self.skipped, 0)


@dataclass(frozen=True)
class LatencySummary:
    """The parts of the latency JSON the monitor uses."""

    calls: int = 0
    errors: int = 0
    p95_ms: float | None = None
    max_ms: float | None = None
    slowest_tool: str | None = None
    tools: dict[str, dict[str, float]] = field(default_factory=dict)
    #: The slowest traced calls ``(tool, ms, trace_id)``, slowest first: the server's traces to look at.
    slowest_traces: tuple[tuple[str, float, str], ...] = ()

    @property
    def error_rate(self) -> float:
        """Failed calls / calls (0.0 when nothing was called)."""
        return self.errors / self.calls if self.calls else 0.0


@dataclass(frozen=True)
class Alert:
    """One alert condition that was met: a code from :data:`ALERT_CODES` and a sentence for humans."""

    code: str
    message: str


def probe_endpoint(url: str, *, timeout: float = PROBE_TIMEOUT_S, headers: Mapping[str, str] | None = None) -> Probe:
    """POST an MCP ``initialize`` to ``url`` and classify the answer; never raises for network errors.

    Only the status line is needed, so at most 64 KiB of the body is read (a stateful server answers with an
    event stream that ends after the one response).
    """
    body = json.dumps(initialize_request("tabmcp-monitor")).encode()
    request_headers = {"Content-Type": "application/json", "Accept": "application/json, text/event-stream"}
    request_headers.update(headers or {})
    request = urllib.request.Request(url, data=body, headers=request_headers, method="POST")  # noqa: S310
    started = time.monotonic()
    try:
        with open_url(request, timeout=timeout) as response:
            response.read(65536)
            status = response.status
            session = response.headers.get("mcp-session-id")
    except urllib.error.HTTPError as exc:
        error = redirect_sentence(url, exc) if 300 <= exc.code < 400 else f"HTTP {exc.code}"
        return Probe(reachable=True, status=exc.code, elapsed_ms=_ms_since(started), error=error)
    except (urllib.error.URLError, OSError) as exc:
        # urlopen raises TimeoutError itself on a read timeout, or wraps it in URLError on connect.
        reason = getattr(exc, "reason", exc)
        if isinstance(exc, TimeoutError) or isinstance(reason, TimeoutError):
            silent = f"no answer in {timeout:g} s"
            return Probe(reachable=False, timed_out=True, elapsed_ms=_ms_since(started), error=silent)
        return Probe(reachable=False, elapsed_ms=_ms_since(started), error=str(reason))
    elapsed = _ms_since(started)
    if session:
        _close_session(url, session, request_headers, timeout)
    return Probe(reachable=True, status=status, elapsed_ms=elapsed)


def _close_session(url: str, session: str, headers: Mapping[str, str], timeout: float) -> None:
    """DELETE the probe's MCP session so probes do not pile up sessions on the server (best effort by design)."""
    request = urllib.request.Request(url, headers={**headers, "mcp-session-id": session}, method="DELETE")  # noqa: S310
    try:
        with open_url(request, timeout=timeout):
            pass
    except (urllib.error.URLError, OSError):
        # The probe already has its answer; a server that rejects DELETE (405) is allowed by the MCP spec.
        return


def _ms_since(started: float) -> float:
    return round((time.monotonic() - started) * 1000, 1)


def parse_latency(data: Mapping[str, Any] | None) -> LatencySummary:
    """Summarise a latency report (``{"tools": {...}, "overall": {...}}``); None gives an empty summary.

    p95 is the report's ``overall.p95_ms`` (computed from all raw samples) when present, else the worst
    tool's p95, which can only over-state latency, never hide it.
    """
    if not data:
        return LatencySummary()
    tools = {str(k): dict(v) for k, v in (data.get("tools") or {}).items() if isinstance(v, Mapping)}
    calls = sum(int(t.get("calls", 0)) for t in tools.values())
    errors = sum(int(t.get("errors", 0)) for t in tools.values())
    no_tool: tuple[str | None, dict[str, Any]] = (None, {})
    worst = max(tools.items(), key=lambda kv: float(kv[1].get("p95_ms", 0.0)), default=no_tool)
    overall = data.get("overall") or {}
    p95 = overall.get("p95_ms", worst[1].get("p95_ms") if worst[0] else None)
    max_ms = overall.get("max_ms", max((float(t.get("max_ms", 0.0)) for t in tools.values()), default=None))
    return LatencySummary(
        calls=calls,
        errors=errors,
        p95_ms=float(p95) if p95 is not None else None,
        max_ms=float(max_ms) if max_ms is not None else None,
        slowest_tool=worst[0],
        tools=tools,
        slowest_traces=tuple(
            (str(e["tool"]), float(e["ms"]), str(e["trace_id"]))
            for e in data.get("slowest") or []
            if isinstance(e, Mapping) and {"tool", "ms", "trace_id"} <= e.keys()
        ),
    )


def parse_junit(path: Path | None, exit_code: int | None) -> SmokeResult:
    """Read counts and failure messages from a pytest JUnit XML file (missing file: counts stay 0)."""
    if path is None or not path.exists():
        return SmokeResult(exit_code=exit_code)
    # Trusted local file written by pytest.
    root = ET.parse(path).getroot()  # noqa: S314  # nosec B314
    suites = [root] if root.tag == "testsuite" else list(root.iter("testsuite"))
    totals = {"tests": 0, "failures": 0, "errors": 0, "skipped": 0}
    for suite in suites:
        for key in totals:
            totals[key] += int(suite.get(key, "0") or 0)
    messages = []
    calls = {"calls": 0, "unexpected_errors": 0, "expected_errors": 0}
    for case in root.iter("testcase"):
        failed = False
        for tag in ("failure", "error"):
            for node in case.findall(tag):
                failed = True
                messages.append(f"{case.get('name', '?')}: {node.get('message', '')}\n{node.text or ''}"[:4000])
        for call in _calls_of(case):
            calls["calls"] += 1
            if call.get("error"):
                calls["unexpected_errors" if failed else "expected_errors"] += 1
    return SmokeResult(
        exit_code=exit_code,
        tests=totals["tests"],
        failures=totals["failures"],
        errors=totals["errors"],
        skipped=totals["skipped"],
        messages=tuple(messages),
        calls=calls["calls"],
        unexpected_errors=calls["unexpected_errors"],
        expected_errors=calls["expected_errors"],
    )


def _calls_of(case: ET.Element) -> list[dict[str, Any]]:
    """Return the ``tabmcp_call`` properties of a testcase (the plugin writes them as Python dict literals)."""
    found = []
    for prop in case.iter("property"):
        if prop.get("name") != "tabmcp_call":
            continue
        try:
            value = ast.literal_eval(prop.get("value", ""))
        except (ValueError, SyntaxError):
            continue  # a property we cannot read is left out rather than guessed
        if isinstance(value, dict):
            found.append(value)
    return found


@dataclass(frozen=True)
class ErrorCount:
    """Tool calls and the failed ones that count towards the error rate (see the module docstring)."""

    calls: int
    errors: int
    expected: int = 0
    source: str = "junit"

    @property
    def rate(self) -> float:
        """Return errors / calls (0.0 without calls)."""
        return self.errors / self.calls if self.calls else 0.0


def error_count(smoke: SmokeResult | None, latency: LatencySummary | None) -> ErrorCount:
    """Count calls and unexpected errors: from the JUnit call properties when present, else the latency JSON."""
    if smoke is not None and smoke.calls:
        return ErrorCount(smoke.calls, smoke.unexpected_errors, smoke.expected_errors, "junit")
    if latency is not None:
        return ErrorCount(latency.calls, latency.errors, 0, "latency")
    return ErrorCount(0, 0, 0, "none")


def statuses_in(texts: list[str] | tuple[str, ...]) -> list[int]:
    """Return the distinct HTTP 5xx statuses mentioned in failure texts ('Tabcorp API returned 503 ...')."""
    return sorted({int(m) for text in texts for m in _STATUS_5XX.findall(text)})


def evaluate(probe: Probe, smoke: SmokeResult | None, latency: LatencySummary | None) -> list[Alert]:
    """Apply the alert conditions to one run and return the alerts met (empty list: healthy)."""
    alerts: list[Alert] = []
    if probe.timed_out:
        alerts.append(Alert("timeout", f"the MCP endpoint did not answer: {probe.error}"))
    elif smoke is not None and smoke.timed_out:
        alerts.append(Alert("timeout", smoke.messages[0] if smoke.messages else "the smoke suite timed out"))
    elif not probe.reachable:
        alerts.append(Alert("unreachable", f"the MCP endpoint is unreachable: {probe.error}"))
    statuses = set(statuses_in(smoke.messages) if smoke else [])
    if probe.status is not None and probe.status >= 500:
        statuses.add(probe.status)
    if statuses:
        shown = ", ".join(str(s) for s in sorted(statuses))
        alerts.append(Alert("server_error", f"HTTP status >= 500 seen: {shown}"))
    if latency and latency.p95_ms is not None and latency.p95_ms > P95_LIMIT_MS:
        where = f" (slowest tool: {latency.slowest_tool})" if latency.slowest_tool else ""
        alerts.append(Alert("slow", f"p95 latency {latency.p95_ms:.0f} ms is above {P95_LIMIT_MS:.0f} ms{where}"))
    counted = error_count(smoke, latency)
    if counted.calls and counted.rate > ERROR_RATE_LIMIT:
        alerts.append(
            Alert(
                "error_rate",
                f"{counted.errors} of {counted.calls} tool calls failed unexpectedly ({counted.rate:.1%}, limit "
                f"{ERROR_RATE_LIMIT:.0%})",
            )
        )
    if probe.reachable and not probe.timed_out:
        reason = _smoke_failure(probe, smoke)
        if reason:
            alerts.append(Alert("smoke_failed", reason))
    return alerts


def _smoke_failure(probe: Probe, smoke: SmokeResult | None) -> str | None:
    """Return why the smoke run counts as failed, or None when it passed."""
    if probe.status is not None and 300 <= probe.status < 400:
        return probe.error or f"the MCP endpoint answered initialize with a redirect (HTTP {probe.status})"
    if probe.status is not None and 400 <= probe.status < 500:
        return f"the MCP endpoint answered initialize with HTTP {probe.status}"
    if smoke is None:
        return "the smoke suite did not run"
    if smoke.exit_code == 5 or (smoke.exit_code == 0 and smoke.tests == 0):
        return "the smoke suite ran no test (check the -m smoke selection and --live-url)"
    # Every test skipped (pytest exits 0) proves nothing about the server: a health check must see a pass.
    if smoke.exit_code == 0 and smoke.passed == 0:
        return f"the smoke suite passed no test: all {smoke.tests} were skipped (see the skip reasons in the log)"
    if smoke.exit_code != 0:
        counts = f"{smoke.failures} failed, {smoke.errors} errors, {smoke.passed} passed"
        first = smoke.messages[0].splitlines()[0][:300] if smoke.messages else "see the pytest output"
        return f"the smoke suite failed (exit {smoke.exit_code}; {counts}): {first}"
    return None


def to_jsonable(obj: Any) -> Any:
    """Convert the dataclasses of this module to plain JSON data."""
    return asdict(obj) if hasattr(obj, "__dataclass_fields__") else obj
