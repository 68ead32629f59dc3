"""The release tooling, each module run by the release workflow with ``python -m tabmcp_ops.release.<module>``.

``version_check`` checks the tag against the package version, ``changelog`` groups the commits since the previous
tag, and ``notes`` writes the release notes.
"""
