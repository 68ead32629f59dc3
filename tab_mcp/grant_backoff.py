"""Failed OAuth grants, remembered per identity, so the same credentials are not sent again too soon.

An identity is whoever owns a set of credentials: the operator (server settings), one session (its config),
or one call (the credentials passed to a token tool, known by their digest). After a grant for an identity
fails, that identity is not sent upstream again for a while: at least :data:`FIRST_WAIT_S`, doubling with
each further failure up to a cap. Calls in between fail at once with the remembered sentence. A refused grant
(wrong password, unknown client) waits longest, because repeating it can lock the TAB account; a transient
failure (TAB down, a timeout) waits less. Only :data:`MAX_REMEMBERED` identities are remembered (least
recently failed go first), so a stream of new credentials cannot grow memory without bound.
"""

from __future__ import annotations

import asyncio
import hashlib
import math
import time
from collections import OrderedDict
from collections.abc import AsyncIterator, Callable, Mapping
from contextlib import asynccontextmanager
from dataclasses import dataclass

from tab_mcp.errors import AuthError, RateLimitedError, UpstreamError, UpstreamUnavailableError

__all__ = [
    "FIRST_WAIT_S",
    "MAX_REMEMBERED",
    "REFUSED_CAP_S",
    "TRANSIENT_CAP_S",
    "GrantBackoff",
    "credentials_digest",
    "remembered_error",
    "wait_after",
]

FIRST_WAIT_S = 30.0
REFUSED_CAP_S = 900.0  # a refused grant: doubling to 15 minutes (account lockouts count attempts)
TRANSIENT_CAP_S = 120.0  # TAB down or slow: say nothing about the credentials, so retry sooner
MAX_REMEMBERED = 1024


def credentials_digest(values: Mapping[str, str]) -> str:
    """A digest naming a set of credentials (a form), so they can key a cache without being stored."""
    material = "\0".join(f"{key}={values[key]}" for key in sorted(values))
    return hashlib.sha256(material.encode()).hexdigest()


def wait_after(error: UpstreamError, failures: int) -> float:
    """Seconds an identity waits after its ``failures``-th failure in a row ended with ``error``."""
    refused = isinstance(error, (AuthError, RateLimitedError)) or (
        error.status is not None and 400 <= error.status < 500
    )
    cap = REFUSED_CAP_S if refused else TRANSIENT_CAP_S
    wait = min(cap, FIRST_WAIT_S * 2.0 ** min(failures - 1, 16))
    # Retry-After is the upstream's own floor; the cap still bounds it.
    return min(REFUSED_CAP_S, max(wait, error.retry_after or 0.0))


def remembered_error(error: UpstreamError, wait_s: float) -> UpstreamError:
    """``error``'s sentence, saying how long the server waits before sending these credentials again.

    Never retryable: the grant is not sent again within the wait, so retrying the call cannot help.
    """
    seconds = max(1, math.ceil(wait_s))
    sentence = f"{error.message.rstrip('. ')}; the server will not send these credentials again for {seconds} s."
    if isinstance(error, AuthError):
        return AuthError(sentence, status=error.status, code=error.code)
    return UpstreamUnavailableError(
        sentence, status=error.status, code=error.code, retryable=False, retry_after=float(seconds)
    )


@dataclass
class _Failure:
    error: UpstreamError  # the upstream's own sentence
    failures: int
    until: float


class GrantBackoff:
    """Remembers each identity's last failed grant and refuses to repeat it before its wait is over.

    :meth:`attempt` also lets only one grant per identity run at a time, so concurrent calls with the same
    wrong password send one grant, not one each.
    """

    def __init__(self, *, clock: Callable[[], float] = time.time, max_remembered: int = MAX_REMEMBERED) -> None:
        self._clock = clock
        self._max = max_remembered
        self._failed: OrderedDict[str, _Failure] = OrderedDict()
        self._locks: dict[str, tuple[asyncio.Lock, int]] = {}

    def __len__(self) -> int:
        return len(self._failed)

    def waiting(self, identity: str) -> float:
        """Seconds ``identity`` must still wait before its credentials may be sent again (0 when it need not)."""
        failure = self._failed.get(identity)
        return 0.0 if failure is None else max(0.0, failure.until - self._clock())

    @asynccontextmanager
    async def attempt(self, identity: str) -> AsyncIterator[None]:
        """Run one grant for ``identity``: fail at once while it waits, remember how the grant ends.

        Raises the remembered sentence (a :class:`~tab_mcp.errors.UpstreamError`) instead of entering while
        the identity waits; an upstream failure inside is remembered and re-raised with its wait.
        """
        lock, users = self._locks.get(identity, (asyncio.Lock(), 0))
        self._locks[identity] = (lock, users + 1)
        try:
            async with lock:
                self._raise_if_waiting(identity)
                try:
                    yield
                except UpstreamError as exc:
                    raise self._remember(identity, exc) from None
                self._failed.pop(identity, None)
        finally:
            lock, users = self._locks[identity]
            if users <= 1:
                del self._locks[identity]
            else:
                self._locks[identity] = (lock, users - 1)

    def _raise_if_waiting(self, identity: str) -> None:
        failure = self._failed.get(identity)
        if failure is None:
            return
        wait = failure.until - self._clock()
        if wait > 0:
            raise remembered_error(failure.error, wait)

    def _remember(self, identity: str, error: UpstreamError) -> UpstreamError:
        now = self._clock()
        previous = self._failed.pop(identity, None)
        # Failures in a row double the wait; one long after the last wait ended starts afresh.
        in_a_row = previous is not None and now - previous.until < REFUSED_CAP_S
        failures = previous.failures + 1 if in_a_row and previous is not None else 1
        wait = wait_after(error, failures)
        self._failed[identity] = _Failure(error=error, failures=failures, until=now + wait)
        while len(self._failed) > self._max:
            self._failed.popitem(last=False)
        return remembered_error(error, wait)
