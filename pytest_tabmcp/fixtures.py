"""The tabmcp fixtures; registered by ``plugin.pytest_configure`` (do not list this module in ``pytest_plugins``).

The same test body runs offline (in-process server, upstream replayed from a cassette) and live
(``--live-url``: a running server over streamable HTTP)::

    @pytest.mark.anyio
    @pytest.mark.tabmcp(cassette="racing")
    async def test_meetings(call_tool, tabmcp_mode):
        result = await call_tool("racing_get_meetings", {"meeting_date": "today"})
        assert result.structured_content["meetings"]

``mcp_client`` is an async yield fixture run by anyio's pytest plugin (never pytest-asyncio, whose separate
setup and teardown tasks break an open ``mcp.Client``); it asks for ``anyio_backend`` itself.
"""

from __future__ import annotations

import functools
import os
import time
from collections.abc import AsyncIterator, Iterator, Mapping
from contextlib import AsyncExitStack
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

import pytest

from pytest_tabmcp._cassettes import (
    CassetteConfig,
    cassette_path,
    default_cassette_name,
    missing_interaction_message,
    open_cassette,
    placeholder,
)
from pytest_tabmcp._live import CALL_S
from pytest_tabmcp._oauth import (
    CREDENTIAL_ENV,
    OAuthError,
    OAuthToken,
    TabCredentials,
    credentials_from_env,
    fetch_token,
    placeholder_credentials,
)
from pytest_tabmcp.contracts import check_result
from pytest_tabmcp.contracts.drift import DRIFT_PROPERTY, drift_property, failure_message
from pytest_tabmcp.latency import CALL_PROPERTY, CallSample
from pytest_tabmcp.options import MarkerOptions, TabmcpOptions, effective_mode
from pytest_tabmcp.stash import CASSETTE_CONFIG_KEY, FAILED_KEY, MARKER_KEY, OPTIONS_KEY, SERVERS_KEY
from pytest_tabmcp.trace_context import new_traceparent

if TYPE_CHECKING:
    from mcp import Client
    from mcp.types import CallToolResult, RequestParamsMeta

    from tab_mcp.settings import Settings

OFFLINE_BASE_URL = "https://api.beta.tab.com.au"


def _marker(request: pytest.FixtureRequest) -> MarkerOptions:
    return request.node.stash.get(MARKER_KEY, None) or MarkerOptions()


@pytest.fixture(scope="session")
def tabmcp_options(pytestconfig: pytest.Config) -> TabmcpOptions:
    """The run's resolved options (CLI > env > ini > default); see ``pytest_tabmcp.options``."""
    return pytestconfig.stash[OPTIONS_KEY]


@pytest.fixture
def tabmcp_mode(request: pytest.FixtureRequest, tabmcp_options: TabmcpOptions) -> str:
    """The test's mode: ``"offline"`` (replay), ``"record"`` (cassette records) or ``"live"`` (--live-url)."""
    return effective_mode(tabmcp_options, _marker(request))


@pytest.fixture
def tab_credentials(tabmcp_mode: str) -> TabCredentials:
    """OAuth credentials: the cassettes' placeholders offline; ``TAB_*`` from the environment otherwise.

    In live or record mode, a missing ``TAB_CLIENT_ID``/``TAB_CLIENT_SECRET`` skips the test, naming them.
    """
    if tabmcp_mode == "offline":
        return placeholder_credentials()
    credentials, missing = credentials_from_env()
    if credentials is None:
        pytest.skip(f"tab_credentials: {tabmcp_mode} mode needs {', '.join(missing)} in the environment")
    return credentials


