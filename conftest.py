"""Root conftest: tier markers by folder, and the anyio backend for async tests.

Contributors adding a test file only choose its folder; the tier marker (`pytest -m unit`, `-m smoke`, ...)
follows from it. A new tier needs a folder here, a marker registered by the tabmcp plugin, and a line in
CONTRIBUTING.md.
"""

from __future__ import annotations

from pathlib import Path

import pytest

TIER_BY_FOLDER = {
    "unit": "unit",
    "ops": "unit",
    "plugin": "plugin",
    "smoke": "smoke",
    "integration": "integration",
    "security": "security",
    "browser": "browser",
}
_TESTS = Path(__file__).parent / "tests"


def pytest_configure(config: pytest.Config) -> None:
    # Load, memory and shutdown tests take tens of seconds; `-m "not slow"` skips them for a quick loop.
    # They stay in `make test`.
    config.addinivalue_line("markers", "slow: a heavier test (load, memory, shutdown); deselect with -m 'not slow'")
    # The browser tier is this repository's, not the plugin's (it renders the monitor's status page in Chromium).
    config.addinivalue_line("markers", "browser: the status page in headless Chromium (applied to tests/browser)")
    # The tabmcp plugin registers these with descriptions; registering the tier names here too keeps
    # `-p no:tabmcp` runs working under --strict-markers.
    if config.pluginmanager.hasplugin("tabmcp"):
        return
    for tier in sorted(set(TIER_BY_FOLDER.values())):
        config.addinivalue_line("markers", f"{tier}: {tier}-tier test (applied from the test's folder)")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        try:
            relative = Path(item.path).resolve().relative_to(_TESTS.resolve())
        except ValueError:
            continue  # pytester runs collect files outside tests/
        tier = TIER_BY_FOLDER.get(relative.parts[0]) if len(relative.parts) > 1 else None
        if tier:
            item.add_marker(getattr(pytest.mark, tier))


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"
