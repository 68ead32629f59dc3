"""Build the hand-made cassettes in ``cassettes/`` from Python payload definitions.

HAND-BUILT, NOT RECORDED: every payload follows the documented shapes in
``shared/reference/tabcorp-api.md`` (field names, nesting, JSON types, quirks); the values are invented.
The files are vcrpy 9.4.2 YAML cassettes (``interactions`` + ``version: 1``) whose request URIs are exactly
what the server sends. ``make record`` replaces them with real recordings when credentials are available.

It writes three sets from the same definitions:
- ``cassettes/``: the primary set (``make record`` replaces it with real recordings);
- ``cassettes-alt/``: the second data set, built from its own payloads (:mod:`tabmcp_ops.cassette_builders.second_set`)
  with another shape (other sports, counts, orders, pools, empty lists), which CI's live path also runs the smoke
  suite over;
- ``tests/unit/quirks/cassettes/``: fixture cassettes for the quirk tests; never re-recorded.

Usage: ``python -m tabmcp_ops.cassette_builders [--out DIR] [--alt-out DIR] [--quirks-out DIR] [--check]``.
``--check`` rewrites nothing and exits 1 when a file (or the index in ``cassettes/README.md``) differs from
what this script would write. Once ``make record`` has replaced ``cassettes/`` with recordings, both leave it
(and its README) alone: only the second data set and the quirk fixtures are built or checked.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import yaml

from tabmcp_ops.cassette_builders.interactions import (
    CLIENT_FORM,
    DATE_SEGMENTS,
    client_credentials,
    get,
    info_error,
    request_uri,
    token_post,
)
from tabmcp_ops.cassette_builders.racing import meetings_payload
from tabmcp_ops.cassette_builders.racing_more import dates_payload, racing_cassette
from tabmcp_ops.cassette_builders.second_set import CASSETTES as SECOND_SET
from tabmcp_ops.cassette_builders.sports import footytab_cassette, results_cassette, sports_cassette

ROOT = Path(__file__).resolve().parents[2]
COMMAND = "python -m tabmcp_ops.cassette_builders"
INDEX_START, INDEX_END = "<!-- cassette-index:start -->", "<!-- cassette-index:end -->"
HEADER = f"# HAND-BUILT by `{COMMAND}` from the documented shapes in tabcorp-api.md; NOT recorded.\n"
ALT_HEADER = f"# HAND-BUILT by `{COMMAND}`: the second data set (its own payloads and shape); NOT recorded.\n"
QUIRKS_HEADER = f"# HAND-BUILT by `{COMMAND}`: fixture cassettes of the quirk tests; NOT recorded, never re-recorded.\n"


def oauth_cassette() -> list[dict[str, Any]]:
    """The three grants and an OAuth error; every credential and token is a placeholder."""
    token = {"access_token": "placeholder-access-token", "token_type": "Bearer", "expires_in": 10800}
    user = "username=PLACEHOLDER_USERNAME&password=PLACEHOLDER_PASSWORD"
    return [
        client_credentials(),
        token_post(
            f"grant_type=password&{CLIENT_FORM}&{user}", {**token, "refresh_token": "placeholder-refresh-token"}
        ),
        token_post(
            f"grant_type=refresh_token&{CLIENT_FORM}&refresh_token=placeholder-refresh-token",
            {
                **token,
                "access_token": "placeholder-access-token-refreshed",
                "refresh_token": "placeholder-refresh-token",
            },
        ),
        token_post(
            "grant_type=client_credentials&client_id=PLACEHOLDER_UNKNOWN_CLIENT&client_secret=PLACEHOLDER_WRONG_SECRET",
            {"error": "invalid_client", "error_description": "Client authentication failed"},
            status=401,
        ),
    ]


def errors_cassette() -> list[dict[str, Any]]:
    """Info-service errors: 400 with ``details`` (real body) and 404s reachable through valid server input."""
    bad_jurisdiction = info_error(
        "INVALID_SYNTAX_ERROR",
        "Invalid query string",
        [{"path": "query.jurisdiction", "message": "should be NSW, VIC, ACT, QLD, SA, NT or TAS"}],
    )
    out = [client_credentials(), get(request_uri("racing", "dates", jurisdiction="WA"), bad_jurisdiction, 400)]
    # The dates and meetings too: the error tests discover their race like every smoke test.
    out.append(get(request_uri("racing", "dates"), dates_payload()))
    for d in DATE_SEGMENTS:
        out.append(get(request_uri("racing", "dates", d, "meetings"), meetings_payload()))
        race = ("racing", "dates", d, "meetings", "R", "WFM", "races")
        out.append(get(request_uri(*race, 99), info_error("RESOURCE_NOT_FOUND_ERROR", "Race not found"), 404))
        for number in (1, 2):  # quirk 2: fixedOdds=true on a TAB race is a 404
            body = info_error("RESOURCE_NOT_FOUND_ERROR", "Fixed odds race not found")
            out.append(get(request_uri(*race, number, query=(("fixedOdds", "true"),)), body, 404))
    return out


CASSETTES = {
    "oauth.yaml": oauth_cassette,
    "racing.yaml": racing_cassette,
    "sports.yaml": sports_cassette,
    "results.yaml": results_cassette,
    "footytab.yaml": footytab_cassette,
    "errors.yaml": errors_cassette,
}


class _Dumper(yaml.SafeDumper):
    """Writes multi-line strings (the pretty JSON bodies) as literal blocks so the quirks stay readable."""


def _str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _str)


def render(interactions: list[dict[str, Any]], header: str = HEADER) -> str:
    """Serialise interactions as a vcrpy cassette (``interactions``, then ``version: 1``)."""
    body = yaml.dump({"interactions": interactions, "version": 1}, Dumper=_Dumper, allow_unicode=True, width=120)
    return header + body


def index_markdown(built: dict[str, list[dict[str, Any]]]) -> str:
    """A table of every interaction per file, written between the index markers of cassettes/README.md."""
    lines = [INDEX_START, "", f"Generated by `{COMMAND}`; do not edit by hand.", ""]
    for name, interactions in built.items():
        lines += [
            f"### `{name}` ({len(interactions)} interactions)",
            "",
            "| method | path and query | status |",
            "|---|---|---|",
        ]
        for item in interactions:
            parts = urlsplit(item["request"]["uri"])
            target = "`" + parts.path + (f"?{parts.query}" if parts.query else "") + "`"
            body = item["request"]["body"]
            if body:  # name the grant, never the values (they are placeholders anyway)
                target += f" (`{dict(p.split('=', 1) for p in body.split('&'))['grant_type']}`)"
            lines.append(f"| {item['request']['method']} | {target} | {item['response']['status']['code']} |")
        lines.append("")
    lines.append(INDEX_END)
    return "\n".join(lines)


def recorded_files(directory: Path) -> list[Path]:
    """The cassettes in ``directory`` that ``make record`` wrote (their first line says RECORDED)."""
    paths = sorted(directory.glob("*.yaml"))
    return [p for p in paths if p.read_text(encoding="utf-8").startswith("# RECORDED by make record")]


def main(argv: list[str] | None = None) -> int:
    """Write (or with ``--check`` compare) every cassette and the README index; return the exit code."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=ROOT / "cassettes", help="cassette directory")
    parser.add_argument("--alt-out", type=Path, default=ROOT / "cassettes-alt", help="second data set directory")
    parser.add_argument(
        "--quirks-out", type=Path, default=ROOT / "tests" / "unit" / "quirks" / "cassettes", help="quirk fixtures"
    )
    parser.add_argument("--check", action="store_true", help="compare instead of writing; exit 1 on drift")
    args = parser.parse_args(argv)
    built = {name: make() for name, make in CASSETTES.items()}
    wanted = {args.out / name: render(items) for name, items in built.items()}
    wanted |= {args.alt_out / name: render(make(), ALT_HEADER) for name, make in SECOND_SET.items()}
    wanted |= {args.quirks_out / name: render(items, QUIRKS_HEADER) for name, items in built.items()}
    readme = args.out / "README.md"
    if readme.exists():
        text = readme.read_text(encoding="utf-8")
        if INDEX_START not in text or INDEX_END not in text:
            print(f"build_cassettes: {readme} lacks the index markers {INDEX_START} / {INDEX_END}", file=sys.stderr)
            return 2
        head, rest = text.split(INDEX_START, 1)
        wanted[readme] = head + index_markdown(built) + rest.split(INDEX_END, 1)[1]
    kept = recorded_files(args.out)
    if kept:  # a real recording is never overwritten by hand-built data; git restores the hand-built files
        wanted = {p: content for p, content in wanted.items() if p.parent != args.out}
        print(f"build_cassettes: {args.out} holds recorded cassettes; left as is (git checkout restores them)")
    drift = [p for p, content in wanted.items() if not p.exists() or p.read_text(encoding="utf-8") != content]
    if args.check:
        for path in drift:
            print(f"build_cassettes: {path} differs from what {COMMAND} writes", file=sys.stderr)
        return 1 if drift else 0
    for path in drift:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(wanted[path], encoding="utf-8")
    total = sum(len(items) for items in built.values())
    print(
        f"build_cassettes: {len(built)} cassettes, {total} interactions, {len(drift)} file(s) rewritten in {args.out}, "
        f"{args.alt_out} and {args.quirks_out}"
    )
    return 0
