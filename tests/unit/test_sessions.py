"""The session cap (tab_mcp.sessions): LRU eviction of idle sessions, busy detection, 503 when all are busy.

The registry is tested alone with a fake clock; the middleware in front of a fake SDK app that keeps
sessions the way the SDK does (an id per opening POST, 404 for an unknown id, DELETE ends one, a GET
holds its session busy until released). The real SDK behind it is covered by the integration flood test.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

import anyio
import pytest
from starlette.datastructures import Headers
from starlette.types import Receive, Scope, Send

from tab_mcp.access import Refusal
from tab_mcp.sessions import (
    RETRY_AFTER_SECONDS,
    SessionCapMiddleware,
    SessionLoad,
    SessionRegistry,
    opens_session,
)

pytestmark = pytest.mark.anyio


class Clock:
    """A settable monotonic clock."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def opened(registry: SessionRegistry, *ids: str) -> list[str]:
    """Open and finish each session's opening request, in order (so the first is least recently used)."""
    victims: list[str] = []
    for session_id in ids:
        assert registry.admit()
        victims += registry.opened(session_id)
        registry.end(session_id)
    return victims


def test_admits_under_the_cap_and_counts_openings_in_progress() -> None:
    registry = SessionRegistry(cap=2, idle_timeout=60)
    assert registry.admit() and registry.admit()
    assert registry.load() == SessionLoad(open=2, busy=0, cap=2, evicted=0, refused=0)
    assert registry.admit() is False  # openings in progress fill the cap and cannot be evicted
    registry.opening_failed()
    assert registry.opened("a") == []
    assert registry.load() == SessionLoad(open=1, busy=1, cap=2, evicted=0, refused=1)


def test_at_the_cap_the_least_recently_used_idle_session_is_evicted_once_the_newcomer_has_its_own() -> None:
    registry = SessionRegistry(cap=3, idle_timeout=60, clock=Clock())
    assert opened(registry, "a", "b", "c") == []
    assert registry.begin("a")  # "a" is used again, so "b" is now the least recently used
    registry.end("a")
    assert registry.admit()
    assert "b" in registry, "nothing is evicted before the newcomer's session exists"
    registry.opening_failed()  # e.g. the SDK refused the request: nobody loses a session
    assert registry.load().open == 3 and registry.load().evicted == 0
    assert opened(registry, "d") == ["b"]
    assert "b" not in registry and registry.load() == SessionLoad(open=3, busy=0, cap=3, evicted=1, refused=0)


def test_busy_sessions_are_never_evicted() -> None:
    registry = SessionRegistry(cap=2, idle_timeout=60)
    opened(registry, "a", "b")
    assert registry.begin("a")  # a request (or an open GET stream) in flight on the oldest session
    assert opened(registry, "c") == ["b"]


def test_all_busy_refuses_and_counts() -> None:
    registry = SessionRegistry(cap=2, idle_timeout=60)
    opened(registry, "a", "b")
    registry.begin("a"), registry.begin("b")
    assert registry.admit() is False
    assert registry.load() == SessionLoad(open=2, busy=2, cap=2, evicted=0, refused=1)
    registry.end("b")
    assert opened(registry, "c") == ["b"]


def test_concurrent_newcomers_over_the_cap_are_evened_out_when_sessions_go_idle() -> None:
    registry = SessionRegistry(cap=2, idle_timeout=60)
    opened(registry, "a", "b")
    assert registry.admit() and registry.admit()  # two newcomers while both sessions are idle
    registry.begin("a"), registry.begin("b")  # ...then both become busy
    assert registry.opened("c") == [] and registry.opened("d") == []  # no idle victim: over the cap for now
    assert registry.load().open == 4
    for session_id in ("a", "b", "c", "d"):
        registry.end(session_id)
    assert opened(registry, "e") == ["a", "b", "c"]  # the next newcomer brings it back to the cap
    assert registry.load().open == 2


def test_idle_sessions_past_the_timeout_are_dropped_like_the_sdk_reaps_them() -> None:
    clock = Clock()
    registry = SessionRegistry(cap=10, idle_timeout=60, clock=clock)
    opened(registry, "old")
    clock.now += 30
    opened(registry, "new")
    registry.begin("old")  # busy: kept however long it lasts
    clock.now += 45
    assert registry.load().open == 2
    registry.end("old")
    clock.now += 20  # "new" idle for 65 s, "old" for 20 s
    assert registry.load().open == 1 and "new" not in registry and "old" in registry


