"""Fixtures for the plugin's own tests: a pytester project with a cassette, and a live tab-mcp over loopback.

Inner runs use pytester in-process (so coverage sees them) unless isolation matters (``-n 2``). The live
server is the real ``create_http_app`` under uvicorn in a thread on 127.0.0.1, its upstream an
``httpx.MockTransport`` serving the same payloads as the test cassette, so both modes see the same data.
"""

from __future__ import annotations

import json
import os
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import uvicorn


def pytest_configure(config: pytest.Config) -> None:
    # pytest refuses ``pytest_plugins`` outside the root conftest; loading pytester when this folder is
    # collected keeps it out of every other test run (a no-op if the root conftest already loads it).
    config.pluginmanager.import_plugin("pytester")


REPO = Path(__file__).resolve().parents[2]
BASE = "https://api.beta.tab.com.au"
INFO = "/v1/tab-info-service"
# Complete enough for the response contracts (pytest_tabmcp.contracts), which call_tool checks.
DATES = {"dates": [{"meetingDate": "2026-09-23", "dateName": "today"}]}
MEETINGS = {
    "meetings": [
        {
            "meetingName": "WARWICK FARM",
            "venueMnemonic": "WFM",
            "raceType": "R",
            "location": "NSW",
            "meetingDate": "2026-09-23",
            "races": [],
        }
    ]
}
TOKEN = {"access_token": "placeholder-access-token", "token_type": "Bearer", "expires_in": 10800}
NOT_FOUND = {"error": {"code": "RESOURCE_NOT_FOUND_ERROR", "message": "Resource not found"}}
# What the upstream answers, by method and path (query ignored: jurisdiction is always NSW here).
ROUTES: dict[tuple[str, str], tuple[int, dict]] = {
    ("GET", f"{INFO}/racing/dates"): (200, DATES),
    ("GET", f"{INFO}/racing/dates/2026-09-23/meetings"): (200, MEETINGS),
    ("GET", f"{INFO}/racing/dates/2026-09-23/meetings/R/WFM/races/99"): (404, NOT_FOUND),
    ("POST", "/oauth/token"): (200, TOKEN),
}


def _yaml_interaction(method: str, path: str, status: int, body: dict) -> str:
    query = "" if method == "POST" else "?jurisdiction=NSW"
    request_body = (
        "grant_type=client_credentials&client_id=PLACEHOLDER_CLIENT_ID&client_secret=PLACEHOLDER_CLIENT_SECRET"
        if method == "POST"
        else None
    )
    return (
        "- request:\n"
        f"    body: {json.dumps(request_body)}\n"
        "    headers: {}\n"
        f"    method: {method}\n"
        f"    uri: {BASE}{path}{query}\n"
        "  response:\n"
        f"    body: {{string: {json.dumps(json.dumps(body))}}}\n"
        "    headers: {content-type: [application/json]}\n"
        f"    status: {{code: {status}, message: X}}\n"
    )


DEMO_CASSETTE = (
    "interactions:\n" + "".join(_yaml_interaction(m, p, s, b) for (m, p), (s, b) in ROUTES.items()) + "version: 1\n"
)

INNER_INI = """[pytest]
addopts = --strict-markers -p no:cacheprovider -p no:randomly
filterwarnings = error
asyncio_mode = strict
asyncio_default_fixture_loop_scope = function
"""
INNER_CONFTEST = """
import pytest

@pytest.fixture
def anyio_backend():
    return "asyncio"
"""


@pytest.fixture(autouse=True)
def _keep_libraries_imported(monkeypatch: pytest.MonkeyPatch) -> None:
    """Keep the libraries an in-process inner run imports (mcp, vcrpy, cryptography, ...) after it ends.

    Pytester drops every module first imported during ``runpytest()``; the next run then imports a second
    copy of C-extension-backed packages (cryptography's OpenSSL bindings) and of vcrpy, whose patches and
    isinstance checks then disagree with the first copy. Only the inner runs' own test modules and conftests
    need isolating, so only those are dropped. (Reaches into ``_pytest.pytester``: no public knob exists.)
    """
    import _pytest.pytester as pytester_module

    class KeepLibraries(pytester_module.SysModulesSnapshot):
        def __init__(self, preserve: Any = None) -> None:
            super().__init__(preserve=lambda name: not name.startswith(("test_", "conftest")))

    monkeypatch.setattr(pytester_module, "SysModulesSnapshot", KeepLibraries)


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    """Inner runs must not see the outer environment's tabmcp, TAB_* or step-summary settings."""
    for name in list(os.environ):
        if name.startswith(("TABMCP_", "TAB_")) or name == "GITHUB_STEP_SUMMARY":
            monkeypatch.delenv(name)


