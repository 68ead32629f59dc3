"""tab_mcp.paths: segments are encoded whole and no path leaves the info service."""

from __future__ import annotations

import pytest

from tab_mcp.errors import InputError, PolicyError
from tab_mcp.paths import encode_segment, info_path, normalise_info_path

pytestmark = pytest.mark.anyio


def test_encode_segment_leaves_nothing_safe() -> None:
    assert encode_segment("Ebden/Purcell v Granollers/Zeballos") == "Ebden%2FPurcell%20v%20Granollers%2FZeballos"
    assert encode_segment("A&B (C)'s ~x") == "A%26B%20%28C%29%27s%20~x"
    assert encode_segment(7) == "7"


def test_info_path_builds_under_the_prefix() -> None:
    assert info_path("sports", ("sport_name", "AFL Football")) == "/v1/tab-info-service/sports/AFL%20Football"


@pytest.mark.parametrize("bad", ["", ".", "..", " .. ", "a\x00b", "a\u2028b", "a\u200bb"])
def test_unsafe_segments_are_refused(bad: str) -> None:
    with pytest.raises(InputError):
        encode_segment(bad, label="sport_name")


def test_normalise_keeps_pre_encoded_links_verbatim_in_meaning() -> None:
    path, query = normalise_info_path(
        "/v1/tab-info-service/sports/AFL%20Football/competitions/A%2FB/?jurisdiction=NSW&x"
    )
    assert path == "/v1/tab-info-service/sports/AFL%20Football/competitions/A%2FB"
    assert query == [("jurisdiction", "NSW"), ("x", "")]


@pytest.mark.parametrize(
    "bad",
    [
        "/v1/tab-info-service/../../v1/account-service/accounts/me",
        "/v1/tab-info-service/%2E%2E/x",
        "/v1/tab-info-service//x",
        "/v1/tab-info-servicex/y",
        "/v1/tab-info-service/%00",
    ],
)
def test_normalise_refuses_escapes(bad: str) -> None:
    with pytest.raises(PolicyError):
        normalise_info_path(bad)


def test_normalise_refuses_overlong_and_empty_paths() -> None:
    with pytest.raises(InputError, match="limit"):
        normalise_info_path("/v1/tab-info-service/" + "a" * 3000)
    with pytest.raises(InputError, match="must not be empty"):
        normalise_info_path("   ")


@pytest.mark.parametrize(
    ("bad", "reason"),
    [
        ("/v1/tab-info-service/..%2F..%2Faccount-service%2Fbalance", "'..' path parts"),
        ("/v1/tab-info-service/..%5C..", "backslash"),
        ("/v1/tab-info-service/%252e%252e", "double encoding"),
        ("/v1/tab-info-service/%EF%BC%8E%EF%BC%8E/x", "'..' segment"),  # fullwidth dots: '..' after NFKC
        ("/v1/tab-info-service/a%EF%BC%8F..%EF%BC%8Fb", "'..' path parts"),  # fullwidth solidus
        ("/v1/tab-info-service/..;x/account-service", "'..' path parts"),
        ("/v1/tab-info-service/%E2%80%8B", "control characters"),  # zero-width space
    ],
)
def test_tab_get_paths_get_the_typed_tools_segment_rules(bad: str, reason: str) -> None:
    with pytest.raises(PolicyError, match=reason) as refused:
        normalise_info_path(bad)
    assert refused.value.message.startswith(f"path {bad!r} is refused because its segment ")
    assert refused.value.message.endswith("pass a plain path under /v1/tab-info-service/, as the API's _links give it.")


@pytest.mark.parametrize("bad", ["a%2eb/../c", "%41", "a\\b", "\uff0e\uff0e", "x/\u2024\u2024/y"])
def test_typed_arguments_get_the_same_rules(bad: str) -> None:
    with pytest.raises(InputError, match="sport_name"):
        encode_segment(bad, label="sport_name")


def test_non_ascii_names_are_sent_as_given_not_as_their_nfkc_form() -> None:
    assert encode_segment("ﬁnal") == "%EF%AC%81nal"
