"""Operations tooling for tab-mcp: release notes, the health monitor, the env file and conformance runs.

Pure Python (standard library plus the project's own dependencies) so the workflows stay thin: every
decision a workflow makes (is this release validated, is the server healthy, open or close the alert issue)
is a tested function here, and the YAML only wires inputs to these CLIs.
"""
