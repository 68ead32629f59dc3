"""The plugin's stash keys, in one place: what the hooks and fixtures store on the config and on each item.

Set by ``plugin`` (options, each test's marker and its failure) and by ``fixtures`` (cassette configuration,
in-process servers); read by both. Only the types are imported, so this module sits just above ``options``.
"""

from __future__ import annotations

from typing import Any

import pytest

from pytest_tabmcp._cassettes import CassetteConfig
from pytest_tabmcp.options import MarkerOptions, TabmcpOptions

#: On the config: the run's resolved options (``plugin.pytest_configure``).
OPTIONS_KEY = pytest.StashKey[TabmcpOptions]()
#: On an item: its validated ``@pytest.mark.tabmcp`` keywords (``plugin.pytest_collection_modifyitems``).
MARKER_KEY = pytest.StashKey[MarkerOptions]()
#: On an item: its invalid ``tabmcp`` marker's error, raised at setup rather than at collection.
MARKER_ERROR_KEY = pytest.StashKey[pytest.UsageError]()
#: On an item: its setup or call failed, so a recording cassette is not saved.
FAILED_KEY = pytest.StashKey[bool]()
#: On the config: the cassette configuration after ``pytest_tabmcp_configure_cassette`` (``fixtures``).
CASSETTE_CONFIG_KEY = pytest.StashKey[CassetteConfig]()
#: On the config: the in-process servers by ``id(settings)``, each held with its settings (``fixtures``).
SERVERS_KEY = pytest.StashKey[dict[int, tuple[Any, Any]]]()