def write_ini(pytester: pytest.Pytester, **keys: str) -> None:
    """Write the inner run's pytest.ini: the project's strictness plus ``keys`` (e.g. tabmcp_record_mode)."""
    pytester.makeini(INNER_INI + "".join(f"{key} = {value}\n" for key, value in keys.items()))


@pytest.fixture(autouse=True)
def _inner_ini(request: pytest.FixtureRequest, _keep_libraries_imported: None) -> None:
    """Every pytester directory starts with the project's ini, so inner runs are as strict as ours."""
    # Depends on _keep_libraries_imported: pytester snapshots sys.modules when it is created.
    if "pytester" in request.fixturenames:
        write_ini(request.getfixturevalue("pytester"))


@pytest.fixture
def project(pytester: pytest.Pytester) -> pytest.Pytester:
    """A pytester directory laid out like a user project: ini, anyio backend, cassettes/demo.yaml."""
    pytester.makeconftest(INNER_CONFTEST)
    cassettes = pytester.mkdir("cassettes")
    (cassettes / "demo.yaml").write_text(DEMO_CASSETTE, encoding="utf-8")
    return pytester


def mock_upstream(request: httpx.Request) -> httpx.Response:
    """The upstream of the live server: the ROUTES table, 404 with an info-service error otherwise."""
    status, body = ROUTES.get((request.method, request.url.path), (404, NOT_FOUND))
    return httpx.Response(status, json=body)


class ServerThread:
    """Run an ASGI app with uvicorn on 127.0.0.1 (free port) in a daemon thread; stop it by flag."""

    def __init__(self, app: object) -> None:
        config = uvicorn.Config(app, host="127.0.0.1", port=0, log_level="warning", log_config=None, lifespan="on")
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, name="tabmcp-live-test", daemon=True)

    def __enter__(self) -> str:
        self.thread.start()
        deadline = time.monotonic() + 10
        while not self.server.started:
            if not self.thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError("the live tab-mcp server did not start")
            time.sleep(0.01)
        port = self.server.servers[0].sockets[0].getsockname()[1]
        return f"http://127.0.0.1:{port}"

    def __exit__(self, *exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(10)
        if self.thread.is_alive():
            self.server.force_exit = True
            self.thread.join(10)


class HeaderRecorder:
    """ASGI middleware remembering the request headers of every HTTP request (to check live headers)."""

    def __init__(self, app: Any) -> None:
        self.app = app
        self.seen: list[dict[str, str]] = []

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] == "http":
            self.seen.append({k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]})
        await self.app(scope, receive, send)


@pytest.fixture(scope="session")
def live_app() -> HeaderRecorder:
    """The real tab-mcp HTTP app (upstream: ``mock_upstream``), wrapped to record request headers."""
    from pytest_tabmcp.fixtures import offline_settings
    from tab_mcp.server import create_http_app

    return HeaderRecorder(create_http_app(offline_settings(), transport=httpx.MockTransport(mock_upstream)))


@pytest.fixture(scope="session")
def live_server(live_app: HeaderRecorder) -> Iterator[str]:
    """Base URL (``http://127.0.0.1:P``) of ``live_app`` served by uvicorn in a thread."""
    with ServerThread(live_app) as url:
        yield url


@pytest.fixture(scope="session")
def standin() -> Iterator[Any]:
    """The upstream stand-in serving the fixed hand-built cassettes on loopback (``.url``, ``.standin``)."""
    from pytest_tabmcp.upstream import run_standin
    from tests.helpers.data_sets import FIXED

    with run_standin(FIXED) as handle:  # fixed data: cassettes/ may hold recordings
        yield handle


@pytest.fixture
def live_url(live_server: str) -> str:
    """The MCP endpoint of the live test server."""
    return f"{live_server}/mcp"


def read_json(path: Path) -> dict:
    """Load a JSON file written by an inner run."""
    return json.loads(path.read_text(encoding="utf-8"))
