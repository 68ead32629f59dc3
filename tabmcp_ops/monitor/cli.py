"""The health monitor's CLI: run one health check, and act on the alert issue.

``check`` is what ``make monitor-check LIVE_URL=…`` and the monitor workflow's health job both run::

    python -m tabmcp_ops.monitor check --url https://host/mcp --out .monitor --history .monitor/history.jsonl

It probes the endpoint, runs ``pytest -m smoke --live-url URL --tabmcp-latency-json OUT/latency.json
--junitxml OUT/junit.xml tests/smoke`` (skipped when the probe found the server down, so a hung server costs one probe
timeout, not one per test), applies the alert conditions, appends a line to the history, writes
``OUT/report.md`` and ``OUT/status.json`` (and the step summary in Actions) and exits 1 on any alert.

``issue`` applies the alert-issue policy with the ``gh`` CLI (the workflow gives that job ``issues: write``) and,
with ``--history``, writes the tracking issue's number onto the run's history line::

    python -m tabmcp_ops.monitor issue --status .monitor/status.json --report .monitor/report.md \
        --history .monitor/history.jsonl

``page`` renders the history into the self-contained status page (:mod:`tabmcp_ops.monitor.page`)::

    python -m tabmcp_ops.monitor page .monitor/history.jsonl .monitor/site/index.html
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess  # nosec B404
import sys
from collections.abc import Callable, Sequence
from dataclasses import asdict
from datetime import UTC, datetime
from pathlib import Path
from typing import cast

from tabmcp_ops._gha import annotation, append_summary, set_output
from tabmcp_ops.monitor.alert import (
    PROBE_TIMEOUT_S,
    Alert,
    Probe,
    SmokeResult,
    evaluate,
    parse_junit,
    parse_latency,
    probe_endpoint,
)
from tabmcp_ops.monitor.drift import parse_drift, with_drift_alert
from tabmcp_ops.monitor.history import (
    HistoryRecord,
    all_windows,
    append_record,
    load_history,
    make_record,
    parse_ts,
    prune,
    record_issue,
)
from tabmcp_ops.monitor.page import render_page
from tabmcp_ops.monitor.report import (
    ISSUE_LABEL,
    ISSUE_TITLE,
    IssueAction,
    decide_issue_action,
    issue_comment,
    render_report,
)
from tabmcp_ops.monitor.sessions import fetch_gauge
from tabmcp_ops.monitor.skips import (
    SKIP_RUNS,
    SKIP_SHARE_LIMIT,
    persistent_skip_alert,
    render_skips,
    skip_alert,
    skip_share,
    skipped_tests,
    unexcused,
    unexcused_names,
)

PYTEST_TIMEOUT_S = 900.0
SMOKE_DIR = "tests/smoke"  # relative: the check runs from the repository root (make, the workflow)
Runner = Callable[[Sequence[str]], str]


def redact(url: str) -> str:
    """Show a URL without userinfo, query or fragment (a Smithery URL may carry an API key in its query)."""
    from pytest_tabmcp._live import redact_url

    return redact_url(url)


def live_headers() -> dict[str, str]:
    """Headers for the probe from ``TABMCP_LIVE_HEADERS`` (the same variable the pytest plugin reads)."""
    from pytest_tabmcp._live import LIVE_HEADERS_ENV, parse_live_headers

    raw = os.environ.get(LIVE_HEADERS_ENV, "").strip()
    return parse_live_headers(raw) if raw else {}


def pytest_command(url: str, out: Path, extra: Sequence[str] = ()) -> list[str]:
    """Return the smoke-suite command the health check runs (the same one the docs tell operators to run)."""
    return [
        sys.executable,
        "-m",
        "pytest",
        "-m",
        "smoke",
        "--live-url",
        url,
        "--tabmcp-latency-json",
        str(out / "latency.json"),
        f"--junitxml={out / 'junit.xml'}",
        # xunit1 keeps record_property/user_properties (the per-call data) without a PytestWarning.
        "-o",
        "junit_family=xunit1",
        "-p",
        "no:cacheprovider",
        "-q",
        # Collect only the smoke folder (the tier marker comes from it): same tests, a fraction of the start-up.
        SMOKE_DIR,
        *extra,
    ]


def run_smoke(url: str, out: Path, extra: Sequence[str] = (), timeout: float = PYTEST_TIMEOUT_S) -> SmokeResult:
    """Run the smoke suite against ``url`` and read its JUnit file; a run over ``timeout`` counts as failed."""
    for stale in ("latency.json", "junit.xml"):
        (out / stale).unlink(missing_ok=True)  # never evaluate a previous run's files
    cmd = pytest_command(url, out, extra)
    shown = " ".join(redact(part) if part == url else part for part in cmd)
    print(f"$ {shown}", flush=True)
    try:
        exit_code: int | None = subprocess.run(cmd, check=False, timeout=timeout).returncode  # noqa: S603  # nosec B603
    except subprocess.TimeoutExpired:
        # subprocess.run has already killed pytest (by its PID); it wrote no JUnit file, so report the timeout.
        message = f"the smoke suite did not finish in {timeout:g} s"
        return SmokeResult(exit_code=None, messages=(message,), timed_out=True)
    return parse_junit(out / "junit.xml", exit_code)


def run_check(
    url: str,
    out: Path,
    *,
    history: Path | None = None,
    probe_timeout: float = PROBE_TIMEOUT_S,
    pytest_timeout: float = PYTEST_TIMEOUT_S,
    pytest_args: Sequence[str] = (),
    now: datetime | None = None,
    run_url: str | None = None,
    skip_share_limit: float = SKIP_SHARE_LIMIT,
    skip_runs: int = SKIP_RUNS,
) -> dict[str, object]:
    """Run one health check end to end and return the status written to ``out/status.json``."""
    out.mkdir(parents=True, exist_ok=True)
    probe: Probe = probe_endpoint(url, timeout=probe_timeout, headers=live_headers())
    smoke = run_smoke(url, out, pytest_args, pytest_timeout) if probe.reachable and not probe.timed_out else None
    if smoke is not None and smoke.exit_code is None:
        smoke = SmokeResult(exit_code=1, messages=smoke.messages, timed_out=smoke.timed_out)
    # The plugin's latency JSON carries latency, drift and skips; None when pytest never got to write it.
    plugin_report = _read_json(out / "latency.json") if smoke is not None else None
    latency = parse_latency(plugin_report) if plugin_report is not None else None
    alerts = with_drift_alert(evaluate(probe, smoke, latency), smoke, parse_drift(plugin_report))
    now = now or datetime.now(UTC)
    shown_url = redact(url)
    skipped = skipped_tests(plugin_report)
    counted = unexcused(smoke, skipped)  # history keeps these counts, so both runs' shares leave excused skips out
    names = unexcused_names(skipped)
    earlier = _previous_runs(history, shown_url)
    alerts += _skip_alerts(counted, names, earlier, share_limit=skip_share_limit, runs=skip_runs)
    record = make_record(
        now=now,
        url=shown_url,
        probe=probe,
        smoke=counted,
        latency=latency,
        alerts=alerts,
        run_url=run_url,
        skipped_tests=names,
    )
    records = append_record(history, record, now) if history is not None else prune([record], now)
    # The file may hold runs against other URLs (a dispatch with a different url input): report on this one.
    records = [r for r in records if r.url == shown_url]
    report = render_report(
        url=shown_url,
        now=now,
        probe=probe,
        smoke=smoke,
        latency=latency,
        alerts=alerts,
        windows=all_windows(records, now),
        records=records,
        run_url=run_url,
        sessions=fetch_gauge(url, timeout=probe_timeout, headers=live_headers()) if probe.reachable else None,
    )
    report += render_skips(skipped)
    status: dict[str, object] = {
        "healthy": not alerts,
        "alerts": [asdict(a) for a in alerts],
        "url": shown_url,
        "checked_at": record.ts,
        "run_url": run_url,
        "probe": asdict(probe),
        "record": asdict(record),
    }
    (out / "report.md").write_text(report, encoding="utf-8")
    (out / "status.json").write_text(json.dumps(status, indent=2) + "\n", encoding="utf-8")
    return status


def _skip_alerts(
    counted: SmokeResult | None, names: list[str], earlier: list[HistoryRecord], *, share_limit: float, runs: int
) -> list[Alert]:
    """The skip alerts: a share over the limit in this run and the last, or one test skipped ``runs`` times in a row."""
    previous = earlier[0] if earlier else None
    share = skip_alert(counted, skip_share(previous.tests, previous.skipped) if previous else None, share_limit)
    streak = [r.skipped_tests for r in earlier if r.skipped_tests is not None]  # runs in which the suite ran
    lasting = persistent_skip_alert(names, streak, runs) if counted is not None else None
    return [alert for alert in (share, lasting) if alert]


def _previous_runs(history: Path | None, url: str) -> list[HistoryRecord]:
    """The recorded runs against ``url``, newest first (empty without a history file or such a run)."""
    if history is None or not history.exists():
        return []
    records, _ = load_history(history)
    return [r for r in reversed(records) if r.url == url]


def _read_json(path: Path) -> dict[str, object] | None:
    """A JSON file's object, or None when it is absent."""
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else None


