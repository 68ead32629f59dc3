"""Which URL a monitor run may send its secret headers to: the configured one, or a dispatched one on its origin.

The monitor workflow can be dispatched with a ``url`` input, and the health check sends ``TABMCP_LIVE_HEADERS``
(credentials for the deployed server) to whatever URL it checks. Any writer can dispatch, so the input alone would
send those headers to any host. Here a dispatched URL is accepted only on the origin (scheme, host, port) of the
configured repository variable ``TABMCP_LIVE_URL``; another path on that server is fine. The workflow's ``target``
step runs::

    python -m tabmcp_ops.monitor.target --dispatched="$DISPATCHED_URL" --configured="$CONFIGURED_URL"

which writes ``url=…`` to ``$GITHUB_OUTPUT`` for the check step, or exits 2 with one sentence (the check step, which
holds the secret, then never runs).
"""

from __future__ import annotations

import argparse
import re
import sys
from urllib.parse import SplitResult, urlsplit

from tabmcp_ops._gha import annotation, set_output

DEFAULT_PORTS = {"http": 80, "https": 443}
# Characters on which URL parsers disagree about where the host ends (backslash, whitespace, controls), and the
# user-info separator: refused outright, so the host compared here is the host every client would connect to.
AMBIGUOUS = re.compile(r"[\\@\s\x00-\x1f\x7f]")


class TargetRefused(ValueError):
    """A dispatched URL that the monitor must not send its secret headers to; the message says what to do."""


def origin(url: str, *, label: str) -> tuple[str, str, int]:
    """Return ``(scheme, host, port)`` of an http(s) URL, or raise :class:`TargetRefused` naming ``label``."""
    if AMBIGUOUS.search(url):
        raise TargetRefused(
            f"The {label} URL contains a backslash, '@', whitespace or a control character: "
            "give a plain https://host/path URL."
        )
    try:
        parts: SplitResult = urlsplit(url)
        port = parts.port
    except ValueError as exc:
        raise TargetRefused(f"The {label} URL is not a valid URL ({exc}): give a plain https://host/path URL.") from exc
    scheme = parts.scheme.lower()
    if scheme not in DEFAULT_PORTS or not parts.hostname:
        raise TargetRefused(f"The {label} URL must start with http:// or https:// and name a host.")
    return scheme, parts.hostname.lower(), port if port is not None else DEFAULT_PORTS[scheme]


def shown(triple: tuple[str, str, int]) -> str:
    """Format an origin for a message (never the path or query, which may carry a key)."""
    scheme, host, port = triple
    return f"{scheme}://{host}" if DEFAULT_PORTS[scheme] == port else f"{scheme}://{host}:{port}"


def resolve_target(dispatched: str, configured: str) -> str:
    """Return the URL to check: ``configured`` when nothing was dispatched, else ``dispatched`` on its origin.

    Raises :class:`TargetRefused` when a dispatched URL has no configured origin to match or another origin.
    """
    dispatched, configured = dispatched.strip(), configured.strip()
    if not dispatched:
        if configured:
            origin(configured, label="configured TABMCP_LIVE_URL")
        return configured
    wanted = origin(dispatched, label="dispatched")
    if not configured:
        raise TargetRefused(
            f"A url was dispatched ({shown(wanted)}) but the repository variable TABMCP_LIVE_URL is not set: "
            "set it to the deployment's URL first (the monitor sends its secret headers to that host only)."
        )
    allowed = origin(configured, label="configured TABMCP_LIVE_URL")
    if wanted != allowed:
        raise TargetRefused(
            f"The dispatched url's origin {shown(wanted)} is not the configured {shown(allowed)}: dispatch a URL "
            "on the configured host, or change the repository variable TABMCP_LIVE_URL."
        )
    return dispatched


def main(argv: list[str] | None = None) -> int:
    """CLI entry point; see the module docstring."""
    parser = argparse.ArgumentParser(prog="python -m tabmcp_ops.monitor.target", description=__doc__.splitlines()[0])
    parser.add_argument("--dispatched", default="", help="the workflow_dispatch input url (may be empty)")
    parser.add_argument("--configured", default="", help="the repository variable TABMCP_LIVE_URL (may be empty)")
    args = parser.parse_args(argv)
    try:
        url = resolve_target(args.dispatched, args.configured)
        where = shown(origin(url, label="resolved")) if url else "nothing (no URL configured)"
    except TargetRefused as exc:
        print(annotation("error", str(exc)))
        return 2
    set_output("url", url)
    print(f"The health check goes to {where}.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
