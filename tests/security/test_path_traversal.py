"""Property test: no encoding of a traversal in a ``tab_get``/``tab_post`` path reaches the upstream.

Paths are generated from encodings of ``.`` and ``/`` (percent, double percent, mixed case, backslash, fullwidth
and other forms that NFKC folds to them, overlong UTF-8, ``;`` parameters) around targets outside the info
service. Every request the recording upstream receives is then read as any layer in front of TAB might read it:
decoded once, twice and three times, NFKC-normalised, ``\\`` taken as ``/``, ``;parameters`` dropped. In every
reading the path must have no ``.`` or ``..`` segment and stay under the tool's prefix. Refused paths must be
refused with one sentence and no upstream request at all.

Hypothesis runs derandomized with no example database, so CI sees the same examples every time.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator
from typing import Any
from urllib.parse import unquote

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from tests.helpers.in_memory import INFO_PREFIX, OAUTH_PATH, InMemory, Sent, fuzz_settings, in_memory

POST_PREFIX = "/v1/"
TRAVERSAL = settings(
    max_examples=1500,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
DOTS = [
    ".", "%2e", "%2E", "%252e", "%25252E", "\uff0e", "%EF%BC%8E", "\u2024", "%E2%80%A4", "%c0%ae", "%u002e",
    "%%32%65", "\ufe52",
]  # fmt: skip
SEPARATORS = [
    "/", "%2F", "%2f", "%252F", "%25252f", "\\", "%5C", "%5c", "%255C", "\uff0f", "%EF%BC%8F", "\uff3c",
    "%EF%BC%BC", "//", "/./", ";/", "%3B/",
]  # fmt: skip
TARGETS = ["account-service", "account-service%2Fbalance", "v1/account-service/accounts/me", "oauth/token", "x"]
ISSUE_EXAMPLES = [
    "/v1/tab-info-service/..%2F..%2Faccount-service%2Fbalance",
    "/v1/tab-info-service/..%5C..",
    "/v1/tab-info-service/%252e%252e",
]

dot_segment = st.builds(
    lambda dots, suffix: "".join(dots) + suffix,
    st.lists(st.sampled_from(DOTS), min_size=1, max_size=2),
    st.sampled_from(["", "", "", ";x", "%3Bx", " ", "%20"]),
)
separator = st.sampled_from(SEPARATORS)
traversal = st.builds(
    lambda start, ups, seps, target: start + "".join(u + s for u, s in zip(ups, seps, strict=False)) + target,
    st.sampled_from([INFO_PREFIX, INFO_PREFIX + "racing/", INFO_PREFIX + "sports/AFL%20Football/", POST_PREFIX]),
    st.lists(dot_segment, min_size=1, max_size=4),
    st.lists(separator, min_size=4, max_size=4),
    st.sampled_from(TARGETS),
)
jumble = st.builds(
    lambda start, parts: start + "".join(parts),
    st.sampled_from([INFO_PREFIX, POST_PREFIX, ""]),
    st.lists(
        st.one_of(st.sampled_from(DOTS), separator, st.sampled_from([*TARGETS, "a", "%"])), min_size=1, max_size=12
    ),
)
paths = st.one_of(traversal, traversal, jumble)


@pytest.fixture(scope="module")
def server() -> Iterator[InMemory]:
    with in_memory(fuzz_settings(enable_betting=True)) as connected:
        yield connected


def readings(raw_path: str) -> Iterator[str]:
    """The path as any decoding layer in front of TAB might see it (up to three decodings, NFKC, '\\' as '/')."""
    text = raw_path
    for _ in range(4):  # bounded: the raw path and three decodings
        for form in (text, unicodedata.normalize("NFKC", text)):
            yield form.replace("\\", "/")
        text = unquote(text)


def assert_stays_under(raw_path: str, prefix: str) -> None:
    """In every reading: no dot segment (after dropping ';parameters') and still under ``prefix``."""
    for reading in readings(raw_path):
        segments = [part.split(";", 1)[0].strip() for part in reading.split("/")]
        assert not {".", ".."} & set(segments), f"{raw_path!r} reads as {reading!r}"
        assert (reading + "/").startswith(prefix), f"{raw_path!r} reads as {reading!r}, outside {prefix}"


def assert_refused_in_one_sentence(tool: str, result: Any, sent: list[Sent]) -> None:
    text = result.content[0].text
    assert result.is_error, text
    assert not sent, f"a refused path still reached the upstream: {[s.raw_path for s in sent]}"
    message = text.removeprefix(f"Error executing tool {tool}: ")
    assert "\n" not in message and message.endswith(".") and "Traceback" not in message, message
    assert len(message) < 400, message


def check_call(server: InMemory, tool: str, path: str) -> None:
    arguments: dict[str, Any] = {"path": path} if tool == "tab_get" else {"path": path, "body": {"x": 1}}
    result, sent = server.call(tool, arguments)
    if result.is_error:
        assert_refused_in_one_sentence(tool, result, sent)
        return
    prefix = INFO_PREFIX if tool == "tab_get" else POST_PREFIX
    upstream = [s for s in sent if s.raw_path != OAUTH_PATH]
    assert len(upstream) == 1, [s.raw_path for s in sent]
    assert_stays_under(upstream[0].raw_path, prefix)


@TRAVERSAL
@given(path=paths)
@example(path=ISSUE_EXAMPLES[0])
@example(path=INFO_PREFIX + "sports/Tennis/competitions/ATP/matches/Ebden%2FPurcell%20v%20Granollers%2FZeballos")
def test_no_encoded_traversal_in_tab_get_reaches_the_upstream(server: InMemory, path: str) -> None:
    check_call(server, "tab_get", path)


@TRAVERSAL
@given(path=paths)
def test_no_encoded_traversal_in_tab_post_reaches_the_upstream(server: InMemory, path: str) -> None:
    check_call(server, "tab_post", path)


@pytest.mark.parametrize("path", ISSUE_EXAMPLES)
def test_the_reported_traversals_are_refused_in_one_sentence(server: InMemory, path: str) -> None:
    result, sent = server.call("tab_get", {"path": path})

    assert_refused_in_one_sentence("tab_get", result, sent)
    text = result.content[0].text
    assert path in text and f"pass a plain path under {INFO_PREFIX}" in text, text


def test_a_pre_encoded_link_with_a_slash_in_a_name_still_reaches_the_upstream(server: InMemory) -> None:
    path = INFO_PREFIX + "racing/dates/today/meetings/G/Star%20Pelaw%20(GBR)/races/STAR%20PELAW%20R08%2022%2F09"
    result, sent = server.call("tab_get", {"path": path})

    assert not result.is_error, result.content[0].text
    upstream = [s.raw_path for s in sent if s.raw_path != OAUTH_PATH]
    sent_path = (
        INFO_PREFIX + "racing/dates/today/meetings/G/Star%20Pelaw%20%28GBR%29/races/STAR%20PELAW%20R08%2022%2F09"
    )
    assert upstream == [sent_path]