@functools.cache
def _explicit_settings_class() -> type[Settings]:
    from pydantic_settings import BaseSettings, PydanticBaseSettingsSource

    from tab_mcp.settings import Settings

    class ExplicitSettings(Settings):
        """``Settings`` read from keyword arguments only: no ``TAB_*`` variable, no ``.env`` file."""

        @classmethod
        def settings_customise_sources(
            cls,
            settings_cls: type[BaseSettings],
            init_settings: PydanticBaseSettingsSource,
            env_settings: PydanticBaseSettingsSource,
            dotenv_settings: PydanticBaseSettingsSource,
            file_secret_settings: PydanticBaseSettingsSource,
        ) -> tuple[PydanticBaseSettingsSource, ...]:
            return (init_settings,)

    return ExplicitSettings


def offline_settings(**values: Any) -> Settings:
    """``Settings`` built from ``values`` only, ignoring every ``TAB_*`` variable, so replays are hermetic."""
    creds = placeholder_credentials()
    defaults = {"base_url": OFFLINE_BASE_URL, "client_id": creds.client_id, "client_secret": creds.client_secret}
    return _explicit_settings_class()(**(defaults | values))


@functools.cache
def _shared_offline_settings() -> Settings:
    # One frozen instance, so the in-process server built from it can be reused (see _server_for).
    return offline_settings()


@pytest.fixture
def tab_settings(tabmcp_mode: str) -> Settings:
    """Server settings for the in-process server (and for ``oauth_token``).

    Offline: the cassettes' base URL and placeholder credentials, with no ``TAB_*`` read. When recording or
    live: ``TAB_*`` from the environment. Override this fixture to change them.
    """
    if tabmcp_mode == "offline":
        return _shared_offline_settings()
    from tab_mcp.errors import ConfigError
    from tab_mcp.settings import load_settings

    try:
        return load_settings()
    except ConfigError as exc:
        pytest.fail(f"tab_settings: {exc}", pytrace=False)


def _cassette_config(config: pytest.Config, options: TabmcpOptions) -> CassetteConfig:
    if CASSETTE_CONFIG_KEY not in config.stash:
        cassette_config = CassetteConfig(cassette_dir=options.cassette_dir, record_mode=options.record_mode)
        # The recording run's own secrets are replaced wherever they appear, not only in known fields.
        for name in CREDENTIAL_ENV:
            secret = os.environ.get(name, "").strip()
            if len(secret) >= 4:
                cassette_config.scrub_values[secret] = placeholder(name.removeprefix("TAB_").lower())
        config.hook.pytest_tabmcp_configure_cassette(config=config, cassette_config=cassette_config)
        config.stash[CASSETTE_CONFIG_KEY] = cassette_config
    return config.stash[CASSETTE_CONFIG_KEY]


def fail_on_new_misses(cassette: Any, nodeid: str) -> None:
    """Fail the test if ``cassette`` refused requests not yet reported, naming them and the re-record command."""
    __tracebackhide__ = True
    if cassette is None or len(cassette.misses) <= cassette.reported:
        return
    new, cassette.reported = cassette.misses[cassette.reported :], len(cassette.misses)
    record_mode = str(getattr(cassette.record_mode, "value", cassette.record_mode))
    message = missing_interaction_message(new, nodeid=nodeid, path=Path(cassette.path), record_mode=record_mode)
    pytest.fail(message, pytrace=False)


class _TestFailedError(Exception):
    """Passed to vcrpy's ``__exit__`` so that a failing test does not save its recording."""


@pytest.fixture
def tabmcp_cassette(request: pytest.FixtureRequest, tabmcp_options: TabmcpOptions, tabmcp_mode: str) -> Iterator[Any]:
    """The active vcrpy Cassette for this test (None in live mode); it has ``play_count``, ``all_played``, ...

    Its file is ``<cassette_dir>/<name>.yaml``, where the name comes from ``@pytest.mark.tabmcp(cassette=...)``
    or defaults to the test module's name without ``test_``. A request it cannot replay fails the test with
    the method, the URL and the command that records it.
    """
    if tabmcp_mode == "live":
        yield None
        return
    marker = _marker(request)
    config = _cassette_config(request.config, tabmcp_options)
    path = cassette_path(config.cassette_dir, marker.cassette or default_cassette_name(request.node.path.stem))
    record_mode = marker.record_mode or tabmcp_options.record_mode
    context = open_cassette(config, path, record_mode=record_mode)
    cassette = context.__enter__()
    try:
        yield cassette
    finally:
        if request.node.stash.get(FAILED_KEY, False):
            context.__exit__(_TestFailedError, _TestFailedError(), None)
        else:
            context.__exit__(None, None, None)
    fail_on_new_misses(cassette, request.node.nodeid)  # misses no fixture has reported yet (mcp_client use)


