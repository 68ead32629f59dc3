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
# An ISO 8601 UTC timestamp as TAB writes start times (tabcorp-api.md quirk 5: always UTC).
TIMESTAMP = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:?\d{2})$")
# How a clean upstream failure reads (tab_mcp.errors): status and reason, never a bare "Error executing tool".
CLEAR_UPSTREAM_ERROR = re.compile(r"Tabcorp API returned (?P<status>[45]\d\d) for .+?: (?P<code>[A-Z_]+)(?::|;|\.)")


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


def assert_upstream_error(result: Any, status: int, code: str) -> str:
    """Assert that a tool failed with TAB's ``status`` and error ``code`` (the domain's expected answer)."""
    text = " ".join(getattr(block, "text", "") for block in result.content)
    match = CLEAR_UPSTREAM_ERROR.search(text)
    assert match, f"not a clear upstream error: {text!r}"
    assert (int(match["status"]), match["code"]) == (status, code), f"expected {status} {code}, got: {text!r}"
    return text


def skip_no_data(reason: str) -> None:
    """Skip because the data has nothing to check right now; listed in the report, and a failure under strict."""
    pytest.skip(f"no data: {reason}")


async def discover_race(call_tool: Any) -> tuple[RaceTarget, dict[str, Any]]:
    """The first race of the first TAB meeting (one with a venueMnemonic) on the first listed date.

    Returns the target and the meeting as the meetings list describes it (for cross-checks).
    """
    dates = content(await call_tool("racing_get_all_meeting_dates"))["dates"]
    assert dates, "racing_get_all_meeting_dates returned no dates"
    meeting_date = dates[0]["meetingDate"]
    meetings = content(await call_tool("racing_get_meetings", {"meeting_date": meeting_date}))["meetings"]
    meeting = next((m for m in meetings if m.get("venueMnemonic") and m.get("races")), None)
    if meeting is None:
        skip_no_data(f"no TAB meeting with races is listed for {meeting_date}")
    target = RaceTarget(
        meeting_date=meeting_date,
        race_type=meeting["raceType"],
        venue_mnemonic=meeting["venueMnemonic"],
        meeting_name=meeting["meetingName"],
        race_number=int(meeting["races"][0]["raceNumber"]),
    )
    return target, meeting
