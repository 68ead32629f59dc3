"""``make record``: re-record every cassette into a fresh directory, then swap it in only when all is well.

Steps (each failure leaves ``cassettes/`` byte for byte as it was):

1. refuse without ``TAB_CLIENT_ID``/``TAB_CLIENT_SECRET`` (``--preflight`` does only this, with the system
   Python, before ``make`` builds the virtualenv; this module imports nothing beyond the standard library
   at module level for that reason);
2. run the smoke suite with ``--tabmcp-record-mode=all --tabmcp-strict`` (a skip records nothing, so it fails)
   into a new directory beside ``cassettes/``, with any ``TABMCP_LIVE_URL`` removed from its environment;
3. require a green run that wrote at least one cassette, then the cassette lint (no secret-looking value);
4. stamp each cassette's header with the date and the host it was recorded from, rewrite request URIs to
   the offline base URL (so the replay matches whatever host was recorded, e.g. a loopback stand-in), and
   regenerate the provenance and index sections of ``cassettes/README.md``;
5. swap the directories (two renames on one filesystem; the old one is restored if the second fails), so
   no hand-built interaction survives beside recorded ones, and print what changed.

Usage: ``python -m tabmcp_ops.record [--cassette-dir DIR] [--preflight] [-- extra pytest args]``.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess  # nosec B404  (fixed argv, never a shell)
import sys
import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
CREDENTIALS = ("TAB_CLIENT_ID", "TAB_CLIENT_SECRET")
DEFAULT_BASE_URL = "https://api.beta.tab.com.au"  # tab_mcp.settings.DEFAULT_BASE_URL, the offline replay host
REFUSAL = (
    "make record: refusing to run: set TAB_CLIENT_ID and TAB_CLIENT_SECRET (real TAB Studio credentials) to "
    "re-record cassettes from the live API; nothing was changed."
)
PROVENANCE_START, PROVENANCE_END = "<!-- cassette-provenance:start -->", "<!-- cassette-provenance:end -->"
INDEX_START, INDEX_END = "<!-- cassette-index:start -->", "<!-- cassette-index:end -->"
RECORD_TIMEOUT_S = 1800
# A live URL (from the operator's shell) would make the recording pytest run live and record nothing.
LIVE_MODE_VARIABLES = frozenset({"TABMCP_LIVE_URL", "TABMCP_LIVE_HEADERS"})


class RecordError(Exception):
    """A recording step failed; ``cassettes/`` was left unchanged."""


@dataclass(frozen=True)
class Change:
    """What the swap changed: cassettes added and removed, and interactions per cassette (old, new)."""

    added: tuple[str, ...]
    removed: tuple[str, ...]
    interactions: dict[str, tuple[int | None, int | None]]

    def lines(self) -> list[str]:
        """Human-readable summary, one line per cassette."""
        out = [
            f"cassettes added: {', '.join(self.added) or 'none'}",
            f"cassettes removed: {', '.join(self.removed) or 'none'}",
        ]
        for name, (old, new) in sorted(self.interactions.items()):
            out.append(f"  {name}: {'-' if old is None else old} -> {'-' if new is None else new} interactions")
        return out


def missing_credentials(env: Mapping[str, str]) -> list[str]:
    """The credential variables that are unset or blank."""
    return [name for name in CREDENTIALS if not env.get(name, "").strip()]


def recorded_host(env: Mapping[str, str]) -> str:
    """The upstream host the recording talks to (``TAB_BASE_URL``'s host and port, never userinfo)."""
    parts = urlsplit(env.get("TAB_BASE_URL", "").strip() or DEFAULT_BASE_URL)
    return parts.hostname + (f":{parts.port}" if parts.port else "") if parts.hostname else "unknown"


def recording_env(env: Mapping[str, str]) -> dict[str, str]:
    """``env`` for the recording pytest: without the live-mode variables, which would win over record mode."""
    return {name: value for name, value in env.items() if name not in LIVE_MODE_VARIABLES}


def run_recording(target: Path, env: Mapping[str, str], extra: Sequence[str] = ()) -> int:
    """Run the smoke suite in record mode ``all``, strict, into ``target`` and return pytest's exit code.

    Strict because a skipped test records nothing: its interactions would be missing from the new cassettes,
    and ``make smoke`` (strict too) would fail on them after the swap.
    """
    cmd = [sys.executable, "-m", "pytest", "-m", "smoke", "--tabmcp-record-mode=all", "--tabmcp-strict"]
    cmd += ["-p", "no:xdist", "-p", "no:cacheprovider", f"--tabmcp-cassette-dir={target}", "-q"]
    cmd += [str(ROOT / "tests" / "smoke"), *extra]
    print("$ " + " ".join(cmd), flush=True)
    return subprocess.run(  # noqa: S603
        cmd, cwd=ROOT, env=recording_env(env), timeout=RECORD_TIMEOUT_S, check=False
    ).returncode


def interactions_in(path: Path) -> int:
    """Number of interactions in one cassette file."""
    import yaml

    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    return len(data.get("interactions") or [])


def stamp(path: Path, host: str, base_url: str, day: str) -> None:
    """Give a recorded cassette its header and rewrite its request URIs from ``base_url`` to the replay host."""
    import yaml

    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    prefix = base_url.rstrip("/")
    for interaction in data.get("interactions") or []:
        uri = interaction["request"]["uri"]
        if prefix and uri.startswith(prefix + "/"):
            interaction["request"]["uri"] = DEFAULT_BASE_URL + uri[len(prefix) :]
    header = f"# RECORDED by make record on {day} from {host}"
    if prefix.rstrip("/") != DEFAULT_BASE_URL:
        header += f"; request URIs rewritten to {DEFAULT_BASE_URL} for offline replay"
    body = yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=120)
    path.write_text(header + "; credentials scrubbed.\n" + body, encoding="utf-8")


