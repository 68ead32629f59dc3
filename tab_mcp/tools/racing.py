"""Racing tools: dates, meetings, races, race cards, next-to-go, form, approximates and jackpots."""

from __future__ import annotations

from typing import Annotated, Any

from mcp.types import CallToolResult
from pydantic import BaseModel, Field

from tab_mcp.app_state import ToolContext
from tab_mcp.shaping import racecard as card_shapes
from tab_mcp.shaping import racing as shapes
from tab_mcp.shaping.answer import answer_config
from tab_mcp.shaping.generic import GENERIC_SCHEMA, body_answer
from tab_mcp.tools.annotations import READ_ONLY, ToolTable
from tab_mcp.tools.arguments import (
    AccessToken,
    Detail,
    Jurisdiction,
    MaxStarts,
    MeetingDate,
    RaceNumber,
    RaceType,
    RaceTypeFilter,
    RunnerNumbers,
    VenueMnemonic,
)
from tab_mcp.tools.calls import flag, info_get
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
        description="True only for fixed-odds-only (overseas) and futures races; a TAB race then answers 404.",
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


def _check_filter(race_type: str | None) -> str | None:
    return None if race_type is None else check_race_type(race_type)


def _race(meeting_date: str, race_type: str, venue_mnemonic: str, race_number: int | str) -> tuple[Any, ...]:
    return (
        *_meeting(meeting_date, race_type, venue_mnemonic),
        "races",
        ("race_number", check_race_number(race_number)),
    )


class DatesAnswer(BaseModel):
    """outputSchema: The racing dates."""

    model_config = answer_config(shapes.DATES_SCHEMA)


class MeetingsAnswer(BaseModel):
    """outputSchema: The meetings of a day and their races."""

    model_config = answer_config(shapes.MEETINGS_SCHEMA)


class RacesAnswer(BaseModel):
    """outputSchema: The races of one meeting."""

    model_config = answer_config(shapes.RACES_SCHEMA)


class RaceCardAnswer(BaseModel):
    """outputSchema: A race card."""

    model_config = answer_config(card_shapes.RACE_CARD_SCHEMA)


class NextRacesAnswer(BaseModel):
    """outputSchema: The next races to jump."""

    model_config = answer_config(shapes.NEXT_TO_GO_SCHEMA)


class FormAnswer(BaseModel):
    """outputSchema: A race's form guide."""

    model_config = answer_config(card_shapes.FORM_SCHEMA)


class RunnerFormAnswer(BaseModel):
    """outputSchema: One runner's form."""

    model_config = answer_config(card_shapes.RUNNER_FORM_SCHEMA)


class ApproximatesAnswer(BaseModel):
    """outputSchema: A pool's approximates."""

    model_config = answer_config(shapes.APPROXIMATES_SCHEMA)


class BodyAnswer(BaseModel):
    """outputSchema: TAB's body (fitted to the budget when over it)."""

    model_config = answer_config(GENERIC_SCHEMA)


async def racing_get_all_meeting_dates(
    ctx: ToolContext, detail: Detail = "summary", jurisdiction: Jurisdiction = None, access_token: AccessToken = None
) -> Annotated[CallToolResult, DatesAnswer]:
    """List the racing days TAB has meetings for (dates: dateName, meetingDate; today first).

    Start here to find a date, then call racing_get_meetings. detail='full': TAB's whole body.
    """
    return await info_get(
        ctx,
        ("racing", "dates"),
        what="the racing dates",
        jurisdiction=jurisdiction,
        access_token=access_token,
        shape=lambda data, _budget: shapes.dates_answer(data),
        detail=detail,
    )


