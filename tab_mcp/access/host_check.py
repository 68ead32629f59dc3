"""The first step of every HTTP request: the Host/Origin check (DNS-rebinding protection), on every route.

The SDK checks Host and Origin only inside its ``/mcp`` handler, after authentication, and never on custom
routes such as ``/healthz``. :class:`HostCheckMiddleware` sits outside everything, applies the same rules to
every route, and is also where refusals made further in (the SDK's 401 and 403) are counted, so every
refusal of a request passes through :func:`~tab_mcp.access.refusals.record_refusal`.
"""

from __future__ import annotations

from mcp.server.transport_security import TransportSecurityMiddleware, TransportSecuritySettings
from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from tab_mcp.access.callers import caller_from_scope
from tab_mcp.access.refusals import Refusal, record_refusal
from tab_mcp.settings import Settings

__all__ = ["LOOPBACK_HOSTS", "HostCheckMiddleware", "transport_security"]

LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "[::1]")
_REFUSED_BY_STATUS = {421: Refusal.HOST, 401: Refusal.UNAUTHENTICATED}


def transport_security(settings: Settings) -> TransportSecuritySettings:
    """DNS-rebinding protection: loopback always, plus TAB_ALLOWED_HOSTS; '*' alone turns the check off."""
    if settings.allowed_hosts == ["*"]:
        return TransportSecuritySettings(enable_dns_rebinding_protection=False)
    hosts: list[str] = []
    origins: list[str] = []
    for host in (*LOOPBACK_HOSTS, *settings.allowed_hosts):
        # "name:*" matches only a Host header that carries a port, so list the bare name too.
        hosts += [host, f"{host}:*"]
        origins += [f"http://{host}", f"http://{host}:*", f"https://{host}", f"https://{host}:*"]
    return TransportSecuritySettings(enable_dns_rebinding_protection=True, allowed_hosts=hosts, allowed_origins=origins)


def _refusal_of(status: int, headers: list[tuple[bytes, bytes]]) -> Refusal | None:
    if status == 403:
        challenge = dict(headers).get(b"www-authenticate", b"")
        return Refusal.INSUFFICIENT_SCOPE if b"insufficient_scope" in challenge else Refusal.ORIGIN
    return _REFUSED_BY_STATUS.get(status)


class HostCheckMiddleware:
    """ASGI middleware: refuse a request whose Host or Origin is not allowed (421/403), on every route."""

    def __init__(self, app: ASGIApp, *, security: TransportSecuritySettings, inbound_auth: bool = True) -> None:
        self.app = app
        self._check = TransportSecurityMiddleware(security)
        # Further in, only the SDK's authentication refuses (401, 403): the Host/Origin rules there are these
        # same ones, already passed. Without inbound auth there is nothing to count, so no hook on every send.
        self._watch_auth = inbound_auth

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Check Host and Origin, then pass the request on, counting the refusals made further in."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        refused = await self._check.validate_request(Request(scope), is_post=False)
        if refused is not None:
            reason = Refusal.HOST if refused.status_code == 421 else Refusal.ORIGIN
            record_refusal(reason, str(caller_from_scope(scope)))
            await refused(scope, receive, send)
            return
        if not self._watch_auth:
            await self.app(scope, receive, send)
            return

        async def watch(message: Message) -> None:
            if message["type"] == "http.response.start":
                reason = _refusal_of(int(message["status"]), list(message.get("headers", [])))
                if reason is not None and reason is not Refusal.ORIGIN:
                    record_refusal(reason, str(caller_from_scope(scope)))
            await send(message)

        await self.app(scope, receive, watch)
