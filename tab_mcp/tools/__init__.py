"""The 28 tools, one module per domain; ``register_all`` adds them to a server."""

from __future__ import annotations

from mcp.server.mcpserver import MCPServer

from tab_mcp.tools import footytab, generic, oauth, racing, results, sports

DOMAINS = (oauth, racing, sports, results, footytab, generic)


def register_all(mcp: MCPServer) -> None:
    """Register every tool of every domain on ``mcp``."""
    for domain in DOMAINS:
        domain.register(mcp)
