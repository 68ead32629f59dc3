"""The pytest-free live-mode helpers (``pytest_tabmcp._live``): the live URL and the extra request headers."""

from __future__ import annotations

import pytest

from pytest_tabmcp._live import parse_live_headers, redact_url, validate_live_url


@pytest.mark.parametrize(
    ("url", "shown"),
    [
        ("https://host/mcp", "https://host/mcp"),
        ("https://user:pw@host:8443/mcp?api_key=k#frag", "https://***@host:8443/mcp?***#***"),
    ],
)
def test_redact_url(url: str, shown: str) -> None:
    assert redact_url(url) == shown


def test_validate_live_url() -> None:
    assert validate_live_url("  http://127.0.0.1:8000/mcp ") == "http://127.0.0.1:8000/mcp"
    for bad in ("127.0.0.1:8000/mcp", "ws://host/mcp", "https:///mcp"):
        with pytest.raises(ValueError, match="absolute http"):
            validate_live_url(bad)


def test_parse_live_headers_both_forms() -> None:
    assert parse_live_headers('{"Authorization": "Bearer a", "X-N": 2}') == {"Authorization": "Bearer a", "X-N": "2"}
    assert parse_live_headers("Authorization: Bearer a:b\n\n# note\nX-Env:  ci  ") == {
        "Authorization": "Bearer a:b",
        "X-Env": "ci",
    }


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ('{"A": "x"', "it is not valid JSON"),
        ('{"A": {"nested": "secret-value"}}', "the value of 'A' is a dict, not a string"),
        ('{"A": true}', "the value of 'A' is a bool"),
        ('{"Bad Name": "v"}', "key has an invalid header name 'Bad Name'"),
        ("Authorization Bearer secret-value", "line 1 has no ':'"),
        ("X-A: ok\nBad Name: secret-value", "line 2 has an invalid header name 'Bad Name'"),
        ('{"A": "x\\r\\ny"}', "the value of 'A' contains a control character"),
    ],
)
def test_parse_live_headers_errors_never_echo_values(text: str, problem: str) -> None:
    with pytest.raises(ValueError) as excinfo:
        parse_live_headers(text)
    assert problem in str(excinfo.value) and "secret-value" not in str(excinfo.value)
