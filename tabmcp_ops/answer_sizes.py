"""How big each tool's answer is on a real-size day: ``python -m tabmcp_ops.answer_sizes`` (``make answer-sizes``).

Every one of the 28 tools is called through the in-memory MCP client, with the earlier server's arguments,
against an upstream that serves the generated real-size bodies (``cassette_builders.real_day`` and
``real_day_sports``) pretty-printed, as the 2026-09-23 captures are. Each call is made twice: as a model makes
it (the default answer) and with ``detail="full"`` (TAB's body unchanged: what every call returned before
answers were shaped). The table gives the characters of the text content and of the structured content
(compact JSON) of both, and the size of ``tools/list``. ``tests/unit/test_answer_budget.py`` asserts the
budget on the same measurements.
"""

from __future__ import annotations

import argparse
import json
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any

import anyio
import httpx
from mcp import Client
from mcp.types import CallToolResult

from tab_mcp.server import create_server
from tab_mcp.settings import Settings
from tabmcp_ops.cassette_builders.real_day import real_day_bodies
from tabmcp_ops.cassette_builders.real_day_sports import real_sports_bodies

__all__ = ["TOOL_CALLS", "Measured", "fake_upstream", "markdown_table", "measure", "real_day_server", "result_sizes"]

P = "/v1/tab-info-service"
_RACE = {"meeting_date": "2026-09-23", "race_type": "R", "venue_mnemonic": "WFM", "race_number": 2}
# The token tools mint only from the caller's own client (never the server's), so the caller passes one.
_OWN_CLIENT = {"client_id": "caller-client", "client_secret": "caller-secret"}
#: One call per tool, with the earlier server's arguments (the same as ``tests/unit/test_tool_paths.py``).
TOOL_CALLS: list[tuple[str, dict[str, Any]]] = [
    ("tab_oauth_password_grant", {**_OWN_CLIENT, "username": "12345678", "password": "pw"}),
    ("tab_oauth_refresh", {**_OWN_CLIENT, "refresh_token": "refresh-1"}),
    ("tab_oauth_client_credentials", _OWN_CLIENT),
    ("racing_get_all_meeting_dates", {}),
    ("racing_get_meetings", {"meeting_date": "2026-09-23"}),
    ("racing_get_all_races_in_meeting", {k: _RACE[k] for k in ("meeting_date", "race_type", "venue_mnemonic")}),
    ("racing_get_race", _RACE),
    ("racing_get_next_to_go", {}),
    ("racing_get_race_form", _RACE),
    ("racing_get_runner_form", {**_RACE, "runner_number": 1}),
    ("racing_get_approximates", {**_RACE, "wagering_product": "Quinella"}),
    ("racing_get_open_jackpots", {}),
    ("racing_get_jackpot_pools", {"meeting_date": "tomorrow"}),
    ("sports_get_all_open", {}),
    ("sports_get_open_sport", {"sport_name": "AFL Football"}),
    ("sports_get_open_competition", {"sport_name": "Rugby League", "competition_name": "State of Origin & Co"}),
    (
        "sports_get_open_tournament",
        {"sport_name": "Tennis", "competition_name": "ATP", "tournament_name": "Wimbledon Men's Singles"},
    ),
    (
        "sports_get_open_match_in_competition",
        {"sport_name": "Soccer", "competition_name": "J League", "match_name": "Shimizu v FC Tōkyō"},
    ),
    (
        "sports_get_open_match_in_tournament",
        {
            "sport_name": "Tennis",
            "competition_name": "ATP",
            "tournament_name": "ATP Munich",
            "match_name": "Ebden/Purcell v Granollers/Zeballos",
        },
    ),
    ("sports_get_next_to_go", {}),
    ("sports_get_all_results", {}),
    ("sports_get_resulted_sport", {"sport_name": "Basketball"}),
    ("sports_get_resulted_competition", {"sport_name": "Basketball", "competition_name": "NBA"}),
    (
        "sports_get_resulted_match_in_competition",
        {"sport_name": "Basketball", "competition_name": "NBA", "match_name": "Lakers v Warriors"},
    ),
    ("footytab_get_all_rounds", {"sport_name": "AFL Football"}),
    ("footytab_get_round_details", {"sport_name": "Rugby League", "round_number": 7}),
    ("tab_get", {"path": f"{P}/racing/dates"}),
    ("tab_post", {"path": "/v1/account/ping", "body": {}}),
]
_TOKEN = {"access_token": "real-day-token", "token_type": "Bearer", "expires_in": 10800, "refresh_token": "r-2"}


