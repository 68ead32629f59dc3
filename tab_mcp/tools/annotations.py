"""The MCP tool annotations, one per kind of tool: read-only lookups, token minting (OAuth grants), and betting."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from mcp.types import ToolAnnotations

__all__ = ["BETTING", "OAUTH", "READ_ONLY", "ToolFunction", "ToolTable"]

READ_ONLY = ToolAnnotations(read_only_hint=True, destructive_hint=False, idempotent_hint=True, open_world_hint=True)
# Minting a token creates a live credential and hands it to the caller: not read-only, so a host asks before
# running it. It destroys nothing upstream, and each call issues a new token (not idempotent).
OAUTH = ToolAnnotations(read_only_hint=False, destructive_hint=False, idempotent_hint=False, open_world_hint=True)
BETTING = ToolAnnotations(read_only_hint=False, destructive_hint=True, idempotent_hint=False, open_world_hint=True)

ToolFunction = Callable[..., Awaitable[Any]]
# A domain's tools in registration order (the order tools/list shows them), each with its annotations.
ToolTable = dict[ToolFunction, ToolAnnotations]
