"""The drift report: contract violations gathered from a run's tests, for the terminal, JSON and step summary.

Each failing call rides on its test report as a ``user_properties`` entry
``("tabmcp_drift", {"tool": ..., "sentences": [...]})`` (xdist ships those to the controller). The section
written under ``"drift"`` in the ``--tabmcp-latency-json`` file is::

    {"violations": 2, "tools": {"racing_get_race": ["racing_get_race: at $.runners[*] ..."]},
     "tests": ["tests/smoke/test_racing.py::test_race_card"]}

``violations`` counts distinct sentences; ``tools`` lists them per tool (sorted); ``tests`` names the
tests that failed on drift. The monitor reads this section for its "upstream contract drift" alert.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from pytest_tabmcp.contracts.check import Violation

DRIFT_PROPERTY = "tabmcp_drift"
FAILURE_PREFIX = "upstream contract drift"


@dataclass(frozen=True)
class DriftEntry:
    """The violations of one tool call in one test."""

    nodeid: str
    tool: str
    sentences: tuple[str, ...]


def drift_property(tool: str, violations: Sequence[Violation]) -> dict[str, Any]:
    """The ``user_properties`` value for one call's violations (plain JSON data, no values of the result)."""
    return {"tool": tool, "sentences": [v.sentence() for v in violations]}


def failure_message(tool: str, violations: Sequence[Violation]) -> str:
    """The test failure text: a headline, then one sentence per difference."""
    lines = [f"{FAILURE_PREFIX}: the result of {tool} differs from its contract in {len(violations)} place(s):"]
    return "\n".join([*lines, *(f"  {v.sentence()}" for v in violations)])


def entry_from_property(nodeid: str, value: Mapping[str, Any]) -> DriftEntry:
    """Read one ``tabmcp_drift`` property back."""
    return DriftEntry(nodeid, str(value["tool"]), tuple(str(s) for s in value["sentences"]))


def build_section(entries: Iterable[DriftEntry]) -> dict[str, Any]:
    """The ``drift`` section of the run report (see the module docstring)."""
    tools: dict[str, set[str]] = {}
    tests: set[str] = set()
    for entry in entries:
        tools.setdefault(entry.tool, set()).update(entry.sentences)
        tests.add(entry.nodeid)
    by_tool = {tool: sorted(sentences) for tool, sentences in sorted(tools.items())}
    return {"violations": sum(len(s) for s in by_tool.values()), "tools": by_tool, "tests": sorted(tests)}


def format_lines(section: Mapping[str, Any]) -> list[str]:
    """The terminal section's lines: a verdict, then the sentences grouped by tool."""
    if not section["violations"]:
        return ["every tool result matched its contract"]
    tools = section["tools"]
    lines = [f"{section['violations']} difference(s) in {len(tools)} tool(s), in {len(section['tests'])} test(s):"]
    for sentences in tools.values():
        lines += [f"  {sentence}" for sentence in sentences]
    return lines


def format_markdown(section: Mapping[str, Any]) -> str:
    """The GitHub step summary's drift section (Markdown)."""
    lines = ["### tab-mcp upstream contract drift", ""]
    if not section["violations"]:
        return "\n".join([*lines, "Every tool result matched its contract.", ""])
    lines.append(f"{section['violations']} difference(s); each line is one field that changed:")
    lines.append("")
    for sentences in section["tools"].values():
        lines += [f"- {sentence}" for sentence in sentences]
    return "\n".join([*lines, ""])
