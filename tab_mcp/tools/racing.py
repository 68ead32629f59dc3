"""Racing tools: dates, meetings, races, race cards, next-to-go, form, approximates and jackpots."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import Field

from tab_mcp.app_state import ToolContext
from tab_mcp.tools.annotations import READ_ONLY, ToolTable
from tab_mcp.tools.arguments import AccessToken, Jurisdiction, MeetingDate, RaceNumber, RaceType, VenueMnemonic
from tab_mcp.tools.calls import ToolResult, flag, info_get
from tab_mcp.validation import (
    WAGERING_PRODUCTS,
    check_date,
    check_race_number,
    check_race_type,
    check_wagering_product,
)

FixedOdds = Annotated[
    bool,
    Field(
        description="Set true only for fixed-odds-only (overseas) and futures races, where TAB requires it; "
        "on a TAB race it makes TAB answer 404.",
    ),
]


def _meeting(meeting_date: str, race_type: str, venue_mnemonic: str) -> tuple[Any, ...]:
    return (
        "racing",
        "dates",
        ("meeting_date", check_date(meeting_date)),
        "meetings",
        ("race_type", check_race_type(race_type)),
        ("venue_mnemonic", venue_mnemonic),
    )


def _race(meeting_date: str, race_type: str, venue_mnemonic: str, race_number: int | str) -> tuple[Any, ...]:
    return (
        *_meeting(meeting_date, race_type, venue_mnemonic),
        "races",
        ("race_number", check_race_number(race_number)),
    )


async def racing_get_all_meeting_dates(
    ctx: ToolContext, jurisdiction: Jurisdiction = None, access_token: AccessToken = None
) -> ToolResult:
    """List the racing days TAB has meetings for ({"dates": [...]}; today first), each with its meetingDate.

    Start here to find a date, then call racing_get_meetings.
    """
    return await info_get(
        ctx, ("racing", "dates"), what="the racing dates", jurisdiction=jurisdiction, access_token=access_token
    )


async def racing_get_meetings(
    ctx: ToolContext,
    meeting_date: MeetingDate,
    jurisdiction: Jurisdiction = None,
    access_token: AccessToken = None,
) -> ToolResult:
    """List every race meeting on a date ({"meetings": [...]}) with its races, results and scratchings.

    TAB meetings carry venueMnemonic and raceType, used by the other racing tools. Fixed-odds-only
    (overseas) meetings have fixedOddsOnly: true and no venueMnemonic: address them by meetingName and
    each race's matchName, with fixed_odds=true. Results are arrays of arrays: [[4],[2,7]] is a dead heat
    for second.
    """
    date = check_date(meeting_date)
    return await info_get(
        ctx,
        ("racing", "dates", ("meeting_date", date), "meetings"),
        what=f"the meetings on {date}",
        jurisdiction=jurisdiction,
        access_token=access_token,
    )


async def racing_get_all_races_in_meeting(
    ctx: ToolContext,
    meeting_date: MeetingDate,
    race_type: RaceType,
    venue_mnemonic: VenueMnemonic,
    jurisdiction: Jurisdiction = None,
    access_token: AccessToken = None,
) -> ToolResult:
    """List the races of one meeting ({"races": [...]}): number, name, start time (UTC), status, results.

    Runners are not included; call racing_get_race for a race card.
    """
    return await info_get(
        ctx,
        (*_meeting(meeting_date, race_type, venue_mnemonic), "races"),
        what=f"the races at {venue_mnemonic} on {meeting_date}",
        jurisdiction=jurisdiction,
        access_token=access_token,
    )


async def racing_get_race(
    ctx: ToolContext,
    meeting_date: MeetingDate,
    race_type: RaceType,
    venue_mnemonic: VenueMnemonic,
    race_number: RaceNumber,
    fixed_odds: FixedOdds = False,
    jurisdiction: Jurisdiction = None,
    access_token: AccessToken = None,
) -> ToolResult:
    """Get a race card: runners with fixed and tote odds, pools, results, dividends, tips and comments.

    Scratched runners stay in runners[] with bettingStatus 'Scratched' or 'LateScratched'; emergency
    runners have emergency: true. raceComments is a JSON document inside a string.
    """
    return await info_get(
        ctx,
        _race(meeting_date, race_type, venue_mnemonic, race_number),
        what=f"race {race_number} at {venue_mnemonic} on {meeting_date}",
        jurisdiction=jurisdiction,
        access_token=access_token,
        extra={"fixedOdds": flag(fixed_odds)},
    )


async def racing_get_next_to_go(
    ctx: ToolContext,
    max_races: Annotated[int | None, Field(description="Most races to return, e.g. 10.", ge=1, le=100)] = None,
    include_recently_closed: Annotated[
        bool, Field(description="Also include races that closed in the last few minutes.")
    ] = False,
    jurisdiction: Jurisdiction = None,
    access_token: AccessToken = None,
) -> ToolResult:
    """List the next races to jump across all states and overseas, soonest first ({"races": [...]})."""
    return await info_get(
        ctx,
        ("racing", "next-to-go", "races"),
        what="the next-to-go races",
        jurisdiction=jurisdiction,
        access_token=access_token,
        extra={"maxRaces": max_races, "includeRecentlyClosed": flag(include_recently_closed)},
    )


async def racing_get_race_form(
    ctx: ToolContext,
    meeting_date: MeetingDate,
    race_type: RaceType,
    venue_mnemonic: VenueMnemonic,
    race_number: RaceNumber,
    jurisdiction: Jurisdiction = None,
    access_token: AccessToken = None,
) -> ToolResult:
    """Get the form guide of every runner in a race ({"form": [...]}): past starts, statistics, comments."""
    return await info_get(
        ctx,
        (*_race(meeting_date, race_type, venue_mnemonic, race_number), "form"),
        what=f"the form for race {race_number} at {venue_mnemonic} on {meeting_date}",
        jurisdiction=jurisdiction,
        access_token=access_token,
    )


async def racing_get_runner_form(
    ctx: ToolContext,
    meeting_date: MeetingDate,
    race_type: RaceType,
    venue_mnemonic: VenueMnemonic,
    race_number: RaceNumber,
    runner_number: Annotated[int | str, Field(description="The runner's number in the race, e.g. 1.")],
    jurisdiction: Jurisdiction = None,
    access_token: AccessToken = None,
) -> ToolResult:
    """Get one runner's form: previous starts (finishingPosition, margin and odds are strings), statistics."""
    return await info_get(
        ctx,
        (*_race(meeting_date, race_type, venue_mnemonic, race_number), "form", ("runner_number", runner_number)),
        what=f"the form of runner {runner_number} in race {race_number} at {venue_mnemonic}",
        jurisdiction=jurisdiction,
        access_token=access_token,
    )


