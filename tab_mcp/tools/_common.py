"""What every tool module shares: argument types, validation, annotations and the upstream call.

Arguments that have a fixed vocabulary (jurisdiction, race type, dates, wagering products) are plain
strings whose JSON Schema advertises the enum or pattern, and are checked here, so a bad value gets one
clear sentence listing the valid values instead of a pydantic dump.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Annotated, Any

from mcp.server.mcpserver import Context
from mcp.types import CallToolResult, TextContent, ToolAnnotations
from pydantic import Field

from tab_mcp.client import TabClient, UpstreamDocument
from tab_mcp.errors import InputError
from tab_mcp.paths import info_path
from tab_mcp.session_config import SessionConfig, session_config
from tab_mcp.settings import JURISDICTIONS, Settings

RACE_TYPES = {"R": "thoroughbred", "H": "harness", "G": "greyhound"}
DATE_WORDS = ("today", "tomorrow", "futures")
DATE_PATTERN = r"^(\d{4}-\d{2}-\d{2}|today|tomorrow|futures)$"
WAGERING_PRODUCTS = (
    "Win",
    "Place",
    "Quinella",
    "Exacta",
    "Duet",
    "Trifecta",
    "FirstFour",
    "RunningDouble",
    "DailyDouble",
    "Quaddie",
    "EarlyQuaddie",
    "Treble",
    "Big6",
)
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")

# Tools build their CallToolResult themselves: the text block is the upstream body as received and the
# structured content is its parsed JSON. Letting the SDK convert a returned dict re-serialises the whole
# payload twice (pretty-printed text, then a pydantic dump), which was over half of a call's CPU time on a
# 100 KB meetings list. The Annotated type keeps the advertised outputSchema an object.
ToolResult = Annotated[CallToolResult, dict[str, Any]]

READ_ONLY = ToolAnnotations(read_only_hint=True, destructive_hint=False, idempotent_hint=True, open_world_hint=True)


@dataclass(frozen=True)
class AppState:
    """What the server lifespan yields to tools: the upstream client and the settings."""

    client: TabClient
    settings: Settings


def app_state(ctx: Context) -> AppState:
    """Return the lifespan state of the running server."""
    return ctx.request_context.lifespan_context


@dataclass(frozen=True)
class CallScope:
    """Everything one tool call needs: the client, settings, and the session's own config (if any)."""

    state: AppState
    session: SessionConfig | None

    def jurisdiction(self, value: str | None) -> str:
        """The call's jurisdiction: the argument, else the session's default, else the server's."""
        if not value and self.session is not None:
            value = self.session.jurisdiction
        return check_jurisdiction(value, self.state.settings)

    async def get(self, path: str, params: list[tuple[str, str]], *, access_token: str | None, what: str) -> Any:
        """GET through the pooled client with the session's (or the server's) token."""
        client = self.state.client
        return await client.get_document(
            path, params, access_token=access_token, what=what, tokens=client.tokens_for(self.session)
        )


def call_scope(ctx: Context) -> CallScope:
    """Return the scope of the current tool call."""
    return CallScope(state=app_state(ctx), session=session_config(ctx))


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


def check_jurisdiction(value: str | None, settings: Settings) -> str:
    """Return the upper-case jurisdiction, the configured default when None, or refuse an unknown one."""
    if value is None or value == "":
        return settings.jurisdiction
    code = value.strip().upper()
    if code not in JURISDICTIONS:
        raise InputError(f"Unknown jurisdiction {value!r}: use one of {', '.join(JURISDICTIONS)} (WA is not served).")
    return code


def check_race_type(value: str) -> str:
    """Return the race type code R, H or G, or refuse anything else."""
    code = value.strip().upper()
    if code not in RACE_TYPES:
        raise InputError(f"Unknown race_type {value!r}: use R (thoroughbred), H (harness) or G (greyhound).")
    return code


def check_date(value: str, *, label: str = "meeting_date") -> str:
    """Return a valid date segment (YYYY-MM-DD, today, tomorrow, futures), or refuse it."""
    text = value.strip()
    if text.lower() in DATE_WORDS:
        return text.lower()
    if _ISO_DATE.match(text):
        try:
            dt.date.fromisoformat(text)
            return text
        except ValueError:
            pass
    raise InputError(
        f"{label} {value!r} is not a date: use YYYY-MM-DD (e.g. 2026-09-23), 'today', 'tomorrow' or 'futures'."
    )


def check_race_number(value: int | str) -> int | str:
    """Return a positive race number, or a non-empty race name for fixed-odds-only meetings."""
    if isinstance(value, int):
        if value < 1:
            raise InputError(f"race_number {value} is not a race number: races are numbered from 1.")
        return value
    text = value.strip()
    if text.isdigit():
        return check_race_number(int(text))
    if not text:
        raise InputError("race_number must not be empty: pass a race number such as 2, or a matchName.")
    return text


def check_wagering_product(value: str) -> str:
    """Return the canonical wagering product name (case-insensitive), or refuse an unknown one."""
    lookup = {p.lower(): p for p in WAGERING_PRODUCTS}
    product = lookup.get(value.strip().lower().replace(" ", "").replace("_", ""))
    if product is None:
        raise InputError(f"Unknown wagering_product {value!r}: use one of {', '.join(WAGERING_PRODUCTS)}.")
    return product


def flag(value: bool | None) -> str | None:
    """Render an optional boolean query flag the way TAB expects ('true'), or None to leave it out."""
    return "true" if value else None


async def info_get(
    ctx: Context,
    segments: tuple[Any, ...],
    *,
    what: str,
    jurisdiction: str | None,
    access_token: str | None,
    extra: dict[str, Any] | None = None,
) -> CallToolResult:
    """GET an info-service resource and return its JSON as the tool's result."""
    scope = call_scope(ctx)
    path = info_path(*segments)
    params = [("jurisdiction", scope.jurisdiction(jurisdiction))]
    for key, val in (extra or {}).items():
        if val is not None:
            params.append((key, str(val)))
    return tool_result(await scope.get(path, params, access_token=access_token, what=what))


def tool_result(document: UpstreamDocument) -> CallToolResult:
    """Turn an upstream JSON document into a tool result (text = the body as received, structured = parsed).

    MCP structured content must be an object, so a bare array or scalar is wrapped as ``{"result": ...}``.
    """
    data = document.data if isinstance(document.data, dict) else {"result": document.data}
    return CallToolResult(content=[TextContent(type="text", text=document.text)], structured_content=data)