def test_unknown_ids_are_ignored_and_forget_removes() -> None:
    registry = SessionRegistry(cap=2, idle_timeout=60)
    assert registry.begin("nobody") is False
    registry.end("nobody")
    opened(registry, "a")
    registry.forget("a")
    assert registry.load().open == 0
    with pytest.raises(ValueError, match="cap"):
        SessionRegistry(cap=0, idle_timeout=60)


@pytest.mark.parametrize(
    ("method", "headers", "expected"),
    [
        ("POST", {}, True),
        ("POST", {"mcp-protocol-version": "2025-06-18"}, True),
        ("POST", {"mcp-session-id": "abc"}, False),
        ("POST", {"mcp-protocol-version": "2026-07-28"}, False),  # per-request era: no session
        ("GET", {}, False),
    ],
)
def test_only_a_handshake_post_without_a_session_opens_one(method: str, headers: dict[str, str], expected) -> None:
    assert opens_session({"method": method}, Headers(headers)) is expected


@dataclass
class FakeSdk:
    """Keeps sessions like the SDK's manager: ids from opening POSTs, 404 when unknown, DELETE, held GETs."""

    sessions: set[str] = field(default_factory=set)
    deleted: list[str] = field(default_factory=list)
    release: anyio.Event = field(default_factory=anyio.Event)
    counter: int = 0

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        session_id = Headers(scope=scope).get("mcp-session-id")
        headers: list[tuple[bytes, bytes]] = []
        if Headers(scope=scope).get("host") != "127.0.0.1":
            status = 421  # the SDK's DNS-rebinding check, before any session exists
        elif session_id is None:
            self.counter += 1
            session_id = f"s{self.counter}"
            self.sessions.add(session_id)
            status = 200
            headers.append((b"mcp-session-id", session_id.encode()))
        elif session_id not in self.sessions:
            status = 404
        elif scope["method"] == "DELETE":
            self.sessions.discard(session_id)
            self.deleted.append(session_id)
            status = 200
        else:
            if scope["method"] == "GET":
                await self.release.wait()
            status = 200
        await send({"type": "http.response.start", "status": status, "headers": headers})
        await send({"type": "http.response.body", "body": b"{}", "more_body": False})


async def call(
    app: Any, method: str, session_id: str | None = None, path: str = "/mcp", host: str = "127.0.0.1"
) -> tuple[int, Headers, bytes]:
    """One request straight into the ASGI app; the status, headers and body it answered with."""
    raw = [(b"host", host.encode())] + ([(b"mcp-session-id", session_id.encode())] if session_id else [])
    scope = {"type": "http", "method": method, "path": path, "headers": raw, "query_string": b""}
    answer: dict[str, Any] = {"body": b""}

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: dict[str, Any]) -> None:
        if message["type"] == "http.response.start":
            answer["status"], answer["headers"] = message["status"], Headers(raw=message.get("headers", []))
        else:
            answer["body"] += message.get("body", b"")

    await app(scope, receive, send)
    return answer["status"], answer["headers"], answer["body"]


async def open_session(app: SessionCapMiddleware) -> str:
    status, headers, _ = await call(app, "POST")
    assert status == 200
    return headers["mcp-session-id"]


async def test_a_newcomer_at_the_cap_evicts_the_lru_idle_session_through_the_sdk() -> None:
    sdk = FakeSdk()
    app = SessionCapMiddleware(sdk, registry=SessionRegistry(cap=2, idle_timeout=600))
    first, second = await open_session(app), await open_session(app)
    assert (await call(app, "POST", first))[0] == 200  # first used again: second is now the LRU one
    third = await open_session(app)
    assert sdk.deleted == [second] and sdk.sessions == {first, third}
    status, _, _ = await call(app, "POST", second)
    assert status == 404  # the evicted client gets the SDK's "session not found"
    assert app.registry.load() == SessionLoad(open=2, busy=0, cap=2, evicted=1, refused=0)


