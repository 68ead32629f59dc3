"""The 28 tools, one module per domain; ``register_all`` adds them to a server."""

from __future__ import annotations

import inspect

from mcp.server.mcpserver import MCPServer

from tab_mcp.tools import footytab, generic, oauth, racing, results, sports

__all__ = ["DOMAINS", "register_all"]

DOMAINS = (oauth, racing, sports, results, footytab, generic)


def register_all(mcp: MCPServer) -> None:
    """Register every tool of every domain on ``mcp``, in domain order, each with its annotations.

    The description is the docstring without its indentation, so it reads the same on every Python version
    (3.13 strips docstring indentation at compile time; 3.11 and 3.12 do not).
    """
    for domain in DOMAINS:
        for function, hints in domain.TOOLS.items():
            mcp.add_tool(function, annotations=hints, description=inspect.cleandoc(function.__doc__ or ""))