@pytest.fixture
def oauth_token(
    request: pytest.FixtureRequest, tab_credentials: TabCredentials, tab_settings: Settings, tabmcp_cassette: Any
) -> OAuthToken:
    """An OAuth token from ``POST {base_url}/oauth/token``: from the cassette offline, real otherwise.

    When recording or live it is a real grant: password with ``TAB_USERNAME``/``TAB_PASSWORD``, else
    client_credentials.

    Its ``repr`` hides the token; use ``.access_token``, ``.expires_in``, ``.expires_at`` and ``.remaining()``.
    """
    try:
        return fetch_token(tab_settings.base_url, tab_credentials, timeout=tab_settings.api_timeout)
    except OAuthError as exc:
        pytest.fail(f"oauth_token: {exc}", pytrace=False)
    except Exception:
        fail_on_new_misses(tabmcp_cassette, request.node.nodeid)  # vcrpy refused the token request
        raise


@pytest.fixture(scope="session")
def tabmcp_live_check(tabmcp_options: TabmcpOptions) -> None:
    """Live mode: reach the server and initialize once per run; on failure every live test errors with its reason.

    pytest caches a session fixture's failure, so a down or hung server costs one check (seconds), not a
    timeout per test.
    """
    if not tabmcp_options.live_url:
        return
    from pytest_tabmcp._live import check_live_server

    problem = check_live_server(tabmcp_options.live_url, tabmcp_options.live_headers)
    if problem is not None:
        pytest.fail(f"tabmcp live check: {problem}.", pytrace=False)


@pytest.fixture
async def mcp_client(
    anyio_backend: Any,
    request: pytest.FixtureRequest,
    tabmcp_options: TabmcpOptions,
    tabmcp_mode: str,
    tabmcp_cassette: Any,
) -> AsyncIterator[Client]:
    """A connected ``mcp.Client``: in-process over the cassette offline, streamable HTTP with ``--live-url``.

    Offline it uses the legacy (initialize) handshake over JSON-RPC in memory, so serialisation is exercised.
    """
    async with AsyncExitStack() as stack:
        if tabmcp_mode == "live":
            from pytest_tabmcp._live import open_live_client

            request.getfixturevalue("tabmcp_live_check")  # fails every test at once when the server is down
            try:
                client = await stack.enter_async_context(
                    open_live_client(tabmcp_options.live_url or "", tabmcp_options.live_headers)
                )
            except ConnectionError as exc:
                pytest.fail(f"mcp_client: {exc}; is the server running? (--live-url / TABMCP_LIVE_URL)", pytrace=False)
        else:
            from mcp import Client

            server = _server_for(request.config, request.getfixturevalue("tab_settings"))
            client = await stack.enter_async_context(Client(server, mode="legacy"))
        yield client


def _server_for(config: pytest.Config, settings: Settings) -> Any:
    """The in-process server for ``settings``, built once per settings object and run.

    Building the 28 tools takes ~70 ms; a server is reusable because each connection enters its own lifespan
    (own upstream client, own token cache), so tests stay independent.
    """
    from tab_mcp.server import create_server

    servers = config.stash.setdefault(SERVERS_KEY, {})
    key = id(settings)
    if key not in servers:
        servers[key] = (settings, create_server(settings))  # holding settings keeps its id unique
    return servers[key][1]


