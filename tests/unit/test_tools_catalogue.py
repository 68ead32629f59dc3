"""The advertised tool catalogue is pinned: names, titles, descriptions, schemas and annotations.

A model chooses and calls tools from exactly this text, so a refactor must not change a byte of it. A
deliberate change regenerates the snapshot with ``python -m tests.unit.test_tools_catalogue`` and the diff
is reviewed like code. Descriptions are compared after ``inspect.cleandoc``: Python 3.13 strips docstring
indentation at compile time and 3.11/3.12 do not, so raw indentation is not a stable part of the text.
"""

from __future__ import annotations

import inspect
import json
from pathlib import Path
from typing import Any

import anyio
import pytest
from mcp import Client

from tab_mcp import create_server
from tab_mcp.settings import Settings

SNAPSHOT = Path(__file__).parent / "snapshots" / "tools_list.json"


async def catalogue() -> list[dict[str, Any]]:
    """``tools/list`` of a server built from default settings, as plain JSON in server order."""
    server = create_server(Settings(client_id="snap-client", client_secret="snap-secret"))
    async with Client(server) as client:
        listed = await client.list_tools()
    tools = [tool.model_dump(mode="json", by_alias=True, exclude_none=True) for tool in listed.tools]
    for tool in tools:
        tool["description"] = inspect.cleandoc(tool.get("description", ""))
    return tools


def render(tools: list[dict[str, Any]]) -> str:
    """The snapshot file's text: stable key order, one trailing newline."""
    return json.dumps(tools, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


@pytest.mark.anyio
async def test_tools_list_matches_the_committed_snapshot() -> None:
    tools = await catalogue()
    assert len(tools) == 28
    assert render(tools) == SNAPSHOT.read_text(encoding="utf-8")


@pytest.mark.anyio
async def test_tools_are_listed_in_registration_order() -> None:
    names = [tool["name"] for tool in await catalogue()]
    expected = [tool["name"] for tool in json.loads(SNAPSHOT.read_text(encoding="utf-8"))]
    assert names == expected


@pytest.mark.anyio
async def test_descriptions_read_the_same_on_every_python_version() -> None:
    server = create_server(Settings())
    async with Client(server) as client:
        listed = await client.list_tools()
    for tool in listed.tools:
        assert tool.description and tool.description == inspect.cleandoc(tool.description), tool.name


if __name__ == "__main__":
    SNAPSHOT.write_text(render(anyio.run(catalogue)), encoding="utf-8")
    print(f"wrote {SNAPSHOT}")
