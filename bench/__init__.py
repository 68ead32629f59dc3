"""The tab-mcp benchmark: the server against a bare-SDK control, on loopback, reported as ratios.

``python -m bench.run`` (``make bench``) runs everything; ``python -m bench.run --check`` (``make bench-check``)
is the short regression guard. See ``bench/README.md``.
"""