class ToolCaller:
    """``await call_tool(name, args, *, expect_error=False)``: a timed tool call that fails the test clearly.

    Every call is recorded on the test item (``user_properties``, ``("tabmcp_call", {"tool","ms","error"})``)
    for the latency report. ``expect_error=False`` fails the test on ``isError`` with the tool's own error
    text; ``True`` fails it when the call succeeds; ``None`` accepts either and leaves the result to the test,
    which must then assert which error it got (a test that accepts any error cannot see a regression live).
    A cassette miss always fails, with the command that records it.
    A successful result is checked against its tool's response contract (``pytest_tabmcp.contracts``); drift
    fails the test with one sentence per difference and joins the run's drift report.
    """

    def __init__(
        self, client: Client, item: pytest.Item, cassette: Any, budget_ms: float | None, timeout_s: float | None = None
    ) -> None:
        self.client = client
        self.item = item
        self.cassette = cassette
        self.budget_ms = budget_ms
        self.timeout_s = timeout_s

    async def __call__(
        self, name: str, arguments: Mapping[str, Any] | None = None, *, expect_error: bool | None = False
    ) -> CallToolResult:
        """Call tool ``name`` with ``arguments`` and return its ``CallToolResult``."""
        __tracebackhide__ = True
        # A fresh W3C trace context per call: the server parents its spans on it, and the latency report
        # names the slowest calls' trace ids.
        trace = new_traceparent()
        started = time.perf_counter()
        try:
            # Live, a call has its own timeout (well under pytest's), so a hung server reads as the tool's failure.
            args = dict(arguments or {})
            result = await self.client.call_tool(
                name, args, read_timeout_seconds=self.timeout_s, meta=cast("RequestParamsMeta", trace.meta())
            )
        except BaseException:
            self._record(name, started, error=True, trace_id=trace.trace_id)
            raise
        elapsed = self._record(name, started, error=bool(result.is_error), trace_id=trace.trace_id)
        # The SDK hides vcrpy's error behind "Error executing tool ..."; the cassette knows what it refused.
        fail_on_new_misses(self.cassette, self.item.nodeid)
        if result.is_error and expect_error is False:
            pytest.fail(f"tool {name} returned an error: {error_text(result)}", pytrace=False)
        if expect_error is True and not result.is_error:
            pytest.fail(f"tool {name} was expected to return an error, but it succeeded", pytrace=False)
        if not result.is_error:
            self._check_contract(name, result)
        if self.budget_ms is not None and elapsed > self.budget_ms:
            pytest.fail(
                f"tool {name} took {elapsed:.2f} ms, over this test's latency budget of {self.budget_ms:g} ms "
                "(@pytest.mark.tabmcp(latency_budget_ms=...))",
                pytrace=False,
            )
        return result

    def _check_contract(self, name: str, result: CallToolResult) -> None:
        """Fail the test on upstream contract drift, one sentence per difference (see ``contracts``)."""
        __tracebackhide__ = True
        violations = check_result(name, result.structured_content)
        if violations:
            self.item.user_properties.append((DRIFT_PROPERTY, drift_property(name, violations)))
            pytest.fail(failure_message(name, violations), pytrace=False)

    def _record(self, name: str, started: float, *, error: bool, trace_id: str) -> float:
        elapsed = (time.perf_counter() - started) * 1000
        sample = CallSample(tool=name, ms=elapsed, error=error, trace_id=trace_id)
        self.item.user_properties.append((CALL_PROPERTY, sample.to_property()))
        return elapsed


def error_text(result: CallToolResult) -> str:
    """The text of a tool result's content (what the model would read), joined into one string."""
    return " ".join(getattr(block, "text", "") for block in result.content).strip() or "(no text content)"


@pytest.fixture
def call_tool(mcp_client: Client, request: pytest.FixtureRequest, tabmcp_cassette: Any, tabmcp_mode: str) -> ToolCaller:
    """Return the timed tool caller (a :class:`ToolCaller`); await it with a tool name and arguments."""
    timeout_s = CALL_S if tabmcp_mode == "live" else None
    return ToolCaller(mcp_client, request.node, tabmcp_cassette, _marker(request).latency_budget_ms, timeout_s)
