"""Check the OAuth token path the server relies on, and warn when a token has under 5 minutes left.

Used by the monitor workflow's daily token job (credentials come from repository secrets as ``TAB_*``)
and by operators::

    python -m tabmcp_ops.token_check

It goes through ``tab_mcp``'s own client and token manager, so it tests the server's code, not a copy:

1. obtain a token with the configured grant (client_credentials, or password with account credentials);
2. exercise the refresh path: a ``refresh_token`` grant when the first answer carried a refresh token,
   otherwise a second full grant (what the server does when a cached token expires);
3. report both lifetimes. Exit 0 when both exceed 5 minutes, 1 when either is below (a token that short
   would be refreshed on nearly every call), 2 on missing configuration, 3 when the token endpoint fails.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass

import httpx

from tab_mcp.auth import token_from_response
from tab_mcp.client import TabClient, build_http_client
from tab_mcp.errors import ConfigError, TabError
from tab_mcp.settings import Settings, load_settings
from tabmcp_ops._gha import annotation, append_summary, set_output

WARN_BELOW_S = 300
EXIT_OK, EXIT_LOW, EXIT_CONFIG, EXIT_UPSTREAM = 0, 1, 2, 3


@dataclass(frozen=True)
class TokenReport:
    """What the token check found (lifetimes in whole seconds)."""

    grant: str
    expires_in: int
    refreshed_expires_in: int
    refresh_path: str  # "refresh_token" or "new grant"

    @property
    def low(self) -> bool:
        """True when either token has less than :data:`WARN_BELOW_S` seconds left."""
        return min(self.expires_in, self.refreshed_expires_in) < WARN_BELOW_S


async def check_tokens(
    settings: Settings, *, transport: httpx.AsyncBaseTransport | None = None, clock: Callable[[], float] = time.time
) -> TokenReport:
    """Obtain a token, then refresh it, through ``tab_mcp``'s client; raise ``tab_mcp.errors.TabError`` on failure."""
    if settings.grant == "none":
        raise ConfigError("the token check needs TAB_CLIENT_ID and TAB_CLIENT_SECRET (repository secrets in Actions).")
    async with build_http_client(settings, transport=transport) as http:
        client = TabClient(http, settings, clock=clock)
        first = await client.tokens.get_token()
        if first is None:
            raise ConfigError("no token was obtained although credentials are configured.")
        if first.refresh_token:
            form, path = client.tokens.refresh_form(first.refresh_token), "refresh_token"
        else:
            form, path = client.tokens.grant_form(), "new grant"
        second = token_from_response(await client.oauth(form, what=f"the {path} request"), now=clock())
    return TokenReport(
        grant=settings.grant,
        expires_in=round(first.expires_in(clock())),
        refreshed_expires_in=round(second.expires_in(clock())),
        refresh_path=path,
    )


def render_summary(report: TokenReport) -> str:
    """Render the token check as Markdown for the step summary (lifetimes only, never a token)."""
    verdict = "⚠️ under 5 minutes left" if report.low else "✅ ok"
    return (
        f"## tab-mcp token check: {verdict}\n\n"
        "| Grant | First token expires in | Refresh path | Refreshed token expires in |\n|---|---|---|---|\n"
        f"| {report.grant} | {report.expires_in} s | {report.refresh_path} | {report.refreshed_expires_in} s |\n"
    )


def main(argv: list[str] | None = None) -> int:
    """CLI entry point; see the module docstring."""
    parser = argparse.ArgumentParser(prog="python -m tabmcp_ops.token_check", description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true", help="print the result as JSON")
    args = parser.parse_args(argv)

    try:
        report = asyncio.run(check_tokens(load_settings()))
    except ConfigError as exc:
        print(annotation("error", f"token check: {exc.message}"))
        return EXIT_CONFIG
    except TabError as exc:
        print(annotation("error", f"token check: the token endpoint failed: {exc.message}"))
        return EXIT_UPSTREAM
    print(json.dumps({**asdict(report), "low": report.low}) if args.json else render_summary(report))
    append_summary(render_summary(report))
    set_output("expires_in", str(min(report.expires_in, report.refreshed_expires_in)))
    if report.low:
        print(annotation("warning", f"OAuth token lifetime under {WARN_BELOW_S} s: {asdict(report)}"))
        return EXIT_LOW
    return EXIT_OK


if __name__ == "__main__":
    raise SystemExit(main())
