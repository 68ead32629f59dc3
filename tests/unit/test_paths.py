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
