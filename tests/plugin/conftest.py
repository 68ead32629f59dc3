"""Fixtures for the plugin's own tests: a pytester project with a cassette, and a live tab-mcp over loopback.

Inner runs use pytester in-process (so coverage sees them) unless isolation matters (``-n 2``). The live
server is the real ``create_http_app`` served by the stand-in's threaded runner on 127.0.0.1, its upstream an
``httpx.MockTransport`` serving the same payloads as the test cassette, so both modes see the same data.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from pytest_tabmcp.standin import serve_in_thread
from tests.helpers.plugin_project import DEMO_CASSETTE, INNER_CONFTEST, HeaderRecorder, mock_upstream, write_ini


def pytest_configure(config: pytest.Config) -> None:
    # pytest refuses ``pytest_plugins`` outside the root conftest; loading pytester when this folder is
    # collected keeps it out of every other test run (a no-op if the root conftest already loads it).
    config.pluginmanager.import_plugin("pytester")


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


@pytest.fixture(scope="session")
def live_app() -> HeaderRecorder:
    """The real tab-mcp HTTP app (upstream: ``mock_upstream``), wrapped to record request headers."""
    from pytest_tabmcp.fixtures import offline_settings
    from tab_mcp.server import create_http_app

    return HeaderRecorder(create_http_app(offline_settings(), transport=httpx.MockTransport(mock_upstream)))


@pytest.fixture(scope="session")
def live_server(live_app: HeaderRecorder) -> Iterator[str]:
    """Base URL (``http://127.0.0.1:P``) of ``live_app`` served by uvicorn in a thread."""
    with serve_in_thread(live_app, name="tabmcp-live-test") as served:
        yield served.base


@pytest.fixture(scope="session")
def standin() -> Iterator[Any]:
    """The stand-in serving the fixed hand-built cassettes on loopback (``.url``, ``.standin``)."""
    from pytest_tabmcp.standin import run_standin
    from tests.helpers.data_sets import FIXED

    with run_standin(FIXED) as handle:  # fixed data: cassettes/ may hold recordings
        yield handle


@pytest.fixture
def live_url(live_server: str) -> str:
    """The MCP endpoint of the live test server."""
    return f"{live_server}/mcp"
