"""Redaction: the one place that knows what a secret looks like and how to mask it.

``errors`` uses ``clean_text`` for every message shown to a user or model; ``logs`` uses ``redact`` for
every log line and traceback. Both mask bearer tokens; messages also mask JWT-shaped strings, and log
lines also mask configured secret values, credential fields and request query strings.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

__all__ = ["MASK", "MAX_MESSAGE_CHARS", "Redactor", "clean_text"]

MASK = "[redacted]"
MAX_MESSAGE_CHARS = 400
_CONTROL = re.compile(r"[\x00-\x1f\x7f]+")
_BEARER = re.compile(r"(?i)(bearer\s+)[A-Za-z0-9._~+/=-]+")
_JWT = re.compile(r"eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]+\.?[A-Za-z0-9_-]*")
_CREDENTIAL_FIELDS = re.compile(
    r"(?i)((?:access_token|refresh_token|client_secret|password|username|client_id)[\"']?\s*[:=]\s*[\"']?)[^\"'&\s,}]+"
)
_QUERY = re.compile(r"(\b(?:GET|POST|DELETE|PUT|PATCH|HEAD|OPTIONS)\s+[^\s?]+)\?[^\s\"]*")


def clean_text(text: str, limit: int = MAX_MESSAGE_CHARS) -> str:
    """Make upstream-supplied text safe to show: one line, no control characters, no tokens, bounded."""
    text = _CONTROL.sub(" ", text)
    text = _BEARER.sub(rf"\1{MASK}", text)
    text = _JWT.sub(MASK, text)
    text = " ".join(text.split())
    if len(text) > limit:
        text = text[: limit - 1].rstrip() + "…"
    return text


class Redactor:
    """Masks configured secret values, bearer tokens, credential fields and request query strings."""

    def __init__(self, secrets: Iterable[str] = ()) -> None:
        # Longest first, so a secret that contains another is masked whole.
        self._secrets = sorted({s for s in secrets if s and len(s) >= 3}, key=len, reverse=True)

    def redact(self, text: str) -> str:
        """Return ``text`` with secrets, bearer tokens and credential fields masked and query strings omitted."""
        for secret in self._secrets:
            text = text.replace(secret, MASK)
        text = _BEARER.sub(rf"\1{MASK}", text)
        text = _CREDENTIAL_FIELDS.sub(rf"\1{MASK}", text)
        return _QUERY.sub(r"\1?[query omitted]", text)
