"""Each package's public surface is pinned: ``__all__`` lists exactly what it exports, nothing more or less.

In the style of httpx's ``tests/test_exported_members.py``: a name added to or dropped from a package's
top level must be a deliberate change to this list.
"""

from __future__ import annotations

import importlib
import pkgutil
import types

import pytest_tabmcp
import pytest_tabmcp.standin
import tab_mcp

TAB_MCP = ["Settings", "TabClient", "TabError", "__version__", "create_http_app", "create_server"]
PYTEST_TABMCP = [
    "CassetteConfig",
    "OAuthToken",
    "TabCredentials",
    "TabmcpOptions",
    "TokenLifetimeWarning",
    "ToolCaller",
    "__version__",
]
STANDIN = [
    "Fault",
    "FaultSpecError",
    "StandIn",
    "StandInAbort",
    "StandInHandle",
    "ThreadServer",
    "is_loopback",
    "main",
    "parse_fault",
    "parse_faults",
    "run_standin",
    "serve_in_thread",
]


def public_members(module: types.ModuleType) -> list[str]:
    """The names a module exposes at its top level, less its submodules (attributes only because imported)."""
    names = (
        name
        for name, value in vars(module).items()
        if (not name.startswith("_") or name == "__version__") and not isinstance(value, types.ModuleType)
    )
    return sorted(name for name in names if name != "annotations")  # `from __future__ import annotations`


def test_tab_mcp_exports_exactly_its_public_names() -> None:
    assert tab_mcp.__all__ == TAB_MCP
    assert public_members(tab_mcp) == sorted(TAB_MCP)


def test_pytest_tabmcp_exports_resolve_and_are_pinned() -> None:
    # The plugin package exports lazily (module __getattr__), so check that every name resolves instead.
    assert pytest_tabmcp.__all__ == PYTEST_TABMCP
    for name in PYTEST_TABMCP:
        assert getattr(pytest_tabmcp, name) is not None, name
    assert tab_mcp.__version__ == pytest_tabmcp.__version__


def test_every_tab_mcp_module_with_all_exports_only_what_it_defines() -> None:
    checked = 0
    for info in pkgutil.walk_packages(tab_mcp.__path__, "tab_mcp."):
        if info.name.endswith(".__main__"):  # importing it runs the CLI
            continue
        checked += 1
        module = importlib.import_module(info.name)
        for name in getattr(module, "__all__", []):
            assert hasattr(module, name), f"{info.name}.__all__ names {name!r}, which it does not define"
    assert checked > 15


def test_the_stand_in_exports_exactly_its_public_names() -> None:
    assert pytest_tabmcp.standin.__all__ == STANDIN
    assert public_members(pytest_tabmcp.standin) == sorted(STANDIN)


def test_every_stand_in_module_with_all_exports_only_what_it_defines() -> None:
    checked = 0
    for info in pkgutil.walk_packages(pytest_tabmcp.standin.__path__, "pytest_tabmcp.standin."):
        if info.name.endswith(".__main__"):  # importing it runs the command
            continue
        checked += 1
        module = importlib.import_module(info.name)
        for name in getattr(module, "__all__", []):
            assert hasattr(module, name), f"{info.name}.__all__ names {name!r}, which it does not define"
    assert checked == 6  # app, cassettes, faults, oauth, runner, serve
