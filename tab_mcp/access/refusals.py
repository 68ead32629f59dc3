"""Every refusal of an HTTP caller goes through :func:`record_refusal`, with a reason code.

One place, so that logs (and later metrics) name who was refused and why: the Host check, inbound
authentication, scopes, the per-caller rate and session limits, and the session cap.
"""

from __future__ import annotations

import logging
import threading
from collections import Counter
from enum import StrEnum

from tab_mcp.telemetry.instruments import record_refusal as count_refusal

logger = logging.getLogger("tab_mcp.access")

__all__ = ["Refusal", "record_refusal", "refusal_counts"]


class Refusal(StrEnum):
    """Why a request or a tool call was refused."""

    HOST = "host"
    ORIGIN = "origin"
    UNAUTHENTICATED = "unauthenticated"
    INSUFFICIENT_SCOPE = "insufficient_scope"
    RATE_LIMITED = "rate_limited"
    CALLER_SESSIONS_BUSY = "caller_sessions_busy"
    SESSIONS_BUSY = "sessions_busy"


_counts: Counter[Refusal] = Counter()
_lock = threading.Lock()


def record_refusal(reason: Refusal, caller: str) -> None:
    """Count one refusal of ``caller`` (an identity, never a credential) and log it at INFO.

    The count also goes to the ``tab_mcp.refusals`` metric, by reason (never by caller: unbounded labels).
    """
    with _lock:
        _counts[reason] += 1
    count_refusal(reason.value)
    logger.info("Refused %s: %s", caller, reason.value)


def refusal_counts() -> dict[str, int]:
    """Refusals so far in this process, by reason code."""
    with _lock:
        return {reason.value: count for reason, count in _counts.items()}