def _replace_between(text: str, start: str, end: str, block: str) -> str:
    if start not in text or end not in text:
        return text.rstrip("\n") + f"\n\n{start}\n{block}\n{end}\n"
    head, rest = text.split(start, 1)
    return f"{head}{start}\n{block}\n{end}{rest.split(end, 1)[1]}"


def readme_text(old: str, counts: Mapping[str, int], host: str, day: str) -> str:
    """``cassettes/README.md`` with its provenance and index sections regenerated for a recording."""
    provenance = (
        f"**Recorded by `make record` on {day} from `{host}`** ({len(counts)} cassettes, "
        f"{sum(counts.values())} interactions), replacing every hand-built cassette. Each file's first line says "
        "when and from where it was recorded. The field notes below describe the hand-built cassettes until "
        "re-recorded; `git restore cassettes/` brings the hand-built ones back (`make cassettes` leaves "
        "recordings alone)."
    )
    lines = [f"Generated by `make record` on {day}; do not edit by hand.", "", "| file | interactions |", "|---|---|"]
    lines += [f"| `{name}` | {count} |" for name, count in sorted(counts.items())]
    text = _replace_between(old, PROVENANCE_START, PROVENANCE_END, provenance)
    return _replace_between(text, INDEX_START, INDEX_END, "\n".join(lines))


def counts_in(directory: Path) -> dict[str, int]:
    """Interactions per cassette file in ``directory``."""
    return {p.name: interactions_in(p) for p in sorted(directory.glob("*.yaml"))}


def compare(old: Mapping[str, int], new: Mapping[str, int]) -> Change:
    """What replacing cassettes ``old`` by ``new`` changes."""
    names = sorted(set(old) | set(new))
    return Change(
        added=tuple(n for n in names if n not in old),
        removed=tuple(n for n in names if n not in new),
        interactions={n: (old.get(n), new.get(n)) for n in names},
    )


def swap(new: Path, current: Path) -> None:
    """Put directory ``new`` in place of ``current`` (same filesystem); restore ``current`` if that fails."""
    old = current.with_name(f".{current.name}-old-{os.getpid()}")
    if current.exists():
        current.rename(old)
    try:
        new.rename(current)
    except OSError:
        if old.exists():
            old.rename(current)
        raise
    shutil.rmtree(old, ignore_errors=True)


def prepare(staging: Path, current: Path, env: Mapping[str, str], extra: Sequence[str], day: str) -> dict[str, int]:
    """Record into ``staging`` and make it a complete cassette directory; raise :class:`RecordError` on failure."""
    from pytest_tabmcp.cassette_lint import lint_paths

    code = run_recording(staging, env, extra)
    if code != 0:
        raise RecordError(f"the recording run failed (pytest exit {code})")
    counts = counts_in(staging)
    if not counts:
        raise RecordError("the recording run wrote no cassette")
    findings = lint_paths([staging], env=dict(env))
    if findings:
        raise RecordError("the cassette lint found secret-looking values:\n" + "\n".join(map(str, findings)))
    host, base_url = recorded_host(env), env.get("TAB_BASE_URL", "").strip() or DEFAULT_BASE_URL
    for name in counts:
        stamp(staging / name, host, base_url, day)
    readme = current / "README.md"
    old_readme = readme.read_text(encoding="utf-8") if readme.exists() else "# Cassettes\n"
    (staging / "README.md").write_text(readme_text(old_readme, counts, host, day), encoding="utf-8")
    for extra_file in current.glob("*") if current.exists() else ():
        if extra_file.is_file() and extra_file.suffix != ".yaml" and not (staging / extra_file.name).exists():
            shutil.copy2(extra_file, staging / extra_file.name)
    return counts


def record(current: Path, env: Mapping[str, str], extra: Sequence[str] = (), today: str | None = None) -> Change:
    """Re-record ``current`` (a cassette directory) from the upstream in ``env``; see the module docstring."""
    missing = missing_credentials(env)
    if missing:
        raise RecordError(REFUSAL)
    day = today or datetime.now(UTC).date().isoformat()
    before = counts_in(current) if current.exists() else {}
    current.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{current.name}-recording-", dir=current.parent))
    staging.chmod(0o755)  # mkdtemp makes it private; the swapped-in cassettes/ must read like any checkout
    try:
        counts = prepare(staging, current, env, extra, day)
        swap(staging, current)
    finally:
        shutil.rmtree(staging, ignore_errors=True)  # gone after a swap; a failed attempt's leftovers otherwise
    return compare(before, counts)


def main(argv: Sequence[str] | None = None) -> int:
    """CLI: 0 when the cassettes were replaced, 1 when recording failed (nothing changed), 2 on refusal."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--cassette-dir", type=Path, default=ROOT / "cassettes")
    parser.add_argument("--preflight", action="store_true", help="only check the credentials")
    args, extra = parser.parse_known_args(argv)
    extra = [a for a in extra if a != "--"]
    if missing_credentials(os.environ):
        print(REFUSAL, file=sys.stderr)
        return 2
    if args.preflight:
        return 0
    try:
        change = record(args.cassette_dir.resolve(), os.environ, extra)
    except (RecordError, subprocess.TimeoutExpired) as exc:
        print(f"make record: {exc}; {args.cassette_dir} was left unchanged.", file=sys.stderr)
        return 1
    print(f"make record: replaced {args.cassette_dir}")
    for line in change.lines():
        print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
