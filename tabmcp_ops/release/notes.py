"""Generate the GitHub release notes for a tab-mcp version.

The notes hold: what's new (commits since the previous tag, grouped by conventional-commit type), the
validation status *computed from the results of the jobs that ran*, Smithery deployment steps, a
post-deployment checklist, the environment variables (from ``Settings``) and links. Usage in release.yml::

    python -m tabmcp_ops.release.notes --version 1.2.3 --results-json needs.json --output notes.md
    python -m tabmcp_ops.release.notes --version 1.2.3 --job test=success --job security=failure

``--results-json`` takes the file written from ``${{ toJSON(needs) }}``. ``--require`` names jobs that must
have succeeded (default: every job given). ``--check`` exits 1 when the release is not validated.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from tabmcp_ops._gha import annotation, set_output
from tabmcp_ops.envvars import EnvVar, markdown_table, settings_env_vars
from tabmcp_ops.release.changelog import commits_since, previous_tag, render_changes
from tabmcp_ops.release.version_check import tag_for

_RESULT_ICONS = {"success": "✅", "failure": "❌", "cancelled": "🚫", "skipped": "⏭️", "not run": "⚪"}
KNOWN_RESULTS = frozenset({"success", "failure", "cancelled", "skipped"})
DEFAULT_LIVE_URL = "https://server.smithery.ai/<owner>/tab-mcp/mcp"


@dataclass(frozen=True)
class Validation:
    """The release's validation status: ``ok`` only when every required job ran and succeeded."""

    results: dict[str, str]
    required: tuple[str, ...]

    @property
    def problems(self) -> list[str]:
        """Return one phrase per required job that did not succeed (``"test: failure"``)."""
        return [
            f"{job}: {self.results.get(job, 'not run')}" for job in self.required if self.results.get(job) != "success"
        ]

    @property
    def ok(self) -> bool:
        """True when there is at least one required job and every one of them succeeded."""
        return bool(self.required) and not self.problems


def parse_job_args(items: Iterable[str]) -> dict[str, str]:
    """Parse ``name=result`` pairs (``--job test=success``); raise ValueError on a malformed pair or result."""
    results = {}
    for item in items:
        name, sep, result = item.partition("=")
        if not sep or not name.strip():
            raise ValueError(f"--job expects NAME=RESULT, got {item!r}")
        result = result.strip().lower()
        if result not in KNOWN_RESULTS:
            raise ValueError(f"--job {name}: result must be one of {', '.join(sorted(KNOWN_RESULTS))}, got {result!r}")
        results[name.strip()] = result
    return results


def load_needs_json(text: str) -> dict[str, str]:
    """Read job results from ``toJSON(needs)`` (``{"job": {"result": "...", "outputs": {...}}}``)."""
    data = json.loads(text)
    if not isinstance(data, dict):
        raise ValueError("results JSON must be an object mapping job names to {result: ...}")
    results = {}
    for name, value in data.items():
        result = value.get("result") if isinstance(value, dict) else value
        if not isinstance(result, str) or result.lower() not in KNOWN_RESULTS:
            raise ValueError(f"job {name!r} has no valid result in the results JSON: {value!r}")
        results[str(name)] = result.lower()
    return results


def compute_validation(results: Mapping[str, str], required: Iterable[str] | None = None) -> Validation:
    """Build the :class:`Validation` for ``results``; ``required`` defaults to every job present."""
    req = tuple(required) if required is not None else tuple(results)
    return Validation(results=dict(results), required=req)


def render_validation(validation: Validation) -> str:
    """Render the validation table and verdict. Nothing is assumed: a job that is not in the results is 'not run'."""
    names = list(dict.fromkeys([*validation.required, *validation.results]))
    rows = ["| Job | Result | Required |", "|---|---|---|"]
    for name in names:
        result = validation.results.get(name, "not run")
        required = "yes" if name in validation.required else "no"
        rows.append(f"| `{name}` | {_RESULT_ICONS.get(result, '❔')} {result} | {required} |")
    if validation.ok:
        verdict = f"**✅ Validated:** all {len(validation.required)} required jobs succeeded in this workflow run."
    elif not validation.required:
        verdict = "**❌ NOT validated:** no job results were supplied to the notes generator."
    else:
        verdict = (
            "**❌ NOT validated:** " + "; ".join(validation.problems) + ". This release is a draft: do not deploy it."
        )
    if not names:
        return verdict + "\n"
    return verdict + "\n\n" + "\n".join(rows) + "\n"


def render_smithery_steps(tag: str, repo_url: str) -> str:
    """Render the manual Smithery deployment steps (Smithery has no deployment API to automate)."""
    return f"""\
Smithery builds the container from `Dockerfile` and `smithery.yaml` at the deployed commit.

1. Check that the validation status above is ✅ and the [monitor]({repo_url}/actions/workflows/monitor.yml) is green.
2. Open the server's page on [smithery.ai](https://smithery.ai) → **Deployments**.
3. Select the branch or the tag `{tag}` and press **Deploy**; wait for the build log to finish with a healthy
   container (the image's `HEALTHCHECK` polls `/healthz`).
4. Confirm the **Configuration** tab: credentials belong in the server's deployment secrets or the session
   configuration (`clientId`, `clientSecret`, `username`, `password`, `jurisdiction`). There is no base URL
   setting: the upstream is fixed by the operator's `TAB_BASE_URL`.
5. Run the post-deployment checklist below. If any step fails, follow *Rollback* in
   [DEPLOYMENT.md]({repo_url}/blob/{tag}/DEPLOYMENT.md#rollback).
"""


