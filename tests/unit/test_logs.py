"""tab_mcp.logs: one redacting stderr handler; secrets never reach a log line or traceback."""

from __future__ import annotations

import io
import logging

import pytest

from tab_mcp.logs import HANDLER_NAME, RedactingFilter, configure_logging

pytestmark = pytest.mark.anyio


def test_redacting_filter_masks_secrets_tokens_and_queries() -> None:
    f = RedactingFilter(["my-client-secret"])
    text = f.redact(
        "secret my-client-secret; Authorization: Bearer abc.def; client_secret=xyz&x=1 "
        '"access_token": "tok123"; 127.0.0.1 - "GET /mcp?api_key=k1&password=p HTTP/1.1" 200'
    )
    for leaked in ("my-client-secret", "abc.def", "xyz", "tok123", "k1"):
        assert leaked not in text
    assert "GET /mcp?[query omitted]" in text


def test_configure_logging_installs_one_redacting_stderr_handler(monkeypatch) -> None:
    stream = io.StringIO()
    monkeypatch.setattr("sys.stderr", stream)
    root = logging.getLogger()
    before = list(root.handlers)
    try:
        configure_logging("DEBUG", ["canary-secret-1"])
        handler = configure_logging("INFO", ["canary-secret-1"])
        assert [h.get_name() for h in root.handlers].count(HANDLER_NAME) == 1
        logging.getLogger("tab_mcp.test").info("token %s and %s", "canary-secret-1", "Bearer abcdef")
        handler.flush()
        out = stream.getvalue()
        assert "canary-secret-1" not in out and "abcdef" not in out and "[redacted]" in out
        record = logging.LogRecord("x", logging.INFO, __file__, 1, "bad format %s %s", ("only-one",), None)
        assert handler.filters[0].filter(record) and record.msg == "bad format %s %s"
    finally:
        for h in list(root.handlers):
            if h not in before:
                root.removeHandler(h)
        root.setLevel(logging.WARNING)


def test_tracebacks_are_redacted_too(monkeypatch) -> None:
    stream = io.StringIO()
    monkeypatch.setattr("sys.stderr", stream)
    root = logging.getLogger()
    before = list(root.handlers)
    try:
        handler = configure_logging("INFO", ["SUPERSECRET-canary"])
        try:
            raise RuntimeError("client_secret=SUPERSECRET-canary Bearer abc.def.ghi")
        except RuntimeError:
            logging.getLogger("tab_mcp.test").exception("upstream call failed")
        logging.getLogger("tab_mcp.test").warning("stack", stack_info=True, extra={})
        handler.flush()
        out = stream.getvalue()
        assert "RuntimeError" in out and "Traceback" in out  # the traceback is kept, only masked
        assert "SUPERSECRET-canary" not in out and "abc.def.ghi" not in out
    finally:
        for h in list(root.handlers):
            if h not in before:
                root.removeHandler(h)
        root.setLevel(logging.WARNING)
