"""Shared helpers of the smoke suite (the fixtures that use them are in conftest.py)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import pytest

#: The 28 tools of the earlier server, whose clients must keep working.
EXPECTED_TOOLS = frozenset(
    {
        "tab_oauth_password_grant",
        "tab_oauth_refresh",
        "tab_oauth_client_credentials",
        "racing_get_all_meeting_dates",
        "racing_get_meetings",
        "racing_get_all_races_in_meeting",
        "racing_get_race",
        "racing_get_next_to_go",
        "racing_get_race_form",
        "racing_get_runner_form",
        "racing_get_approximates",
        "racing_get_open_jackpots",
        "racing_get_jackpot_pools",
        "sports_get_all_open",
        "sports_get_open_sport",
        "sports_get_open_competition",
        "sports_get_open_tournament",
        "sports_get_open_match_in_competition",
        "sports_get_open_match_in_tournament",
        "sports_get_next_to_go",
        "sports_get_all_results",
        "sports_get_resulted_sport",
        "sports_get_resulted_competition",
        "sports_get_resulted_match_in_competition",
        "footytab_get_all_rounds",
        "footytab_get_round_details",
        "tab_get",
        "tab_post",
    }
)
DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
# How a clean upstream failure reads (tab_mcp.errors): status and reason, never a bare "Error executing tool".
CLEAR_UPSTREAM_ERROR = re.compile(r"Tabcorp API returned [45]\d\d for .+")


@dataclass(frozen=True)
class RaceTarget:
    """A race found at run time: enough to address every racing tool."""

    meeting_date: str
    race_type: str
    venue_mnemonic: str
    meeting_name: str
    race_number: int

    def args(self, **extra: Any) -> dict[str, Any]:
        """The arguments every ``M/races/{n}`` tool takes, plus ``extra``."""
        return {
            "meeting_date": self.meeting_date,
            "race_type": self.race_type,
            "venue_mnemonic": self.venue_mnemonic,
            "race_number": self.race_number,
            **extra,
        }


@dataclass(frozen=True)
class MatchTarget:
    """An open (or resulted) match found at run time."""

    sport_name: str
    competition_name: str
    match_name: str


def content(result: Any) -> dict[str, Any]:
    """The structured content of a successful tool result (the upstream JSON object)."""
    assert result.structured_content is not None, "the tool returned no structured content"
    return result.structured_content


def assert_ok_or_clear_error(result: Any) -> dict[str, Any] | None:
    """Live, a resource may legitimately be absent: accept a JSON object or a clear upstream error text."""
    if result.is_error:
        text = " ".join(getattr(block, "text", "") for block in result.content)
        assert CLEAR_UPSTREAM_ERROR.search(text), f"unclear error text: {text!r}"
        return None
    return content(result)


def skip_live_only(mode: str, reason: str) -> None:
    """Skip when live data legitimately lacks something; offline the cassettes are fixed, so fail instead."""
    if mode == "offline":
        pytest.fail(f"{reason} in the cassettes: the offline data is fixed, so this is a regression")
    pytest.skip(f"{reason} right now")


async def discover_race(call_tool: Any, mode: str) -> RaceTarget:
    """The first race of the first TAB meeting (one with a venueMnemonic) on the first listed date."""
    dates = content(await call_tool("racing_get_all_meeting_dates"))["dates"]
    assert dates, "racing_get_all_meeting_dates returned no dates"
    meeting_date = dates[0]["meetingDate"]
    meetings = content(await call_tool("racing_get_meetings", {"meeting_date": meeting_date}))["meetings"]
    meeting = next((m for m in meetings if m.get("venueMnemonic") and m.get("races")), None)
    if meeting is None:
        skip_live_only(mode, f"no TAB meeting with races is listed for {meeting_date}")
    return RaceTarget(
        meeting_date=meeting_date,
        race_type=meeting["raceType"],
        venue_mnemonic=meeting["venueMnemonic"],
        meeting_name=meeting["meetingName"],
        race_number=int(meeting["races"][0]["raceNumber"]),
    )