async def racing_get_approximates(
    ctx: ToolContext,
    meeting_date: MeetingDate,
    race_type: RaceType,
    venue_mnemonic: VenueMnemonic,
    race_number: RaceNumber,
    wagering_product: Annotated[
        str,
        Field(
            description="Pool name; TAB publishes approximates for Quinella, Exacta and Duet.",
            json_schema_extra={"enum": list(WAGERING_PRODUCTS)},
        ),
    ],
    jurisdiction: Jurisdiction = None,
    access_token: AccessToken = None,
) -> ToolResult:
    """Get a pool's approximate dividends ({"approximates": [{"selections": [..], "return": n}]})."""
    product = check_wagering_product(wagering_product)
    return await info_get(
        ctx,
        (
            *_race(meeting_date, race_type, venue_mnemonic, race_number),
            "pools",
            ("wagering_product", product),
            "approximates",
        ),
        what=f"the {product} approximates for race {race_number} at {venue_mnemonic}",
        jurisdiction=jurisdiction,
        access_token=access_token,
    )


async def racing_get_open_jackpots(
    ctx: ToolContext, jurisdiction: Jurisdiction = None, access_token: AccessToken = None
) -> ToolResult:
    """List the jackpots currently open across all meetings."""
    return await info_get(
        ctx,
        ("racing", "jackpots"),
        what="the open jackpots",
        jurisdiction=jurisdiction,
        access_token=access_token,
    )


async def racing_get_jackpot_pools(
    ctx: ToolContext,
    meeting_date: MeetingDate,
    jurisdiction: Jurisdiction = None,
    access_token: AccessToken = None,
) -> ToolResult:
    """List the jackpot pools for a racing day."""
    date = check_date(meeting_date)
    return await info_get(
        ctx,
        ("racing", "dates", ("meeting_date", date), "jackpot-pools"),
        what=f"the jackpot pools on {date}",
        jurisdiction=jurisdiction,
        access_token=access_token,
    )


# Registration order is the order tools/list shows them in.
TOOLS: ToolTable = {
    racing_get_all_meeting_dates: READ_ONLY,
    racing_get_meetings: READ_ONLY,
    racing_get_all_races_in_meeting: READ_ONLY,
    racing_get_race: READ_ONLY,
    racing_get_next_to_go: READ_ONLY,
    racing_get_race_form: READ_ONLY,
    racing_get_runner_form: READ_ONLY,
    racing_get_approximates: READ_ONLY,
    racing_get_open_jackpots: READ_ONLY,
    racing_get_jackpot_pools: READ_ONLY,
}
