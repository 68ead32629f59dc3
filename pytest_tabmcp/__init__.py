"""pytest_tabmcp: the pytest plugin that tests, smoke-tests and monitors a tab-mcp server.

Installed with the ``tab-mcp`` package through the ``pytest11`` entry point ``tabmcp``; nothing to add to a
conftest. The names below are exported for type hints on fixture arguments; everything else is internal.
Attributes are imported lazily, so importing this package (as pytest does at start-up) stays cheap.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

_EXPORTS = {
    "CassetteConfig": "pytest_tabmcp._cassettes",
    "OAuthToken": "pytest_tabmcp._oauth",
    "TabCredentials": "pytest_tabmcp._oauth",
    "TabmcpOptions": "pytest_tabmcp.options",
    "TokenLifetimeWarning": "pytest_tabmcp._oauth",
    "ToolCaller": "pytest_tabmcp.fixtures",
}
__all__ = [
    "CassetteConfig",
    "OAuthToken",
    "TabCredentials",
    "TabmcpOptions",
    "TokenLifetimeWarning",
    "ToolCaller",
    "__version__",
]


def __getattr__(name: str) -> Any:
    if name == "__version__":  # one version for the distribution: the plugin ships inside tab-mcp
        from importlib.metadata import version

        return version("tab-mcp")
    if name in _EXPORTS:
        return getattr(import_module(_EXPORTS[name]), name)
    raise AttributeError(f"module 'pytest_tabmcp' has no attribute {name!r}")
