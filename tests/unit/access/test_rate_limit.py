"""tab_mcp.access.rate_limit: token buckets per caller, bounded in memory."""

from __future__ import annotations

import pytest

from tab_mcp.access import Caller, CallerRateLimiter, check_tool_call, refusal_counts
from tab_mcp.access.rate_limit import TokenBucket
from tab_mcp.errors import PolicyError


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_bucket_allows_a_burst_then_refills_evenly() -> None:
    clock = Clock()
    bucket = TokenBucket(3, 60.0, clock)
    assert [bucket.take() for _ in range(3)] == [0.0, 0.0, 0.0]
    assert bucket.take() == pytest.approx(20.0)  # one token every 20 s
    clock.now += 20
    assert bucket.take() == 0.0
    assert bucket.take() > 0


def test_each_caller_has_its_own_share() -> None:
    clock = Clock()
    limiter = CallerRateLimiter(2, clock=clock)
    assert [limiter.take("a"), limiter.take("a"), limiter.take("a")] == [0, 0, 30]
    assert limiter.take("b") == 0, "another caller is served while the first waits"
    clock.now += 30
    assert limiter.take("a") == 0


def test_memory_stays_bounded_however_many_callers() -> None:
    limiter = CallerRateLimiter(1, max_callers=100, clock=Clock())
    for number in range(10_000):
        limiter.take(f"address:10.0.{number // 256}.{number % 256}")
    assert len(limiter) == 100


def test_over_the_rate_a_call_gets_one_sentence_naming_when_to_retry() -> None:
    limiter = CallerRateLimiter(1, clock=Clock())
    caller = Caller("token 1", "token")
    check_tool_call(limiter, caller)
    before = refusal_counts().get("rate_limited", 0)
    with pytest.raises(PolicyError) as refused:
        check_tool_call(limiter, caller)
    assert str(refused.value) == "Rate limit reached: this caller may make 1 tool calls a minute; retry in 60 seconds."
    assert refusal_counts()["rate_limited"] == before + 1


@pytest.mark.parametrize("per_minute", [0, -1])
def test_a_limiter_needs_a_positive_rate(per_minute: int) -> None:
    with pytest.raises(ValueError, match="at least 1"):
        CallerRateLimiter(per_minute)