async def racing_get_meetings(
    ctx: ToolContext,
    meeting_date: MeetingDate,
    race_type: RaceTypeFilter = None,
    venue: Annotated[
        str | None, Field(description="Only meetings whose venueMnemonic is this, or whose name contains it.")
    ] = None,
    max_meetings: Annotated[int | None, Field(description="Most meetings to list.", ge=1, le=500)] = None,
    detail: Detail = "summary",
    jurisdiction: Jurisdiction = None,
    access_token: AccessToken = None,
) -> Annotated[CallToolResult, MeetingsAnswer]:
    """List every race meeting on a date with its races: the first call of most racing questions.

    Each meeting has meetingName, venueMnemonic, raceType and location, and each race its raceNumber,
    raceName, raceStartTime (UTC), raceStatus (and matchName); total says how many meetings TAB lists. On a busy day the
    answer summarises the last meetings' races (raceCount, nextRace) and says so in note: narrow with
    race_type, venue or max_meetings. Fixed-odds-only (overseas) meetings have fixedOddsOnly: true and no
    venueMnemonic: address them by meetingName and each race's matchName, with fixed_odds=true.
    detail='full' returns TAB's whole body (pools, results, scratchings, media: very large).
    """
    date = check_date(meeting_date)
    wanted_type = _check_filter(race_type)
    return await info_get(
        ctx,
        ("racing", "dates", ("meeting_date", date), "meetings"),
        what=f"the meetings on {date}",
        jurisdiction=jurisdiction,
        access_token=access_token,
        shape=lambda data, budget: shapes.meetings_answer(
            data, budget=budget, race_type=wanted_type, venue=venue, max_meetings=max_meetings
        ),
        detail=detail,
    )


async def racing_get_all_races_in_meeting(
    ctx: ToolContext,
    meeting_date: MeetingDate,
    race_type: RaceType,
    venue_mnemonic: VenueMnemonic,
    detail: Detail = "summary",
    jurisdiction: Jurisdiction = None,
    access_token: AccessToken = None,
) -> Annotated[CallToolResult, RacesAnswer]:
    """List the races of one meeting: number, name, start time (UTC), status, distance, results, scratchings.

    Results are arrays of arrays ([[4],[2,7]] is a dead heat for second). Runners are not included; call
    racing_get_race for a race card. detail='full': TAB's whole body.
    """
    return await info_get(
        ctx,
        (*_meeting(meeting_date, race_type, venue_mnemonic), "races"),
        what=f"the races at {venue_mnemonic} on {meeting_date}",
        jurisdiction=jurisdiction,
        access_token=access_token,
        shape=lambda data, budget: shapes.races_answer(data, budget=budget),
        detail=detail,
    )


async def racing_get_race(
    ctx: ToolContext,
    meeting_date: MeetingDate,
    race_type: RaceType,
    venue_mnemonic: VenueMnemonic,
    race_number: RaceNumber,
    fixed_odds: FixedOdds = False,
    runner_numbers: RunnerNumbers = None,
    detail: Detail = "summary",
    jurisdiction: Jurisdiction = None,
    access_token: AccessToken = None,
) -> Annotated[CallToolResult, RaceCardAnswer]:
    """Get a race card: every runner with its number, name, barrier, rider, trainer, weight and prices.

    fixedOdds and parimutuel carry returnWin, returnPlace and bettingStatus ('Scratched' or 'LateScratched'
    for a scratching); emergency runners have emergency: true. Also results, dividends, tips and pool
    totals. Narrow with runner_numbers. detail='full' returns TAB's whole card (flucs, return history, pools,
    extra markets, comments: large).
    """
    return await info_get(
        ctx,
        _race(meeting_date, race_type, venue_mnemonic, race_number),
        what=f"race {race_number} at {venue_mnemonic} on {meeting_date}",
        jurisdiction=jurisdiction,
        access_token=access_token,
        extra={"fixedOdds": flag(fixed_odds)},
        shape=lambda data, budget: card_shapes.race_card_answer(data, budget=budget, runner_numbers=runner_numbers),
        detail=detail,
    )


async def racing_get_next_to_go(
    ctx: ToolContext,
    max_races: Annotated[int | None, Field(description="Most races to return, e.g. 10.", ge=1, le=100)] = None,
    include_recently_closed: Annotated[
        bool, Field(description="Also include races that closed in the last few minutes.")
    ] = False,
    race_type: RaceTypeFilter = None,
    detail: Detail = "summary",
    jurisdiction: Jurisdiction = None,
    access_token: AccessToken = None,
) -> Annotated[CallToolResult, NextRacesAnswer]:
    """List the next races to jump across all states and overseas, soonest first, each with its meeting.

    detail='full': TAB's whole body.
    """
    wanted_type = _check_filter(race_type)
    return await info_get(
        ctx,
        ("racing", "next-to-go", "races"),
        what="the next-to-go races",
        jurisdiction=jurisdiction,
        access_token=access_token,
        extra={"maxRaces": max_races, "includeRecentlyClosed": flag(include_recently_closed)},
        shape=lambda data, budget: shapes.next_to_go_answer(data, budget=budget, race_type=wanted_type),
        detail=detail,
    )


