"""tab_mcp.redaction: what errors and logs mask, and how messages are bounded."""

from __future__ import annotations

import logging

from tab_mcp.errors import InputError
from tab_mcp.logs import RedactingFilter
from tab_mcp.redaction import MASK, MAX_MESSAGE_CHARS, Redactor, clean_text


def test_clean_text_strips_tokens_controls_and_bounds_length() -> None:
    dirty = "line1\nline2\x00 Bearer abcdefghijklmnop eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.sig " + "x" * 1000
    cleaned = clean_text(dirty)
    assert "\n" not in cleaned and "\x00" not in cleaned
    assert "abcdefghijklmnop" not in cleaned and "eyJhbGci" not in cleaned
    assert len(cleaned) <= MAX_MESSAGE_CHARS


def test_error_messages_go_through_clean_text() -> None:
    err = InputError("bad value Bearer abcdefghijklmnop\nsecond line")
    assert str(err) == clean_text("bad value Bearer abcdefghijklmnop\nsecond line")
    assert "abcdefghijklmnop" not in str(err) and MASK in str(err)


def test_redactor_masks_configured_secrets_longest_first() -> None:
    redactor = Redactor(["secret", "secret-and-more", "ab"])  # "ab" is too short to mask safely
    assert redactor.redact("x secret-and-more y secret z ab") == f"x {MASK} y {MASK} z ab"


def test_redactor_masks_credential_fields_and_omits_query_strings() -> None:
    line = 'POST /oauth/token?client_secret=s3 password="hunter2" access_token: abc GET /v1/x?jurisdiction=NSW'
    out = Redactor().redact(line)
    assert "hunter2" not in out and "abc" not in out and "s3" not in out
    assert "POST /oauth/token?[query omitted]" in out and "GET /v1/x?[query omitted]" in out


def test_log_filter_and_redactor_agree() -> None:
    text = "Authorization: Bearer abc.def.ghi client_id=cid-123 using my-secret"
    record = logging.LogRecord("t", logging.INFO, __file__, 1, text, None, None)
    RedactingFilter(["my-secret"]).filter(record)
    assert record.msg == Redactor(["my-secret"]).redact(text)
    assert "abc.def.ghi" not in record.msg and "cid-123" not in record.msg and "my-secret" not in record.msg