def _gh(cmd: Sequence[str]) -> str:
    """Run a ``gh`` command and return stdout; raise with gh's stderr when it fails."""
    proc = subprocess.run(["gh", *cmd], capture_output=True, text=True, check=False)  # noqa: S603, S607  # nosec
    if proc.returncode != 0:
        raise RuntimeError(f"gh {' '.join(cmd[:3])} failed: {proc.stderr.strip()}")
    return proc.stdout


def open_alert_issues(run: Runner, repo: str | None, label: str = ISSUE_LABEL) -> list[int]:
    """Return the numbers of the open alert issues (found by label, so a renamed title still matches)."""
    cmd = ["issue", "list", "--state", "open", "--label", label, "--json", "number", "--limit", "50"]
    out = run([*cmd, *(["--repo", repo] if repo else [])])
    return [int(item["number"]) for item in json.loads(out or "[]")]


def apply_issue_action(
    action: IssueAction, report: str, run: Runner, repo: str | None, label: str = ISSUE_LABEL
) -> list[list[str]]:
    """Carry out ``action`` with ``gh``; return the commands run (for logs and tests)."""
    repo_args = ["--repo", repo] if repo else []
    commands: list[list[str]] = []
    if action.kind == "open":
        # The label must exist before `gh issue create --label` can use it; --force makes this idempotent.
        commands.append(
            ["label", "create", label, "--color", "B60205", "--description", "tab-mcp monitor alert", "--force"]
        )
        commands.append(["issue", "create", "--title", ISSUE_TITLE, "--label", label, "--body", report])
    elif action.kind == "comment":
        commands += [
            ["issue", "comment", str(n), "--body", issue_comment(report, healthy=False)] for n in action.numbers
        ]
    elif action.kind == "close":
        for number in action.numbers:
            commands.append(["issue", "comment", str(number), "--body", issue_comment(report, healthy=True)])
            commands.append(["issue", "close", str(number), "--reason", "completed"])
    for cmd in commands:
        run([*cmd, *repo_args])
    return commands


