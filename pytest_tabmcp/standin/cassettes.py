"""Load vcrpy YAML cassettes into a lookup table for the stand-in (the loopback Tabcorp API).

A request matches an interaction on method, path and query, ignoring scheme and host (the stand-in plays
``https://api.beta.tab.com.au`` on loopback). Paths are compared *raw*, segment by segment: each segment is
percent-decoded and re-encoded with nothing left safe, so ``(`` and ``%28`` are the same segment while
``%2F`` inside a name never turns into a path separator. Queries compare as sorted multisets of pairs.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, quote, unquote_to_bytes, urlsplit

import yaml

# Headers the stand-in computes itself, or that describe a transfer rather than the recorded body.
_DROPPED_HEADERS = frozenset({"content-length", "transfer-encoding", "connection", "keep-alive", "date", "server"})

MatchKey = tuple[str, str, tuple[tuple[str, str], ...]]
#: A change applied to each recorded body as it loads: ``(method, raw_path, body) -> body`` (a drifted upstream).
BodyTransform = Callable[[str, str, bytes], bytes]


def safe_load(text: str) -> object:
    """Parse YAML safely, with libyaml when present (the pure-Python parser takes ~0.5 s per racing cassette)."""
    if getattr(yaml, "__with_libyaml__", False):
        return yaml.load(text, Loader=yaml.CSafeLoader)
    return yaml.safe_load(text)


def canonical_path(raw_path: str) -> str:
    """Normalise a raw (still percent-encoded) path so equivalent encodings compare equal; ``%2F`` stays ``%2F``."""
    return "/".join(quote(unquote_to_bytes(segment), safe="") for segment in raw_path.split("/"))


def canonical_query(query: str) -> tuple[tuple[str, str], ...]:
    """Return the query as a sorted tuple of (name, value) pairs, so order does not matter but repeats do."""
    return tuple(sorted(parse_qsl(query, keep_blank_values=True)))


def match_key(method: str, raw_path: str, query: str) -> MatchKey:
    """Build the lookup key of one request."""
    return (method.upper(), canonical_path(raw_path), canonical_query(query))


@dataclasses.dataclass(frozen=True)
class RecordedResponse:
    """One replayable response: status, reason, headers (minus transfer headers) and the body bytes."""

    status: int
    reason: str
    headers: tuple[tuple[str, str], ...]
    body: bytes
    source: str


@dataclasses.dataclass
class CassetteIndex:
    """Every interaction of every cassette under a directory, keyed by :func:`match_key`.

    ``duplicates`` counts conflicts: a request recorded again with a different answer (the first one is served).
    """

    directory: Path
    files: list[str]
    responses: dict[MatchKey, RecordedResponse]
    duplicates: int = 0

    def lookup(self, method: str, raw_path: str, query: str) -> RecordedResponse | None:
        """Return the recorded response for a request, or None when no interaction matches."""
        return self.responses.get(match_key(method, raw_path, query))


def _body_bytes(body: object) -> tuple[bytes, bool]:
    """Return the body as bytes and whether it was stored decoded (text) rather than raw (``!!binary``)."""
    string = body.get("string") if isinstance(body, dict) else body
    if string is None:
        return b"", True
    if isinstance(string, bytes):
        return string, False
    return str(string).encode("utf-8"), True


def _response(raw: dict[str, Any], source: str) -> RecordedResponse:
    status = raw.get("status") or {}
    body, decoded = _body_bytes(raw.get("body"))
    headers: list[tuple[str, str]] = []
    for name, values in (raw.get("headers") or {}).items():
        lname = str(name).lower()
        # A decoded (text) body is no longer compressed, so its content-encoding would lie to the client.
        if lname in _DROPPED_HEADERS or (decoded and lname == "content-encoding"):
            continue
        for value in values if isinstance(values, list) else [values]:
            headers.append((lname, str(value)))
    return RecordedResponse(
        status=int(status.get("code", 200)),
        reason=str(status.get("message") or ""),
        headers=tuple(headers),
        body=body,
        source=source,
    )


def load_cassettes(
    directory: str | Path, *, skip_paths: tuple[str, ...] = ("/oauth/token",), transform: BodyTransform | None = None
) -> CassetteIndex:
    """Load every ``*.yaml`` cassette under ``directory`` (recursively, in name order; first match wins).

    Interactions whose path is in ``skip_paths`` are left out, because the stand-in answers them itself.
    ``transform``, when given, rewrites each response body as it loads (the files are never changed).
    Raises FileNotFoundError for a missing directory and ValueError for an empty or unreadable one.
    """
    root = Path(directory)
    if not root.is_dir():
        raise FileNotFoundError(f"cassette directory {root} does not exist")
    files = sorted(p for p in root.rglob("*.yaml") if p.is_file())
    if not files:
        raise ValueError(f"cassette directory {root} holds no *.yaml cassette")
    index = CassetteIndex(directory=root, files=[str(p.relative_to(root)) for p in files], responses={})
    for path in files:
        try:
            data = safe_load(path.read_text(encoding="utf-8")) or {}
        except yaml.YAMLError as exc:
            raise ValueError(f"cassette {path} is not valid YAML: {exc}") from exc
        interactions = data.get("interactions") if isinstance(data, dict) else None
        if not isinstance(interactions, list):
            raise ValueError(f"cassette {path} has no 'interactions' list (expected vcrpy format, version 1)")
        for number, interaction in enumerate(interactions, 1):
            try:
                request, response = interaction["request"], interaction["response"]
                parts = urlsplit(str(request["uri"]))
                key = match_key(str(request["method"]), parts.path, parts.query)
            except (KeyError, TypeError) as exc:
                raise ValueError(f"cassette {path} interaction {number} lacks request/response fields: {exc}") from exc
            if key[1] in skip_paths:
                continue
            recorded = _response(response, f"{path.name}#{number}")
            if transform is not None:
                recorded = dataclasses.replace(recorded, body=transform(key[0], parts.path, recorded.body))
            if key in index.responses:
                # The same request with the same answer in two cassettes (e.g. the meetings a smoke module needs
                # for its discovery) is no conflict; a different answer is one, and the first cassette wins.
                first = index.responses[key]
                index.duplicates += (first.status, first.headers, first.body) != (
                    recorded.status,
                    recorded.headers,
                    recorded.body,
                )
                continue
            index.responses[key] = recorded
    return index
