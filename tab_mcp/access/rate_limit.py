"""Token buckets: the per-caller tool-call rate (``TAB_RATE_LIMIT``) and other bounded retries.

A bucket holds up to ``capacity`` tokens and refills at ``capacity / period`` tokens a second; a call takes
one. :class:`CallerRateLimiter` keeps one bucket per caller in least-recently-used order and forgets the
oldest beyond ``max_callers``, so memory stays bounded however many addresses call. A forgotten bucket
comes back full, which is what an idle caller's bucket would be anyway.
"""

from __future__ import annotations

import math
import threading
import time
from collections import OrderedDict
from collections.abc import Callable

from tab_mcp.access.callers import Caller
from tab_mcp.access.refusals import Refusal, record_refusal
from tab_mcp.errors import PolicyError

__all__ = ["CallerRateLimiter", "TokenBucket", "check_tool_call"]

MAX_CALLERS = 10_000


class TokenBucket:
    """One bucket: ``capacity`` tokens, refilled evenly over ``period`` seconds."""

    def __init__(self, capacity: float, period: float, clock: Callable[[], float] = time.monotonic) -> None:
        if capacity <= 0 or period <= 0:
            raise ValueError("capacity and period must be positive")
        self.capacity = capacity
        self.rate = capacity / period
        self._clock = clock
        self._tokens = capacity
        self._stamp = clock()

    def take(self) -> float:
        """Take one token: 0.0 when granted, else the seconds until one is available (nothing taken)."""
        now = self._clock()
        self._tokens = min(self.capacity, self._tokens + (now - self._stamp) * self.rate)
        self._stamp = now
        if self._tokens >= 1:
            self._tokens -= 1
            return 0.0
        return (1 - self._tokens) / self.rate


class CallerRateLimiter:
    """``per_minute`` tool calls per caller key, with bursts up to ``per_minute``."""

    def __init__(
        self, per_minute: int, *, max_callers: int = MAX_CALLERS, clock: Callable[[], float] = time.monotonic
    ) -> None:
        if per_minute < 1 or max_callers < 1:
            raise ValueError("per_minute and max_callers must be at least 1")
        self.per_minute = per_minute
        self.max_callers = max_callers
        self._clock = clock
        self._buckets: OrderedDict[str, TokenBucket] = OrderedDict()
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._buckets)

    def take(self, key: str) -> int:
        """Take one call for ``key``: 0 when allowed, else the whole seconds to wait before the next one."""
        with self._lock:
            bucket = self._buckets.get(key)
            if bucket is None:
                bucket = self._buckets[key] = TokenBucket(self.per_minute, 60.0, self._clock)
                while len(self._buckets) > self.max_callers:
                    self._buckets.popitem(last=False)
            self._buckets.move_to_end(key)
            wait = bucket.take()
        return math.ceil(wait) if wait > 0 else 0


def check_tool_call(limiter: CallerRateLimiter, caller: Caller) -> None:
    """Take one tool call from ``caller``'s share; over it, raise a :class:`PolicyError` naming when to retry."""
    wait = limiter.take(caller.key)
    if wait:
        record_refusal(Refusal.RATE_LIMITED, str(caller))
        raise PolicyError(
            f"Rate limit reached: this caller may make {limiter.per_minute} tool calls a minute; "
            f"retry in {wait} second{'s' if wait != 1 else ''}."
        )
