"""Who may call over HTTP, in one place: Host check, inbound authentication, caller identity, per-caller limits.

The request path: :class:`HostCheckMiddleware` (every route) -> the SDK's bearer authentication with
:func:`inbound_auth`'s verifier -> :func:`caller_from_scope` -> per-caller limits (the tool-call rate here,
the session share in :mod:`tab_mcp.sessions`) -> the session cap -> the SDK. Every refusal goes through
:func:`record_refusal` with a :class:`Refusal` reason.
"""

from tab_mcp.access.callers import Caller, caller_from_scope, current_caller
from tab_mcp.access.host_check import HostCheckMiddleware, transport_security
from tab_mcp.access.inbound import InboundAuth, inbound_auth
from tab_mcp.access.rate_limit import CallerRateLimiter, check_tool_call
from tab_mcp.access.refusals import Refusal, record_refusal, refusal_counts
from tab_mcp.access.startup import check_http_start

__all__ = [
    "Caller",
    "CallerRateLimiter",
    "HostCheckMiddleware",
    "InboundAuth",
    "Refusal",
    "caller_from_scope",
    "check_http_start",
    "check_tool_call",
    "current_caller",
    "inbound_auth",
    "record_refusal",
    "refusal_counts",
    "transport_security",
]