async def test_every_session_busy_gets_503_with_retry_after_then_room_when_one_frees() -> None:
    sdk = FakeSdk()
    app = SessionCapMiddleware(sdk, registry=SessionRegistry(cap=2, idle_timeout=600))
    ids = [await open_session(app), await open_session(app)]
    async with anyio.create_task_group() as tg:
        for session_id in ids:
            tg.start_soon(call, app, "GET", session_id)  # open event streams hold both sessions busy
        await anyio.wait_all_tasks_blocked()
        status, headers, body = await call(app, "POST")
        assert status == 503 and headers["retry-after"] == str(RETRY_AFTER_SECONDS)
        error = json.loads(body)["error"]
        assert "all 2 are busy" in error["message"] and sdk.counter == 2  # refused before reaching the SDK
        sdk.release.set()
    assert (await call(app, "POST"))[0] == 200
    assert app.registry.load().refused == 1 and app.registry.load().evicted == 1


async def test_delete_and_404_forget_the_session_and_other_paths_pass_through() -> None:
    sdk = FakeSdk()
    app = SessionCapMiddleware(sdk, registry=SessionRegistry(cap=5, idle_timeout=600))
    session_id = await open_session(app)
    assert (await call(app, "DELETE", session_id))[0] == 200
    assert app.registry.load().open == 0
    sdk.sessions.add("ghost")  # known to the SDK but not to us: served, not tracked
    assert (await call(app, "POST", "ghost"))[0] == 200 and "ghost" not in app.registry
    assert (await call(app, "POST", path="/healthz"))[0] == 200 and app.registry.load().open == 0


async def test_a_newcomer_the_sdk_refuses_evicts_nobody() -> None:
    sdk = FakeSdk()
    app = SessionCapMiddleware(sdk, registry=SessionRegistry(cap=1, idle_timeout=600))
    first = await open_session(app)
    assert (await call(app, "POST", host="evil.example"))[0] == 421
    assert sdk.deleted == [] and first in app.registry
    assert app.registry.load() == SessionLoad(open=1, busy=0, cap=1, evicted=0, refused=0)


def opened_by(registry: SessionRegistry, owner: str, *ids: str) -> list[str]:
    """Like :func:`opened`, for sessions of ``owner``."""
    victims: list[str] = []
    for session_id in ids:
        assert registry.decide(owner) is None
        victims += registry.opened(session_id, owner)
        registry.end(session_id)
    return victims


def test_a_caller_at_its_share_evicts_its_own_idle_session_never_another_callers() -> None:
    clock = Clock()
    registry = SessionRegistry(cap=10, idle_timeout=60, clock=clock, per_caller=2)
    opened_by(registry, "token:token 2", "theirs")
    clock.now += 1
    victims = opened_by(registry, "token:token 1", "a", "b", "c", "d")
    assert victims == ["a", "b"], "the flooder's own oldest sessions make room"
    assert "theirs" in registry and "c" in registry and "d" in registry


def test_at_the_server_cap_the_newcomers_own_idle_session_goes_before_anyone_elses() -> None:
    clock = Clock()
    registry = SessionRegistry(cap=3, idle_timeout=60, clock=clock, per_caller=3)
    opened_by(registry, "other", "theirs")  # least recently used of all
    clock.now += 1
    assert opened_by(registry, "me", "mine-1", "mine-2") == []
    assert opened_by(registry, "me", "mine-3") == ["mine-1"]
    assert "theirs" in registry


def test_a_caller_whose_sessions_are_all_busy_is_refused_while_others_are_admitted() -> None:
    registry = SessionRegistry(cap=10, idle_timeout=60, per_caller=2)
    for session_id in ("a", "b"):
        assert registry.decide("greedy") is None
        registry.opened(session_id, "greedy")  # stays busy (no end)
    assert registry.decide("greedy") is Refusal.CALLER_SESSIONS_BUSY
    assert registry.decide("polite") is None
    assert registry.load().refused == 1


def test_openings_in_progress_count_towards_the_share() -> None:
    registry = SessionRegistry(cap=10, idle_timeout=60, per_caller=1)
    assert registry.decide("x") is None
    assert registry.decide("x") is Refusal.CALLER_SESSIONS_BUSY
    registry.opening_failed("x")
    assert registry.decide("x") is None
