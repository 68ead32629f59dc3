"""pip-audit over the image's hash-locked requirements, with a verdict that cannot pass by accident.

``make audit`` runs this. It audits what the image installs (``requirements/server.txt``, and the build backend in
``requirements/build.txt``; ``make lock`` writes both), not whatever happens to be in the virtualenv running it.
pip-audit exits 0 when it could not audit a package (e.g. a version missing from PyPI's advisory data, or the
vulnerability service unreachable) and lists it as skipped. Here:

* any known vulnerability fails the audit (exit 1) and is listed with its fix versions;
* any skipped package fails it too (exit 1), with its reason: a lock is audited in full or not at all;
* an audit that checked nothing fails (exit 1): a scan of nothing is not a pass.

The lock is read as-is (``--disable-pip``: every pin and hash is in the file, nothing is resolved or installed).
pip-audit needs PyPI's vulnerability service, so this is the one check here that needs the network.
"""

from __future__ import annotations

import argparse
import json
import subprocess  # nosec B404
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tabmcp_ops._gha import annotation, append_summary


@dataclass(frozen=True)
class AuditResult:
    """Audited package count, vulnerabilities as ``(package, version, id, fixes)`` and skipped packages."""

    audited: int
    vulns: list[tuple[str, str, str, str]]
    skipped: list[tuple[str, str]]

    @property
    def ok(self) -> bool:
        """True when something was audited, nothing was skipped and nothing is vulnerable."""
        return self.audited > 0 and not self.vulns and not self.skipped


def parse_report(data: Mapping[str, Any]) -> AuditResult:
    """Interpret ``pip-audit -f json`` output."""
    audited = 0
    vulns: list[tuple[str, str, str, str]] = []
    skipped: list[tuple[str, str]] = []
    for dep in data.get("dependencies") or []:
        name = str(dep.get("name"))
        if dep.get("skip_reason"):
            skipped.append((name, str(dep["skip_reason"])))
            continue
        audited += 1
        for vuln in dep.get("vulns") or []:
            fixes = ", ".join(vuln.get("fix_versions") or []) or "no fix yet"
            vulns.append((name, str(dep.get("version")), str(vuln.get("id")), fixes))
    return AuditResult(audited=audited, vulns=vulns, skipped=skipped)


def render(result: AuditResult) -> str:
    """Render the audit as Markdown."""
    if result.vulns:
        head = f"❌ {len(result.vulns)} known vulnerabilities"
    elif not result.audited:
        head = "❌ nothing could be audited"
    elif result.skipped:
        head = f"❌ {len(result.skipped)} packages could not be audited"
    else:
        head = "✅ no known vulnerabilities"
    lines = [f"## Dependency audit: {head}", "", f"{result.audited} packages audited, {len(result.skipped)} skipped."]
    if result.vulns:
        lines += ["", "| Package | Version | Advisory | Fixed in |", "|---|---|---|---|"]
        lines += [f"| {p} | {v} | {i} | {f} |" for p, v, i, f in result.vulns]
    if result.skipped:
        lines += ["", "Skipped (not audited):", ""] + [f"- {name}: {reason}" for name, reason in result.skipped[:50]]
    return "\n".join(lines) + "\n"


DEFAULT_LOCKS = ("requirements/server.txt", "requirements/build.txt")


def pip_audit_command(pip_audit: str, locks: list[str]) -> list[str]:
    """The pip-audit argv that audits the hash-locked files as written (no resolution, no install)."""
    cmd = [pip_audit, "--require-hashes", "--disable-pip", "--progress-spinner", "off", "-f", "json"]
    for lock in locks:
        cmd += ["--requirement", lock]
    return cmd


def main(argv: list[str] | None = None) -> int:
    """CLI entry point; see the module docstring."""
    parser = argparse.ArgumentParser(prog="python -m tabmcp_ops.audit", description=__doc__.splitlines()[0])
    parser.add_argument("--pip-audit", default=str(Path(sys.executable).with_name("pip-audit")))
    parser.add_argument(
        "--requirement", action="append", help=f"a hash-locked file to audit (default: {', '.join(DEFAULT_LOCKS)})"
    )
    args = parser.parse_args(argv)
    locks = args.requirement or list(DEFAULT_LOCKS)
    missing = [lock for lock in locks if not Path(lock).is_file()]
    if missing:
        print(annotation("error", f"No lock file at {', '.join(missing)}: run `make lock` from the repository root."))
        return 2
    cmd = pip_audit_command(args.pip_audit, locks)
    proc = subprocess.run(cmd, capture_output=True, text=True, check=False)  # noqa: S603  # nosec B603
    try:
        result = parse_report(json.loads(proc.stdout))
    except ValueError:
        print(annotation("error", f"pip-audit gave no JSON report (exit {proc.returncode}): {proc.stderr[-500:]}"))
        return 2
    report = render(result)
    print(report)
    append_summary(report)
    for name, version, vuln_id, fixes in result.vulns:
        print(annotation("error", f"{name} {version}: {vuln_id} (fixed in {fixes})"))
    if result.skipped:
        print(
            annotation(
                "error",
                f"{len(result.skipped)} packages could not be audited (listed in the report): "
                "a partial audit fails; check that PyPI's vulnerability service is reachable.",
            )
        )
    return 0 if result.ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
