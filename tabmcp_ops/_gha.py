"""Small helpers for talking to GitHub Actions from Python (outputs, step summary, annotations)."""

from __future__ import annotations

import os
import uuid
from pathlib import Path


def set_output(name: str, value: str, *, env: dict[str, str] | None = None) -> None:
    """Append ``name=value`` to ``$GITHUB_OUTPUT`` when running in Actions; do nothing elsewhere.

    Multi-line values use the heredoc form with a random delimiter, so a value can never end the block early.
    """
    path = (env if env is not None else os.environ).get("GITHUB_OUTPUT")
    if not path:
        return
    with Path(path).open("a", encoding="utf-8") as fh:
        if "\n" in value:
            delimiter = f"EOF_{uuid.uuid4().hex}"
            fh.write(f"{name}<<{delimiter}\n{value}\n{delimiter}\n")
        else:
            fh.write(f"{name}={value}\n")


def append_summary(markdown: str, *, env: dict[str, str] | None = None) -> bool:
    """Append Markdown to ``$GITHUB_STEP_SUMMARY``; return False when not running in Actions."""
    path = (env if env is not None else os.environ).get("GITHUB_STEP_SUMMARY")
    if not path:
        return False
    with Path(path).open("a", encoding="utf-8") as fh:
        fh.write(markdown if markdown.endswith("\n") else markdown + "\n")
    return True


def annotation(level: str, message: str) -> str:
    """Return a workflow command line (``::error::``/``::warning::``/``::notice::``) with the message escaped."""
    escaped = message.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    return f"::{level}::{escaped}"
