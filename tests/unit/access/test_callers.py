"""tab_mcp.access.callers: who is calling, from an HTTP scope or a tool's context."""

from __future__ import annotations

from types import SimpleNamespace

from mcp.server.auth.middleware.bearer_auth import AuthenticatedUser
from mcp.server.auth.provider import AccessToken

from tab_mcp.access import Caller, caller_from_scope, current_caller


def scope_with(token: AccessToken | None = None, client: tuple[str, int] | None = ("203.0.113.9", 5000)) -> dict:
    scope: dict = {"type": "http", "client": client}
    if token is not None:
        scope["user"] = AuthenticatedUser(token)
    return scope


def test_static_token_callers_are_named_by_position() -> None:
    token = AccessToken(token="x", client_id="token 2", scopes=[], claims={"static": True})
    caller = caller_from_scope(scope_with(token))
    assert caller == Caller("token 2", "token") and caller.authenticated and not caller.loopback
    assert caller.key == "token:token 2"


def test_jwt_callers_are_named_by_subject_else_client_id() -> None:
    with_subject = AccessToken(token="x", client_id="app-7", scopes=[], subject="alice")
    without = AccessToken(token="x", client_id="app-7", scopes=[])
    assert caller_from_scope(scope_with(with_subject)) == Caller("alice", "subject")
    assert caller_from_scope(scope_with(without)) == Caller("app-7", "subject")


def test_anonymous_callers_are_named_by_address() -> None:
    remote = caller_from_scope(scope_with())
    assert str(remote) == "203.0.113.9" and not remote.authenticated and not remote.loopback
    assert caller_from_scope(scope_with(client=("127.0.0.1", 1))).loopback
    assert caller_from_scope(scope_with(client=("::1", 1))).loopback
    assert caller_from_scope(scope_with(client=None)).name == "unknown"


def test_a_subject_never_shares_limits_with_an_address() -> None:
    as_subject = caller_from_scope(scope_with(AccessToken(token="x", client_id="c", scopes=[], subject="10.0.0.1")))
    as_address = caller_from_scope(scope_with(client=("10.0.0.1", 1)))
    assert as_subject.key != as_address.key


def test_a_tool_outside_http_has_no_caller() -> None:
    class NoRequest:
        @property
        def request_context(self):
            raise ValueError("outside a request")

    assert current_caller(NoRequest()) is None
    assert current_caller(SimpleNamespace(request_context=SimpleNamespace(request=None))) is None
    request = SimpleNamespace(scope=scope_with(client=("198.51.100.4", 1)))
    assert current_caller(SimpleNamespace(request_context=SimpleNamespace(request=request))) == Caller(
        "198.51.100.4", "address"
    )