def _check_main(args: argparse.Namespace) -> int:
    if not args.url or not args.url.strip():
        print(annotation("error", "no URL to monitor: pass --url (or LIVE_URL=… to make monitor-check)"))
        return 2
    status = run_check(
        args.url.strip(),
        args.out,
        history=args.history,
        probe_timeout=args.probe_timeout,
        pytest_timeout=args.pytest_timeout,
        pytest_args=args.pytest_args,
        run_url=args.run_url,
        skip_share_limit=args.skip_share,
        skip_runs=args.skip_runs,
    )
    report = (args.out / "report.md").read_text(encoding="utf-8")
    print(report)
    append_summary(report)
    set_output("healthy", "true" if status["healthy"] else "false")
    for alert in cast("list[dict[str, str]]", status["alerts"]):
        print(annotation("error", f"{alert['code']}: {alert['message']}"))
    return 0 if status["healthy"] else 1


def _issue_main(args: argparse.Namespace) -> int:
    status = json.loads(args.status.read_text(encoding="utf-8"))
    report = args.report.read_text(encoding="utf-8")
    run: Runner = _gh if not args.dry_run else (lambda cmd: "[]" if cmd[:2] == ["issue", "list"] else "")
    open_now = open_alert_issues(run, args.repo, args.label)
    action = decide_issue_action(bool(status["healthy"]), open_now)
    commands = apply_issue_action(action, report, run, args.repo, args.label)
    print(f"alert issue: {action.kind} {list(action.numbers) or ''}".rstrip())
    for cmd in commands:
        print("  gh " + " ".join(part if len(part) < 80 else "<report>" for part in cmd))
    set_output("issue_action", action.kind)
    number = tracking_issue(action, run, args.repo, args.label)
    if number is not None:
        set_output("issue_number", str(number))
        if args.history is not None:
            written = record_issue(args.history, ts=str(status["checked_at"]), url=str(status["url"]), number=number)
            print(f"history: issue #{number} {'recorded' if written else 'not recorded (the run is not in it)'}")
    return 0


