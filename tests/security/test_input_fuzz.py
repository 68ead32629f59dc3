"""Property tests: no string argument of any tool can steer a request off the info service or inject a header.

Every string argument of every tool (read from ``tools/list``, so a new tool is covered automatically) is
fuzzed with Unicode, ``..``, ``%2e%2e``, ``/``, ``?``, ``#``, CR/LF, NUL and very long values, while the
other arguments stay valid. For every upstream request the server makes, these must hold:

- it goes to the configured scheme, host and port, and its path is ``/oauth/token`` (POST) or lies under
  ``/v1/tab-info-service/`` (GET), made only of percent-encoded segments, none of them empty, ``.`` or ``..``;
- a free-text argument arrives as exactly one path segment that decodes back to the value;
- the query holds only the parameters the tool sends, once each; an OAuth form holds only its grant fields;
- the headers are exactly the expected set (plus ``authorization`` on info calls), with no CR/LF in any value;
- the tool answers with a result or a clear error sentence, never the SDK's hidden-exception text.

Hypothesis runs derandomized with no example database, so CI sees the same examples every time.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qsl, quote, unquote

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from tab_mcp.server import create_server
from tests.helpers.in_memory import INFO_PREFIX, OAUTH_PATH, SERVER_TOKEN, InMemory, fuzz_settings, in_memory

FUZZ_EACH = settings(  # ~78 arguments x 20 generated (+3 fixed) examples
    max_examples=20,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
FUZZ = settings(
    max_examples=80,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
BASE_HEADERS = {"host", "accept", "accept-encoding", "connection", "user-agent"}
FORM_HEADERS = BASE_HEADERS | {"content-length", "content-type"}
SEGMENT_CHARS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~%")
#: Valid values for every argument the fuzzed one is not.
VALID: dict[str, Any] = {
    "meeting_date": "today", "race_type": "R", "venue_mnemonic": "WFM", "race_number": 1, "runner_number": 1,
    "wagering_product": "Quinella", "sport_name": "AFL Football", "competition_name": "AFL",
    "tournament_name": "ATP Munich", "match_name": "Wst Bulldogs v Adelaide", "round_number": 1,
    "path": "/v1/tab-info-service/racing/dates",
}  # fmt: skip
#: Arguments that reach the path as one segment, verbatim (the others are normalised or looked up first).
FREE_TEXT_SEGMENTS = {"venue_mnemonic", "sport_name", "competition_name", "tournament_name", "match_name"}
OAUTH_FIELDS = {"grant_type", "client_id", "client_secret", "username", "password", "refresh_token"}
QUERY_KEYS = {
    "jurisdiction", "fixedOdds", "maxRaces", "includeRecentlyClosed", "limit", "liveBettingOnly", "futuresOnly",
    "openOnly", "series",
}  # fmt: skip
HOSTILE = [
    "..", ".", "%2e%2e", "%2E%2E/%2e%2e", "../../../v1/account-service/accounts/me", "a/../../b", "a\\..\\b",
    "?x=1&jurisdiction=WA", "#frag", "a\r\nX-Injected: 1", "a\nb", "\x00", "x\x00y", "%00", "%0d%0aX: y", " ",
    "Ünïcödé ☃ 𝔘", "‮evil", "a\u2028b", "x" * 5000, "//evil.example/x", "https://evil.example/", "@evil.example",
    "%252e%252e", "A&B=C", "name;param", "WFM",
]  # fmt: skip
hostile_text = st.one_of(
    st.sampled_from(HOSTILE),
    st.text(max_size=40),
    st.text(alphabet=st.sampled_from(list("./%2eE?#&=\\\r\n\x00 aZ")), max_size=24),
    st.text(min_size=190, max_size=260),
)


def _json_types(schema: dict[str, Any]) -> set[Any]:
    """Every JSON type a property schema accepts: its ``type`` (one or a list), its ``anyOf``, its enum's values."""
    declared = schema.get("type")
    types = set(declared) if isinstance(declared, list) else {declared}
    types |= {alt.get("type") for alt in schema.get("anyOf", [])}
    if any(isinstance(value, str) for value in schema.get("enum", [])):
        types.add("string")
    return types


