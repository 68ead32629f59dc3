"""Commits since the previous release tag, grouped by conventional-commit type.

Git is called with an argument list (never a shell) and a NUL/record-separated format, so subjects with
quotes, ``|`` or newlines in bodies cannot break parsing.
"""

from __future__ import annotations

import re
import subprocess  # nosec B404
from dataclasses import dataclass
from pathlib import Path

# Order is the order of sections in the notes; "other" collects everything that is not conventional.
COMMIT_TYPES: tuple[str, ...] = ("feat", "fix", "perf", "docs", "refactor", "test", "ci", "chore", "other")
SECTION_TITLES: dict[str, str] = {
    "feat": "Features",
    "fix": "Bug fixes",
    "perf": "Performance",
    "docs": "Documentation",
    "refactor": "Refactoring",
    "test": "Tests",
    "ci": "CI and release",
    "chore": "Chores",
    "other": "Other changes",
}
# Common synonyms folded into the nine sections rather than dropped into "other".
_ALIASES = {"build": "ci", "style": "chore", "revert": "fix", "deps": "chore", "security": "fix"}
_CONVENTIONAL = re.compile(r"^(?P<type>[A-Za-z]+)(?:\((?P<scope>[^()\n]+)\))?(?P<bang>!)?:\s+(?P<subject>\S.*)$")
_FIELD, _RECORD = "\x1f", "\x1e"


class GitError(RuntimeError):
    """A git command failed; the message carries the command and git's stderr."""


@dataclass(frozen=True)
class Commit:
    """One commit, parsed: ``type`` is one of :data:`COMMIT_TYPES`."""

    sha: str
    type: str
    scope: str | None
    subject: str
    breaking: bool


def parse_commit(sha: str, subject: str, body: str = "") -> Commit:
    """Classify one commit message by the Conventional Commits 1.0 rules (``!`` or ``BREAKING CHANGE:``)."""
    subject = subject.strip()
    breaking_footer = bool(re.search(r"^BREAKING[ -]CHANGE:", body, flags=re.MULTILINE))
    match = _CONVENTIONAL.match(subject)
    if not match:
        return Commit(sha=sha, type="other", scope=None, subject=subject, breaking=breaking_footer)
    kind = match["type"].lower()
    kind = _ALIASES.get(kind, kind)
    if kind not in COMMIT_TYPES:
        kind = "other"
    return Commit(
        sha=sha,
        type=kind,
        scope=match["scope"],
        subject=match["subject"].strip(),
        breaking=bool(match["bang"]) or breaking_footer,
    )


def _git(repo: Path, *args: str) -> str:
    """Run git in ``repo`` and return stdout; raise :class:`GitError` with stderr on failure."""
    cmd = ["git", "-C", str(repo), *args]
    proc = subprocess.run(cmd, capture_output=True, text=True, check=False)  # noqa: S603  # nosec B603
    if proc.returncode != 0:
        raise GitError(f"{' '.join(cmd)} failed: {proc.stderr.strip()}")
    return proc.stdout


_RELEASE_TAG = re.compile(r"^v(\d+)\.(\d+)\.(\d+)")


def _version_of(tag: str) -> tuple[int, int, int] | None:
    """Return ``(major, minor, patch)`` of a ``vX.Y.Z[suffix]`` tag, or None for other tags."""
    match = _RELEASE_TAG.match(tag)
    return (int(match[1]), int(match[2]), int(match[3])) if match else None


def previous_tag(repo: Path, current_tag: str, ref: str = "HEAD") -> str | None:
    """Return the highest release tag below ``current_tag`` that is reachable from ``ref`` (None on a first release).

    Chosen by version, not by date or ``git describe``, so re-tagging or a tag on the same commit cannot make a
    release compare against itself. Only final ``vX.Y.Z`` tags count as previous releases: pre-release tags
    (``v1.0.0rc1``) are skipped, so a final release lists everything since the last final one.
    """
    current = _version_of(current_tag)
    best: tuple[tuple[int, int, int], str] | None = None
    for tag in _git(repo, "tag", "--list", "v*", "--merged", ref).split():
        version = _version_of(tag)
        is_final = re.fullmatch(r"v\d+\.\d+\.\d+", tag) is not None
        if version is None or not is_final or tag == current_tag or (current is not None and version >= current):
            continue
        if best is None or version > best[0]:
            best = (version, tag)
    return best[1] if best else None


def commits_since(repo: Path, since: str | None, until: str = "HEAD") -> list[Commit]:
    """Return commits in ``since..until`` (all of ``until``'s history when ``since`` is None), newest first."""
    revision = f"{since}..{until}" if since else until
    out = _git(repo, "log", "--no-merges", f"--format=%H{_FIELD}%s{_FIELD}%b{_RECORD}", revision)
    commits = []
    for record in out.split(_RECORD):
        record = record.strip("\n")
        if not record:
            continue
        sha, subject, body = [*record.split(_FIELD), "", ""][:3]
        commits.append(parse_commit(sha.strip(), subject, body))
    return commits


def group_commits(commits: list[Commit]) -> dict[str, list[Commit]]:
    """Group commits by type, in :data:`COMMIT_TYPES` order, leaving out empty groups."""
    groups: dict[str, list[Commit]] = {kind: [] for kind in COMMIT_TYPES}
    for commit in commits:
        groups[commit.type].append(commit)
    return {kind: items for kind, items in groups.items() if items}


def render_changes(commits: list[Commit], *, commit_url: str | None = None) -> str:
    """Render grouped commits as Markdown (breaking changes first); ``commit_url`` is a prefix for links."""
    if not commits:
        return "No changes since the previous release.\n"

    def line(c: Commit) -> str:
        scope = f"**{c.scope}:** " if c.scope else ""
        short = c.sha[:7]
        ref = f"[`{short}`]({commit_url}{c.sha})" if commit_url else f"`{short}`"
        return f"- {scope}{c.subject} ({ref})"

    parts = []
    breaking = [c for c in commits if c.breaking]
    if breaking:
        parts.append("### ⚠️ Breaking changes\n\n" + "\n".join(line(c) for c in breaking) + "\n")
    for kind, items in group_commits(commits).items():
        parts.append(f"### {SECTION_TITLES[kind]}\n\n" + "\n".join(line(c) for c in items) + "\n")
    return "\n".join(parts)