def tracking_issue(action: IssueAction, run: Runner, repo: str | None, label: str = ISSUE_LABEL) -> int | None:
    """The alert issue that tracks this run: the one opened (looked up again), commented on or closed; else None."""
    if action.kind == "open":
        opened = open_alert_issues(run, repo, label)
        return min(opened) if opened else None
    return action.numbers[0] if action.numbers else None


def _page_main(args: argparse.Namespace) -> int:
    records, unreadable = load_history(args.history)
    newest = max(records, key=lambda r: r.when).url if records else ""
    url = redact(args.url.strip()) if args.url and args.url.strip() else newest
    shown = [r for r in records if r.url == url]
    now = parse_ts(args.at) if args.at else datetime.now(UTC)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(render_page(shown, now, url=url, issue_url=args.issue_url), encoding="utf-8")
    print(f"status page: {args.out} ({len(shown)} checks of {url or 'no URL'}; {unreadable} unreadable line(s))")
    return 0


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m tabmcp_ops.monitor", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    check = sub.add_parser("check", help="run one health check; exit 1 on any alert")
    check.add_argument("--url", default=os.environ.get("TABMCP_LIVE_URL", ""), help="the MCP endpoint (…/mcp)")
    check.add_argument("--out", type=Path, default=Path(".monitor"), help="folder for latency/junit/report/status")
    check.add_argument("--history", type=Path, help="JSON-lines history file to append to (omit: no history)")
    check.add_argument("--probe-timeout", type=float, default=PROBE_TIMEOUT_S, help="seconds for the probe")
    check.add_argument("--pytest-timeout", type=float, default=PYTEST_TIMEOUT_S, help="seconds for the smoke run")
    check.add_argument("--run-url", default=_run_url(), help="link to this workflow run (default: from Actions env)")
    check.add_argument(
        "--skip-share",
        type=float,
        # A string default goes through type=float too, so a bad env value is a clean usage error.
        default=os.environ.get("TABMCP_MONITOR_SKIP_SHARE", str(SKIP_SHARE_LIMIT)),
        help="alert when more than this share of smoke tests skipped in two consecutive runs (default 0.2)",
    )
    check.add_argument(
        "--skip-runs",
        type=int,
        default=os.environ.get("TABMCP_MONITOR_SKIP_RUNS", str(SKIP_RUNS)),
        help="alert when any one smoke test skipped in this many consecutive runs (default 3)",
    )
    check.add_argument("pytest_args", nargs="*", help="extra pytest arguments, after --")
    issue = sub.add_parser("issue", help="open, comment on or close the alert issue with gh")
    issue.add_argument("--status", type=Path, required=True, help="status.json written by check")
    issue.add_argument("--report", type=Path, required=True, help="report.md written by check")
    issue.add_argument("--repo", default=os.environ.get("GITHUB_REPOSITORY"), help="owner/name")
    issue.add_argument("--label", default=ISSUE_LABEL)
    issue.add_argument("--dry-run", action="store_true", help="print the gh commands instead of running them")
    issue.add_argument("--history", type=Path, help="history file to write the tracking issue's number into")
    page = sub.add_parser("page", help="render the history into the self-contained status page (HTML)")
    page.add_argument("history", type=Path, help="the JSON-lines history (a missing file gives a 'no data' page)")
    page.add_argument("out", type=Path, help="the HTML file to write, e.g. .monitor/site/index.html")
    page.add_argument("--url", default="", help="show this endpoint's checks (default: the newest check's URL)")
    page.add_argument("--at", help="render as of this ISO 8601 time (default: now)")
    page.add_argument("--issue-url", default=_issue_url(), help="issue address with {number} (default: this repo's)")
    return parser


def _issue_url() -> str:
    server, repo = os.environ.get("GITHUB_SERVER_URL", "https://github.com"), os.environ.get("GITHUB_REPOSITORY")
    return f"{server}/{repo}/issues/{{number}}" if repo else ""


def _run_url() -> str | None:
    server, repo, run_id = (os.environ.get(k) for k in ("GITHUB_SERVER_URL", "GITHUB_REPOSITORY", "GITHUB_RUN_ID"))
    return f"{server}/{repo}/actions/runs/{run_id}" if server and repo and run_id else None


def main(argv: Sequence[str] | None = None) -> int:
    """CLI entry point; see the module docstring."""
    args = _parser().parse_args(argv)
    try:
        commands = {"check": _check_main, "issue": _issue_main, "page": _page_main}
        return commands[args.command](args)
    except (OSError, ValueError, RuntimeError) as exc:
        print(annotation("error", f"monitor {args.command}: {exc}"))
        return 2


if __name__ == "__main__":
    raise SystemExit(main())
