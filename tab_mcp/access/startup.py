"""Refuse an unsafe HTTP start before listening: a public port, the operator's account or betting, and no auth."""

from __future__ import annotations

from tab_mcp.errors import ConfigError
from tab_mcp.settings import Settings, is_loopback_host

__all__ = ["check_http_start"]


def check_http_start(settings: Settings, host: str) -> str | None:
    """Check an HTTP listener on ``host``: raise :class:`ConfigError` when unsafe, return a warning line or None.

    Anyone who reaches a non-loopback port may call every tool. With the operator's account credentials or
    betting enabled that means their account, so inbound authentication is required; with public data only,
    anonymous access is a legitimate deployment, and only worth one warning.
    """
    if is_loopback_host(host) or host == "::1" or settings.inbound_auth:
        return None
    exposed = [
        name
        for name, present in (
            ("TAB_USERNAME/TAB_PASSWORD", bool(settings.username or settings.password)),
            ("TAB_ENABLE_BETTING=true", settings.enable_betting),
        )
        if present
    ]
    if exposed:
        raise ConfigError(
            f"Refusing to serve HTTP on {host} with {' and '.join(exposed)} and no inbound authentication: set "
            "TAB_AUTH_TOKENS (or TAB_AUTH_ISSUER and TAB_AUTH_AUDIENCE), or listen on 127.0.0.1."
        )
    return (
        f"Serving HTTP on {host} without inbound authentication: anyone who reaches this port can call every tool "
        "(public data only); set TAB_AUTH_TOKENS or TAB_AUTH_ISSUER to restrict it."
    )
