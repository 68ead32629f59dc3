"""tab_mcp: an MCP server over the Tabcorp (TAB Australia) API."""

from __future__ import annotations

__version__ = "0.1.0"

from tab_mcp.client import TabClient
from tab_mcp.errors import TabError
from tab_mcp.server import create_http_app, create_server
from tab_mcp.settings import Settings

__all__ = ["Settings", "TabClient", "TabError", "__version__", "create_http_app", "create_server"]