def _string_arguments() -> list[tuple[str, str]]:
    server = create_server(fuzz_settings())
    tools = asyncio.run(server.list_tools())
    pairs = []
    for tool in tools:
        for name, schema in tool.input_schema.get("properties", {}).items():
            if "string" in _json_types(schema):
                pairs.append((tool.name, name))
    return sorted(pairs)


STRING_ARGUMENTS = _string_arguments()
TOOL_REQUIRED = {
    tool.name: list(tool.input_schema.get("required", []))
    for tool in asyncio.run(create_server(fuzz_settings()).list_tools())
}


@pytest.fixture(scope="module")
def server() -> Iterator[InMemory]:
    with in_memory(fuzz_settings(enable_betting=False)) as connected:
        yield connected


def check_result(tool: str, result: Any) -> None:
    """A result, or an error with a sentence; never the text MCPServer uses for an unexpected exception."""
    if result.is_error:
        text = result.content[0].text
        assert text.startswith(f"Error executing tool {tool}: ") or text.startswith("Error executing tool"), text
        assert text.strip() != f"Error executing tool {tool}", "an unexpected exception escaped the tool"


def check_request(sent: Any, *, tool: str, arguments: dict[str, Any]) -> None:
    """The invariants every upstream request must satisfy."""
    url = sent.url
    assert (url.scheme, url.host, url.port) == ("https", "api.beta.tab.com.au", None), str(url)
    names = [name.lower() for name, _ in sent.headers]
    assert len(names) == len(set(names)), f"a repeated header: {names}"
    for name, value in sent.headers:
        assert "\r" not in value and "\n" not in value and "\x00" not in value, (name, value)
    if sent.raw_path == OAUTH_PATH:
        assert sent.method == "POST" and set(names) == FORM_HEADERS, names
        form = parse_qsl(sent.body.decode("ascii"), keep_blank_values=True, strict_parsing=True)
        keys = [k for k, _ in form]
        assert len(keys) == len(set(keys)) and set(keys) <= OAUTH_FIELDS, form
        for key, value in form:  # a value given as an argument arrives whole, in its own field
            if arguments.get(key):
                assert value == arguments[key], (key, value)
        return
    service_root = sent.raw_path == INFO_PREFIX.rstrip("/")  # tab_get("/v1/tab-info-service/") is allowed
    assert service_root or sent.raw_path.startswith(INFO_PREFIX), f"left the info service: {sent.raw_path}"
    assert sent.method == "GET" or tool == "tab_post", sent.method
    segments = [] if service_root else sent.raw_path[len(INFO_PREFIX) :].split("/")
    for segment in segments:
        assert segment and set(segment) <= SEGMENT_CHARS, f"raw segment {segment!r} in {sent.raw_path}"
        assert unquote(segment) not in {"", ".", ".."}, f"dot segment in {sent.raw_path}"
    for name, value in arguments.items():
        if name in FREE_TEXT_SEGMENTS and isinstance(value, str):
            assert quote(value, safe="") in segments, f"{name}={value!r} is not one segment of {sent.raw_path}"
    expected_headers = BASE_HEADERS | {"authorization"}
    assert set(names) == expected_headers, names
    token = arguments.get("access_token")
    authorization = dict(sent.headers)["authorization"]
    expected_token = token.strip().removeprefix("Bearer ").strip() if token else SERVER_TOKEN
    assert authorization == f"Bearer {expected_token}", authorization
    query = parse_qsl(sent.raw_query, keep_blank_values=True, strict_parsing=bool(sent.raw_query))
    keys = [k for k, _ in query]
    assert len(keys) == len(set(keys)), f"a repeated query parameter: {query}"
    assert keys.count("jurisdiction") == 1, query
    if tool != "tab_get":
        assert set(keys) <= QUERY_KEYS, f"unexpected query parameter in {query}"


def arguments_for(tool: str, name: str, value: str) -> dict[str, Any]:
    """Valid values for the tool's required arguments, then the fuzzed one."""
    arguments = {arg: VALID[arg] for arg in TOOL_REQUIRED[tool] if arg in VALID}
    arguments[name] = value
    return arguments


