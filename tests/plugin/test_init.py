"""The package's lazy top level (``pytest_tabmcp/__init__.py``): exported names resolve, others do not."""

from __future__ import annotations

import pytest

import pytest_tabmcp


def test_public_names_are_exported_on_purpose() -> None:
    assert pytest_tabmcp.__all__ == sorted(pytest_tabmcp.__all__)
    for name in pytest_tabmcp.__all__:
        assert getattr(pytest_tabmcp, name) is not None
    assert pytest_tabmcp.__version__ == pytest_tabmcp.__version__.strip() and pytest_tabmcp.__version__[0].isdigit()
    with pytest.raises(AttributeError, match="no attribute 'nope'"):
        _ = pytest_tabmcp.nope
