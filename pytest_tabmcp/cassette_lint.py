"""Find secret-looking values in cassette files before they are committed.

What counts as a finding (each reported as file, line, kind; the value itself is never printed):

- ``bearer-token``: ``Bearer <24+ token characters>``;
- ``jwt``: a JWT-like string (``eyJ`` + base64url, as every JSON-object header starts);
- ``client-secret``, ``password``, ``access-token``, ``refresh-token``: the form field (``client_secret=…``) or the
  JSON key (``"access_token": "…"``) with a non-empty value;
- ``env:TAB_<NAME>``: the value (>= 4 characters; raw or URL-encoded) of any ``TAB_*`` environment variable, except
  the settings that are configuration rather than secrets (``TAB_BASE_URL``, ``TAB_JURISDICTION``, …).

A value is a placeholder, not a finding, when it contains one of ``PLACEHOLDER_MARKERS`` (case-insensitive).
Both the raw text and the parsed YAML strings (and the JSON bodies inside them) are scanned, so YAML quoting or
line folding cannot hide a value.

CLI: ``python -m pytest_tabmcp.cassette_lint [DIR_OR_FILE ...]`` (default ``cassettes``); exit 1 on findings,
2 when a path does not exist. This module must not import pytest: the CLI runs without it.
"""

from __future__ import annotations

import dataclasses
import json
import os
import re
import sys
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from urllib.parse import quote, quote_plus

import yaml

from pytest_tabmcp.standin.cassettes import safe_load

PLACEHOLDER_MARKERS = ("placeholder", "redacted", "standin", "offline", "example", "dummy")
# TAB_* settings that hold configuration, not secrets; their values (e.g. "false", the base URL) are everywhere.
NON_SECRET_SETTINGS = frozenset(
    {
        "TAB_BASE_URL",
        "TAB_JURISDICTION",
        "TAB_API_TIMEOUT",
        "TAB_RETRY_MAX_SECONDS",
        "TAB_TOKEN_REFRESH_BUFFER",
        "TAB_LOG_LEVEL",
        "TAB_ENABLE_BETTING",
        "TAB_ALLOWED_HOSTS",
        "TAB_MAX_CONNECTIONS",
        "TAB_MAX_RESPONSE_BYTES",
    }
)
# Key -> finding kind (pairs rather than a dict literal, which bandit would take for hard-coded passwords).
SECRET_KEYS = dict(
    (
        ("access_token", "access-token"),
        ("refresh_token", "refresh-token"),
        ("client_secret", "client-secret"),
        ("password", "password"),
        ("id_token", "access-token"),
    )
)
CASSETTE_SUFFIXES = (".yaml", ".yml", ".json")

_Q = r"\\?[\"']"  # a quote, possibly backslash-escaped inside a double-quoted YAML scalar
# Every pattern starts with a literal, so the regex engine can skip ahead quickly; a word boundary in front of
# the literal is checked in code (see _scan) instead of with a slow leading look-behind.
PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("bearer-token", re.compile(r"Bearer\s+([A-Za-z0-9._~+/-]{24,}=*)")),
    ("jwt", re.compile(r"(eyJ[A-Za-z0-9_-]{10,}(?:\.[A-Za-z0-9_-]+){0,2})")),
    *(
        (kind, re.compile(rf"{key}=([^&\s\"'\\]+)"))  # form body or query string
        for key, kind in SECRET_KEYS.items()
    ),
    *(
        (kind, re.compile(rf"{key}{_Q}\s*:\s*{_Q}([^\"'\\]+)"))  # JSON key, inside any YAML quoting
        for key, kind in SECRET_KEYS.items()
    ),
)
_TRIGGERS = ("Bearer", "eyJ", *SECRET_KEYS)
_WORD = re.compile(r"[A-Za-z0-9_-]")


@dataclasses.dataclass(frozen=True, order=True)
class Finding:
    """One secret-looking value: where it is and what it looks like (never the value itself)."""

    path: str
    line: int
    kind: str
    hint: str = ""

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.kind}" + (f" ({self.hint})" if self.hint else "")


def is_placeholder(value: str) -> bool:
    """Return True when ``value`` is an obvious placeholder rather than a credential."""
    lowered = value.lower()
    return any(marker in lowered for marker in PLACEHOLDER_MARKERS)


def _mask(value: str) -> str:
    return f"{len(value)} chars"


def secret_env_values(env: Mapping[str, str] | None = None) -> dict[str, str]:
    """Return the ``TAB_*`` variables whose values must never appear in a cassette."""
    source = os.environ if env is None else env
    return {
        name: value
        for name, value in source.items()
        if name.upper().startswith("TAB_")
        and name.upper() not in NON_SECRET_SETTINGS
        and len(value) >= 4
        and not is_placeholder(value)
    }


