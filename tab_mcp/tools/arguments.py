"""The argument types shared by the tools: each an ``Annotated`` type carrying its description and schema.

Arguments with a fixed vocabulary (jurisdiction, race type, dates) are plain strings whose JSON Schema
advertises the enum or pattern; ``tab_mcp.validation`` checks them, so a bad value gets one clear sentence.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

from tab_mcp.settings import JURISDICTIONS
from tab_mcp.validation import DATE_PATTERN, RACE_TYPES

__all__ = [
    "AccessToken",
    "CompetitionName",
    "Jurisdiction",
    "MatchName",
    "MeetingDate",
    "RaceNumber",
    "RaceType",
    "SportName",
    "TournamentName",
    "VenueMnemonic",
]

Jurisdiction = Annotated[
    str | None,
    Field(
        description="State whose TAB prices apply: NSW, VIC, QLD, SA, TAS, ACT or NT (WA is not served). "
        "Defaults to the server's TAB_JURISDICTION.",
        json_schema_extra={"enum": [*JURISDICTIONS, None]},
    ),
]
AccessToken = Annotated[
    str | None,
    Field(
        description="Optional bearer token to use for this call only. Leave it out: the server manages its own token.",
    ),
]
MeetingDate = Annotated[
    str,
    Field(
        description="Australian racing day as YYYY-MM-DD (e.g. 2026-09-23), or 'today', 'tomorrow' or 'futures'.",
        json_schema_extra={"pattern": DATE_PATTERN},
    ),
]
RaceType = Annotated[
    str,
    Field(
        description="Race type code: R (thoroughbred), H (harness) or G (greyhound).",
        json_schema_extra={"enum": list(RACE_TYPES)},
    ),
]
VenueMnemonic = Annotated[
    str,
    Field(
        description="Venue code from the meetings list (venueMnemonic, e.g. 'WFM'); for a fixed-odds-only "
        "overseas meeting, its meetingName (e.g. 'Star Pelaw (GBR)').",
        min_length=1,
    ),
]
RaceNumber = Annotated[
    int | str,
    Field(
        description="Race number within the meeting (e.g. 2); for a fixed-odds-only meeting, the race's matchName.",
    ),
]
SportName = Annotated[str, Field(description="Sport name as listed, e.g. 'AFL Football', 'Basketball'.", min_length=1)]
CompetitionName = Annotated[str, Field(description="Competition name as listed, e.g. 'AFL', 'NBA'.", min_length=1)]
TournamentName = Annotated[str, Field(description="Tournament name as listed, e.g. 'ATP Munich'.", min_length=1)]
MatchName = Annotated[
    str,
    Field(description="Match name as listed, e.g. 'Wst Bulldogs v Adelaide' (names may contain '/').", min_length=1),
]