def fake_upstream(bodies: dict[str, Any] | None = None) -> httpx.MockTransport:
    """A loopback-free upstream serving the real-size bodies (pretty-printed), tokens, and ``{"ok": true}`` to POSTs."""
    served = {
        f"{P}/{path}": json.dumps(body, indent=2, ensure_ascii=False).encode()
        for path, body in (bodies if bodies is not None else real_day_bodies() | real_sports_bodies()).items()
    }

    def handle(request: httpx.Request) -> httpx.Response:
        path = request.url.raw_path.decode().split("?", 1)[0]
        if path == "/oauth/token":
            return httpx.Response(200, json=_TOKEN)
        if request.method == "POST":
            return httpx.Response(200, json={"ok": True})
        if path in served:
            return httpx.Response(200, content=served[path], headers={"content-type": "application/json"})
        return httpx.Response(404, json={"error": {"code": "RESOURCE_NOT_FOUND_ERROR", "message": path}})

    return httpx.MockTransport(handle)


def real_day_settings(**overrides: Any) -> Settings:
    """Settings of the measuring server: client credentials, betting on (so tab_post answers), no retries."""
    values: dict[str, Any] = {
        "client_id": "size-id",
        "client_secret": "size-secret",
        "enable_betting": True,
        "retry_max_seconds": 0,
    }
    return Settings(**(values | overrides))


@asynccontextmanager
async def real_day_server(settings: Settings | None = None) -> Any:
    """An in-memory MCP client of a server whose upstream serves the real-size day."""
    server = create_server(settings or real_day_settings(), transport=fake_upstream())
    async with Client(server) as client:
        yield client


def result_sizes(result: CallToolResult) -> tuple[int, int]:
    """Characters of a result's text content and of its structured content (compact JSON)."""
    text = sum(len(getattr(block, "text", "")) for block in result.content)
    structured = result.structured_content
    size = 0 if structured is None else len(json.dumps(structured, separators=(",", ":"), ensure_ascii=False))
    return text, size


@dataclass(frozen=True)
class Measured:
    """One tool's answer sizes: default (text, structured) and detail='full' (text, structured), and any error."""

    tool: str
    text: int
    structured: int
    full_text: int
    full_structured: int
    error: str = ""


async def measure(client: Client) -> tuple[list[Measured], int]:
    """Each tool's sizes (default and full) and the characters of ``tools/list`` (compact JSON)."""
    listed = await client.list_tools()
    takes_detail = {t.name for t in listed.tools if "detail" in t.input_schema.get("properties", {})}
    catalogue = len(
        json.dumps(
            [t.model_dump(mode="json", by_alias=True, exclude_none=True) for t in listed.tools],
            separators=(",", ":"),
            ensure_ascii=False,
        )
    )
    rows = []
    for tool, args in TOOL_CALLS:
        result = await client.call_tool(tool, args)
        full = await client.call_tool(tool, {**args, "detail": "full"}) if tool in takes_detail else result
        error = " ".join(getattr(b, "text", "") for b in result.content) if result.is_error else ""
        rows.append(Measured(tool, *result_sizes(result), *result_sizes(full), error=error))
    return rows, catalogue


def markdown_table(rows: list[Measured], catalogue: int, budget: int) -> str:
    """The size table as Markdown: before (TAB's body) and after (the default answer), text and structured."""
    lines = [
        f"| tool | before: text | before: structured | after: text | after: structured | within {budget:,} |",
        "|---|---:|---:|---:|---:|---|",
    ]
    for r in rows:
        ok = "yes" if max(r.text, r.structured) <= budget and not r.error else f"NO {r.error}".strip()
        lines.append(f"| `{r.tool}` | {r.full_text:,} | {r.full_structured:,} | {r.text:,} | {r.structured:,} | {ok} |")
    lines.append(f"\n`tools/list`: {catalogue:,} characters (compact JSON).")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Print the size table; exit 1 when a default answer is over the budget."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--budget", type=int, default=None, help="TAB_MAX_RESULT_CHARS for the run (default 75000)")
    options = parser.parse_args(argv)
    settings = real_day_settings(**({"max_result_chars": options.budget} if options.budget else {}))

    async def run() -> tuple[list[Measured], int]:
        async with real_day_server(settings) as client:
            return await measure(client)

    rows, catalogue = anyio.run(run)
    print(markdown_table(rows, catalogue, settings.max_result_chars))
    over = [r for r in rows if r.error or max(r.text, r.structured) > settings.max_result_chars]
    return 1 if over else 0


if __name__ == "__main__":
    raise SystemExit(main())