async def racing_get_race_form(
    ctx: ToolContext,
    meeting_date: MeetingDate,
    race_type: RaceType,
    venue_mnemonic: VenueMnemonic,
    race_number: RaceNumber,
    runner_numbers: RunnerNumbers = None,
    max_starts: MaxStarts = 5,
    detail: Detail = "summary",
    jurisdiction: Jurisdiction = None,
    access_token: AccessToken = None,
) -> Annotated[CallToolResult, FormAnswer]:
    """Get the form guide of every runner in a race: profile, start summaries and the latest starts.

    previousStarts' finishingPosition, margin and odds are strings. Narrow with runner_numbers or
    max_starts. detail='full' returns TAB's whole form (every start, trainer and rider statistics: large).
    """
    return await info_get(
        ctx,
        (*_race(meeting_date, race_type, venue_mnemonic, race_number), "form"),
        what=f"the form for race {race_number} at {venue_mnemonic} on {meeting_date}",
        jurisdiction=jurisdiction,
        access_token=access_token,
        shape=lambda data, budget: card_shapes.form_answer(
            data, budget=budget, runner_numbers=runner_numbers, max_starts=max_starts
        ),
        detail=detail,
    )


async def racing_get_runner_form(
    ctx: ToolContext,
    meeting_date: MeetingDate,
    race_type: RaceType,
    venue_mnemonic: VenueMnemonic,
    race_number: RaceNumber,
    runner_number: Annotated[int | str, Field(description="The runner's number in the race, e.g. 1.")],
    max_starts: MaxStarts = 10,
    detail: Detail = "summary",
    jurisdiction: Jurisdiction = None,
    access_token: AccessToken = None,
) -> Annotated[CallToolResult, RunnerFormAnswer]:
    """Get one runner's form: profile, start summaries and its latest starts (finishingPosition is a string).

    detail='full' returns TAB's whole form, with trainer and rider statistics.
    """
    return await info_get(
        ctx,
        (*_race(meeting_date, race_type, venue_mnemonic, race_number), "form", ("runner_number", runner_number)),
        what=f"the form of runner {runner_number} in race {race_number} at {venue_mnemonic}",
        jurisdiction=jurisdiction,
        access_token=access_token,
        shape=lambda data, budget: card_shapes.runner_form_answer(data, budget=budget, max_starts=max_starts),
        detail=detail,
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
    detail: Detail = "summary",
    jurisdiction: Jurisdiction = None,
    access_token: AccessToken = None,
) -> Annotated[CallToolResult, ApproximatesAnswer]:
    """Get a pool's approximate dividends (approximates: [{"selections": [..], "return": n}]).

    detail='full': TAB's whole body.
    """
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
        shape=lambda data, budget: shapes.approximates_answer(data, budget=budget),
        detail=detail,
    )


async def racing_get_open_jackpots(
    ctx: ToolContext, detail: Detail = "summary", jurisdiction: Jurisdiction = None, access_token: AccessToken = None
) -> Annotated[CallToolResult, BodyAnswer]:
    """List the jackpots currently open across all meetings.

    TAB's body; over the size budget, fitted with a note. detail='full': TAB's whole body.
    """
    return await info_get(
        ctx,
        ("racing", "jackpots"),
        what="the open jackpots",
        jurisdiction=jurisdiction,
        access_token=access_token,
        shape=lambda data, budget: body_answer(data, budget=budget, noun="jackpot list"),
        detail=detail,
    )


async def racing_get_jackpot_pools(
    ctx: ToolContext,
    meeting_date: MeetingDate,
    detail: Detail = "summary",
    jurisdiction: Jurisdiction = None,
    access_token: AccessToken = None,
) -> Annotated[CallToolResult, BodyAnswer]:
    """List the jackpot pools for a racing day.

    TAB's body; over the size budget, fitted with a note. detail='full': TAB's whole body.
    """
    date = check_date(meeting_date)
    return await info_get(
        ctx,
        ("racing", "dates", ("meeting_date", date), "jackpot-pools"),
        what=f"the jackpot pools on {date}",
        jurisdiction=jurisdiction,
        access_token=access_token,
        shape=lambda data, budget: body_answer(data, budget=budget, noun="jackpot pool list"),
        detail=detail,
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