def _strings(node: object) -> Iterator[str]:
    """Every string in a parsed YAML document, plus the strings of any JSON document held in one."""
    if isinstance(node, dict):
        for key, value in node.items():
            if isinstance(key, str) and key.lower() in SECRET_KEYS and isinstance(value, str):
                yield f'"{key.lower()}": "{value}"'  # a YAML mapping such as `access_token: abc`
            yield from _strings(key)
            yield from _strings(value)
    elif isinstance(node, list):
        for item in node:
            yield from _strings(item)
    elif isinstance(node, bytes):
        yield from _strings(node.decode("utf-8", errors="replace"))
    elif isinstance(node, str):
        yield node
        if node.lstrip()[:1] in ("{", "["):
            try:
                yield from _json_secrets(json.loads(node))
            except ValueError:
                pass


def _json_secrets(node: object) -> Iterator[str]:
    """Yield ``"key": "value"`` lines for secret keys of a JSON document, so the patterns see them plainly."""
    if isinstance(node, dict):
        for key, value in node.items():
            if isinstance(value, str) and str(key).lower() in SECRET_KEYS:
                yield f'"{str(key).lower()}": "{value}"'
            else:
                yield from _json_secrets(value)
    elif isinstance(node, list):
        for item in node:
            yield from _json_secrets(item)


def _line_of(text: str, needle: str) -> int:
    """1-based line of the first occurrence of ``needle`` (or of its start, if YAML folded it); 0 if absent."""
    for probe in (needle, needle[:12]):
        offset = text.find(probe) if probe else -1
        if offset >= 0:
            return text.count("\n", 0, offset) + 1
    return 0


def _scan(text: str) -> Iterator[tuple[str, re.Match[str]]]:
    """Yield (kind, match) for every secret-looking value in ``text`` that is not a placeholder."""
    if not any(trigger in text for trigger in _TRIGGERS):
        return
    for kind, pattern in PATTERNS:
        for match in pattern.finditer(text):
            start = match.start()
            if kind != "bearer-token" and start > 0 and _WORD.match(text[start - 1]):
                continue  # part of a longer name, e.g. "x_password=" or "grant_type=password"
            if not is_placeholder(match.group(1)):
                yield kind, match


def lint_text(text: str, name: str, env: Mapping[str, str] | None = None) -> list[Finding]:
    """Scan one cassette's text (``name`` is used in the findings); returns sorted, de-duplicated findings."""
    found: set[Finding] = set()
    for kind, match in _scan(text):
        line = text.count("\n", 0, match.start(1)) + 1
        found.add(Finding(name, line, kind, _mask(match.group(1))))
    try:
        documents: list[str] = list(_strings(safe_load(text)))
    except yaml.YAMLError:
        documents = []  # not YAML (or broken): the raw scan above still ran
    reported = {(f.line, f.kind) for f in found}
    for string in documents:
        for kind, match in _scan(string):
            value = match.group(1)
            line = _line_of(text, value)
            if (line, kind) not in reported:
                reported.add((line, kind))
                found.add(Finding(name, line, kind, _mask(value)))
    haystacks = [text, *documents]
    for var, value in secret_env_values(env).items():
        for form in {value, quote(value, safe=""), quote_plus(value)}:
            if any(form in hay for hay in haystacks):
                found.add(Finding(name, _line_of(text, form), f"env:{var}", "value of an environment variable"))
                break
    return sorted(found)


def iter_cassette_files(paths: Iterable[str | Path]) -> Iterator[Path]:
    """Expand directories into their cassette files (``*.yaml``, ``*.yml``, ``*.json``), recursively."""
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            yield from sorted(p for p in path.rglob("*") if p.is_file() and p.suffix in CASSETTE_SUFFIXES)
        else:
            yield path


def lint_paths(paths: Iterable[str | Path], env: Mapping[str, str] | None = None) -> list[Finding]:
    """Scan cassette files and directories; returns every finding, sorted by file and line."""
    findings: list[Finding] = []
    for path in iter_cassette_files(paths):
        findings.extend(lint_text(path.read_text(encoding="utf-8", errors="replace"), str(path), env))
    return findings


def main(argv: list[str] | None = None) -> int:
    """CLI entry point; returns 0 when clean, 1 on findings, 2 for a missing path."""
    args = sys.argv[1:] if argv is None else argv
    paths = [Path(a) for a in args] or [Path("cassettes")]
    missing = [str(p) for p in paths if not p.exists()]
    if missing:
        print(f"cassette_lint: no such file or directory: {', '.join(missing)}", file=sys.stderr)
        return 2
    files = list(iter_cassette_files(paths))
    findings = lint_paths(files)
    for finding in findings:
        print(finding)
    if findings:
        print(f"cassette_lint: {len(findings)} secret-looking value(s) in {len(files)} file(s)", file=sys.stderr)
        return 1
    print(f"cassette_lint: {len(files)} file(s) clean")
    return 0


if __name__ == "__main__":
    sys.exit(main())
