"""A skipped test as the plugin reports it: one shape for the plugin's reports and the monitor that reads them.

The latency JSON lists skips under ``skipped`` as ``{"test", "reason", "excluded_by"}``; ``to_dict`` writes that
form and ``from_dict`` reads it back, and ``markdown_table`` renders the rows the step summary and the monitor
report both show. pytest-free, so the ops tooling can import it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class SkippedTest:
    """One skipped test: its node id, pytest's reason, and the mode marker that excluded it (or None)."""

    nodeid: str
    reason: str
    excluded_by: str | None

    def to_dict(self) -> dict[str, Any]:
        """The JSON form written under ``skipped`` in the latency report."""
        return {"test": self.nodeid, "reason": self.reason, "excluded_by": self.excluded_by}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> SkippedTest:
        """Read one entry of the latency report's ``skipped`` list (missing keys read as unknown, not excluded)."""
        excluded = data.get("excluded_by")
        return cls(str(data.get("test", "?")), str(data.get("reason", "")), str(excluded) if excluded else None)


def markdown_table(skipped: Sequence[SkippedTest]) -> list[str]:
    """The skipped tests as Markdown table lines: test, reason, and the marker that excluded it on purpose."""
    lines = ["| test | reason |", "|:--|:--|"]
    for skip in skipped:
        reason = skip.reason.replace("|", "\\|")
        note = f" (excluded by {skip.excluded_by})" if skip.excluded_by else ""
        lines.append(f"| `{skip.nodeid}` | {reason}{note} |")
    return lines
