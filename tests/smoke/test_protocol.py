"""MCP itself: the handshake, and tools/list with the 28 tools, their schemas and their safety hints.

No upstream call is made here, so no cassette is needed.
"""

from __future__ import annotations

from typing import Any

import jsonschema
import pytest

from tests.smoke._support import EXPECTED_TOOLS

pytestmark = pytest.mark.anyio


async def test_initialize_reports_the_server(mcp_client: Any) -> None:
    info = mcp_client.server_info
    assert info.name == "tab-mcp"
    assert info.version, "server_info.version is empty"
    assert mcp_client.protocol_version, "no protocol version was negotiated"


async def test_tools_list_is_exactly_the_28_tools(mcp_client: Any) -> None:
    tools = (await mcp_client.list_tools()).tools
    names = [tool.name for tool in tools]
    assert len(names) == len(set(names)), f"duplicate tool names: {sorted(names)}"
    assert set(names) == EXPECTED_TOOLS, (
        f"missing: {sorted(EXPECTED_TOOLS - set(names))}; unexpected: {sorted(set(names) - EXPECTED_TOOLS)}"
    )


async def test_every_tool_has_a_description_and_a_valid_input_schema(mcp_client: Any) -> None:
    for tool in (await mcp_client.list_tools()).tools:
        assert tool.description and tool.description.strip(), f"{tool.name} has no description"
        schema = tool.input_schema
        assert schema.get("type") == "object", f"{tool.name}: input schema is not an object schema"
        # Raises SchemaError with the JSON pointer of the offending keyword when the schema is invalid.
        jsonschema.validators.validator_for(schema).check_schema(schema)
        for name, prop in schema.get("properties", {}).items():
            assert prop.get("description"), f"{tool.name}: argument {name!r} has no description"


async def test_only_tab_post_and_the_token_tools_are_not_read_only(mcp_client: Any) -> None:
    hints = {tool.name: tool.annotations for tool in (await mcp_client.list_tools()).tools}
    for name, hint in hints.items():
        assert hint is not None, f"{name} has no ToolAnnotations"
        if name == "tab_post":
            assert hint.destructive_hint is True, "tab_post must carry destructiveHint"
            assert not hint.read_only_hint, "tab_post must not claim readOnlyHint"
        elif name.startswith("tab_oauth_"):
            # They mint a live credential: a host should ask before running them.
            assert hint.read_only_hint is False, f"{name} mints a token and must not claim readOnlyHint"
            assert hint.destructive_hint is False, f"{name} destroys nothing upstream"
        else:
            assert hint.read_only_hint is True, f"{name} lacks readOnlyHint"
