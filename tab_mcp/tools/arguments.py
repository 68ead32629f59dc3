"""The argument types shared by the tools: each an ``Annotated`` type carrying its description and schema.

Arguments with a fixed vocabulary (jurisdiction, race type, dates) are plain strings whose JSON Schema
advertises the enum or pattern; ``tab_mcp.validation`` checks them, so a bad value gets one clear sentence.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, WithJsonSchema

from tab_mcp.settings import JURISDICTIONS
from tab_mcp.validation import DATE_PATTERN, RACE_TYPES

__all__ = [
    "AccessToken",
    "CompetitionName",
    "Detail",
    "Jurisdiction",
    "MatchName",
    "MaxStarts",
    "MeetingDate",
    "RaceNumber",
    "RaceType",
    "RaceTypeFilter",
    "RunnerNumbers",
    "SportName",
    "TournamentName",
    "VenueMnemonic",
]

# Jurisdiction and access_token are on 26 tools, so their schemas are written out compactly (one type list, no
# anyOf) and their prose kept to what a model needs; the enum already lists the states.
Jurisdiction = Annotated[
    str | None,
    Field(description="State for prices; default: the server's."),
    WithJsonSchema({"enum": [*JURISDICTIONS, None]}),
]
AccessToken = Annotated[
    str | None,
    Field(description="Leave out (the server has a token)."),
    WithJsonSchema({"type": ["string", "null"]}),
]
# Every tool's description says what detail='full' returns, so the argument's own prose is minimal.
Detail = Annotated[
    Literal["summary", "full"], Field(description="'full': TAB's body."), WithJsonSchema({"enum": ["summary", "full"]})
]
MeetingDate = Annotated[
    str,
    Field(
        description="Australian racing day: YYYY-MM-DD, today, tomorrow or futures.",
        json_schema_extra={"pattern": DATE_PATTERN},
    ),
]
RaceType = Annotated[
    str,
    Field(
        description="R thoroughbred, H harness, G greyhound.",
        json_schema_extra={"enum": list(RACE_TYPES)},
    ),
]
VenueMnemonic = Annotated[
    str,
    Field(
        description="venueMnemonic from the meetings list (e.g. 'WFM'); for a fixed-odds-only meeting, its "
        "meetingName.",
        min_length=1,
    ),
]
RaceNumber = Annotated[
    int | str,
    Field(
        description="raceNumber (e.g. 2); for a fixed-odds-only meeting, the race's matchName.",
    ),
]
SportName = Annotated[str, Field(description="As listed, e.g. 'AFL Football'.", min_length=1)]
CompetitionName = Annotated[str, Field(description="As listed, e.g. 'NBA'.", min_length=1)]
TournamentName = Annotated[str, Field(description="As listed, e.g. 'ATP Munich'.", min_length=1)]
MatchName = Annotated[
    str,
    Field(description="As listed, e.g. 'Wst Bulldogs v Adelaide'.", min_length=1),
]
RaceTypeFilter = Annotated[
    str | None,
    Field(description="Only this race type: R, H or G."),
    WithJsonSchema({"enum": [*RACE_TYPES, None]}),
]
RunnerNumbers = Annotated[
    list[int] | None,
    Field(description="Only these runners, e.g. [1, 4].", max_length=40),
    WithJsonSchema({"type": ["array", "null"], "items": {"type": "integer"}}),
]
MaxStarts = Annotated[int, Field(description="Previous starts kept per runner, latest first.", ge=0, le=50)]
