"""Logging for the server process: stderr only, secrets and tokens masked, no query strings in access logs.

stdout belongs to the MCP stdio transport, so nothing here ever writes to it.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Iterable

from tab_mcp.redaction import Redactor

HANDLER_NAME = "tab_mcp.stderr"
_TRACEBACK_FORMATTER = logging.Formatter()


class RedactingFilter(logging.Filter):
    """Masks configured secret values, bearer tokens and credential fields in every record it sees."""

    def __init__(self, secrets: Iterable[str] = ()) -> None:
        super().__init__()
        self._redactor = Redactor(secrets)

    def redact(self, text: str) -> str:
        """Return ``text`` with secrets, bearer tokens and credential fields masked."""
        return self._redactor.redact(text)

    def filter(self, record: logging.LogRecord) -> bool:
        """Render the message once, mask it, and keep the record."""
        try:
            message = record.getMessage()
        except (TypeError, ValueError):  # a malformed log call must not kill the server
            message = str(record.msg)
        record.msg = self.redact(message)
        record.args = None
        # Formatters fill exc_text only when the line is written, after filters ran; render the traceback
        # now so its exception messages are masked too (the formatter then reuses this text).
        if record.exc_info and not record.exc_text:
            record.exc_text = _TRACEBACK_FORMATTER.formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = self.redact(record.exc_text)
        if record.stack_info:
            record.stack_info = self.redact(record.stack_info)
        return True


def configure_logging(level: str, secrets: Iterable[str] = ()) -> logging.Handler:
    """Install one redacting stderr handler on the root logger (replacing ours from an earlier call)."""
    root = logging.getLogger()
    for handler in list(root.handlers):
        if handler.get_name() == HANDLER_NAME:
            root.removeHandler(handler)
    handler = logging.StreamHandler(sys.stderr)
    handler.set_name(HANDLER_NAME)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.addFilter(RedactingFilter(secrets))
    root.addHandler(handler)
    root.setLevel(logging.WARNING)
    logging.getLogger("tab_mcp").setLevel(level)
    # httpx logs every request URL at INFO; keep it quiet unless debugging.
    for noisy in ("httpx", "httpx2", "httpcore", "httpcore2"):
        logging.getLogger(noisy).setLevel(logging.DEBUG if level == "DEBUG" else logging.WARNING)
    for name in ("uvicorn", "uvicorn.error", "uvicorn.access"):
        logging.getLogger(name).setLevel(level)
    return handler