def render_checklist(live_url: str) -> str:
    """Render the post-deployment checklist, including the live smoke run with ``--live-url``."""
    health_url = live_url.removesuffix("/mcp").rstrip("/")
    return f"""\
- [ ] Liveness: `curl -fsS {health_url}/healthz` returns `ok`.
- [ ] Readiness: `curl -fsS {health_url}/readyz` returns 200 with `token_expires_in` (when credentials are set).
- [ ] Smoke suite against the deployment:
      `pytest -m smoke --live-url {live_url} --tabmcp-latency-json latency.json`
- [ ] Same checks the monitor runs: `make monitor-check LIVE_URL={live_url}`
- [ ] Token refresh path: `tab-mcp token-status` (with the deployment's credentials) reports more than 5 minutes.
- [ ] Trigger the monitor once: `gh workflow run monitor.yml -f url={live_url}` and check it is green.
- [ ] Watch the next two scheduled monitor runs; any alert issue should stay closed.
"""


def render_env_section(env_vars: list[EnvVar]) -> str:
    """Render the environment variables table (generated from ``Settings.model_fields``)."""
    return (
        "All variables are optional. Secrets are `SecretStr` and never logged; set them in Smithery's "
        "deployment secrets or a local `.env`, never in the repository.\n\n" + markdown_table(env_vars)
    )


def render_notes(
    *,
    version: str,
    changes_markdown: str,
    previous: str | None,
    validation: Validation,
    env_vars: list[EnvVar],
    repo_url: str,
    live_url: str = DEFAULT_LIVE_URL,
    run_url: str | None = None,
) -> str:
    """Assemble the complete release notes."""
    tag = tag_for(version)
    since = f"since `{previous}`" if previous else "(first release)"
    compare = f"{repo_url}/compare/{previous}...{tag}" if previous else f"{repo_url}/commits/{tag}"
    links = [
        f"- Full changelog: {compare}",
        f"- Deployment runbook: {repo_url}/blob/{tag}/DEPLOYMENT.md",
        f"- Security policy: {repo_url}/blob/{tag}/SECURITY.md",
        f"- Contributing: {repo_url}/blob/{tag}/CONTRIBUTING.md",
        f"- Health monitor: {repo_url}/actions/workflows/monitor.yml",
        "- Smithery: https://smithery.ai",
    ]
    if run_url:
        links.append(f"- This release's workflow run: {run_url}")
    return "\n".join(
        [
            f"# tab-mcp {tag}",
            "",
            f"## What's new {since}",
            "",
            changes_markdown.rstrip(),
            "",
            "## Validation status",
            "",
            render_validation(validation).rstrip(),
            "",
            "## Deploying to Smithery",
            "",
            render_smithery_steps(tag, repo_url).rstrip(),
            "",
            "## Post-deployment checklist",
            "",
            render_checklist(live_url).rstrip(),
            "",
            "## Environment variables",
            "",
            render_env_section(env_vars).rstrip(),
            "",
            "## Links",
            "",
            "\n".join(links),
            "",
        ]
    )


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m tabmcp_ops.release.notes", description=__doc__.splitlines()[0])
    parser.add_argument("--version", required=True, help="the version being released, e.g. 1.2.3 (a leading v is ok)")
    parser.add_argument("--previous-tag", help="compare against this tag (default: the highest earlier vX.Y.Z tag)")
    parser.add_argument("--ref", default="HEAD", help="the commit being released (default HEAD)")
    parser.add_argument("--repo-dir", type=Path, default=Path())
    parser.add_argument("--results-json", type=Path, help="file holding ${{ toJSON(needs) }}")
    parser.add_argument("--job", action="append", default=[], metavar="NAME=RESULT", help="a job result (repeatable)")
    parser.add_argument("--require", action="append", metavar="NAME", help="a job that must succeed (repeatable)")
    parser.add_argument("--repo", default=os.environ.get("GITHUB_REPOSITORY", "OWNER/tab-mcp"), help="owner/name")
    parser.add_argument("--server-url", default=os.environ.get("GITHUB_SERVER_URL", "https://github.com"))
    parser.add_argument("--run-id", default=os.environ.get("GITHUB_RUN_ID"))
    parser.add_argument("--live-url", default=os.environ.get("TABMCP_LIVE_URL") or DEFAULT_LIVE_URL)
    parser.add_argument("--output", type=Path, help="write the notes here (default: stdout)")
    parser.add_argument("--check", action="store_true", help="exit 1 when the release is not validated")
    return parser


def main(argv: list[str] | None = None) -> int:
    """CLI entry point; see the module docstring."""
    args = _parser().parse_args(argv)
    try:
        results = load_needs_json(args.results_json.read_text(encoding="utf-8")) if args.results_json else {}
        results.update(parse_job_args(args.job))
    except (OSError, ValueError) as exc:
        print(annotation("error", f"release notes: {exc}"))
        return 2
    validation = compute_validation(results, args.require)
    tag = tag_for(args.version)
    previous = args.previous_tag or previous_tag(args.repo_dir, tag, args.ref)
    repo_url = f"{args.server_url.rstrip('/')}/{args.repo}"
    commits = commits_since(args.repo_dir, previous, args.ref)
    notes = render_notes(
        version=args.version,
        changes_markdown=render_changes(commits, commit_url=f"{repo_url}/commit/"),
        previous=previous,
        validation=validation,
        env_vars=settings_env_vars(),
        repo_url=repo_url,
        live_url=args.live_url,
        run_url=f"{repo_url}/actions/runs/{args.run_id}" if args.run_id else None,
    )
    if args.output:
        args.output.write_text(notes, encoding="utf-8")
    else:
        sys.stdout.write(notes)
    set_output("validated", "true" if validation.ok else "false")
    set_output("previous_tag", previous or "")
    if not validation.ok:
        level = "error" if args.check else "warning"
        print(annotation(level, "release not validated: " + "; ".join(validation.problems)))
        return 1 if args.check else 0
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