@pytest.mark.parametrize(("tool", "name"), STRING_ARGUMENTS, ids=[f"{t}.{a}" for t, a in STRING_ARGUMENTS])
@FUZZ_EACH
@given(value=hostile_text)
@example(value="../../../v1/account-service/accounts/me")
@example(value="%2e%2e")
@example(value="a\r\nAuthorization: Bearer stolen")
def test_string_argument_cannot_leave_the_info_service(server: InMemory, tool: str, name: str, value: str) -> None:
    arguments = arguments_for(tool, name, value)
    result, sent = server.call(tool, arguments)
    check_result(tool, result)
    for request in sent:
        check_request(request, tool=tool, arguments=arguments)


def test_fuzzed_arguments_cover_every_tool() -> None:
    fuzzed_tools = {tool for tool, _ in STRING_ARGUMENTS}
    all_tools = set(TOOL_REQUIRED)
    # Only tools without any string argument may be missing (there are none today).
    assert fuzzed_tools == all_tools, all_tools - fuzzed_tools
    assert len(STRING_ARGUMENTS) >= 70


tab_paths = st.one_of(
    st.sampled_from(
        [
            "/v1/tab-info-service/../account-service/accounts/me",
            "/v1/tab-info-service/%2e%2e/account-service/accounts/me",
            "/v1/tab-info-service/%2E%2E%2F%2E%2E%2Faccount-service",
            "/v1/tab-info-service/racing/..%2F..%2Faccount-service",
            "//evil.example/v1/tab-info-service/racing/dates",
            "https://evil.example/v1/tab-info-service/racing/dates",
            "/v1/tab-info-service/racing/dates?jurisdiction=NSW&x=1#frag",
            "/v1/tab-info-service/x\r\nHost: evil.example",
            "/v1/tab-info-service/%00",
            "/v1/tab-info-service/%252e%252e/x",
            "\\v1\\tab-info-service\\..\\account-service",
            "/v1/tab-info-service/racing/dates;/../../account-service",
            "/v1/tab-info-service-evil/x",
            "/V1/TAB-INFO-SERVICE/racing/dates",
            "/v1/tab-info-service/sports/AFL%20Football?jurisdiction=VIC",
        ]
    ),
    st.builds(lambda tail: INFO_PREFIX + tail, hostile_text),
    hostile_text,
)


@FUZZ
@given(path=tab_paths)
def test_tab_get_path_stays_under_the_info_service(server: InMemory, path: str) -> None:
    arguments = {"path": path}
    result, sent = server.call("tab_get", arguments)
    check_result("tab_get", result)
    for request in sent:
        check_request(request, tool="tab_get", arguments=arguments)
        assert "account-service" not in unquote(request.raw_path) or request.raw_path.startswith(INFO_PREFIX)


param_keys = st.one_of(st.sampled_from(["maxRaces", "a&b", "x=y", "jurisdiction", "k\r\nX: 1", "", "%3D"]), st.text())
param_values = st.one_of(st.text(max_size=60), st.integers(), st.booleans(), st.sampled_from(HOSTILE))


@FUZZ
@given(params=st.dictionaries(param_keys, param_values, max_size=5))
def test_tab_get_params_cannot_inject_parameters_or_headers(server: InMemory, params: dict[str, Any]) -> None:
    arguments = {"path": "/v1/tab-info-service/racing/dates", "params": params}
    result, sent = server.call("tab_get", arguments)
    check_result("tab_get", result)
    for request in sent:
        check_request(request, tool="tab_get", arguments=arguments)
        if request.raw_path == OAUTH_PATH:
            continue
        query = parse_qsl(request.raw_query, keep_blank_values=True)
        expected = {k: ("true" if v is True else "false" if v is False else str(v)) for k, v in params.items()}
        expected.setdefault("jurisdiction", "NSW")
        assert dict(query) == expected, "every parameter arrives whole, and nothing else does"


@FUZZ
@given(token=st.one_of(st.text(max_size=80), st.sampled_from(["Bearer abc", "abc\r\nX-Injected: 1", "a b", "é"])))
def test_access_token_cannot_inject_headers(server: InMemory, token: str) -> None:
    arguments = {"access_token": token}
    result, sent = server.call("racing_get_all_meeting_dates", arguments)
    check_result("racing_get_all_meeting_dates", result)
    for request in sent:
        check_request(request, tool="racing_get_all_meeting_dates", arguments=arguments)
