"""The plugin's reporters, as one family: latency, skips and contract drift.

``latency``, ``skips`` and ``drift`` are the reporters; ``report_io`` is what they share (a test report's properties
and the GitHub step summary); ``skipped`` is the pytest-free form of a skip, which the monitor reads back. Nothing is
imported at package import time, so ``skipped`` stays importable without pytest.
"""
