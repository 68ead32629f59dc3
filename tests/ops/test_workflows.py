"""The workflows can fail, are pinned and least-privileged, and call make targets that exist."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.yml"))
# Shell idioms that make a step pass whatever happened.
UNFAILABLE = [
    (re.compile(r"\|\|\s*true\b"), "|| true"),
    (re.compile(r"\|\|\s*echo\b"), "|| echo"),
    (re.compile(r"\|\|\s*:(\s|$)"), "|| :"),
    (re.compile(r"\|\|\s*exit\s+0\b"), "|| exit 0"),
    (re.compile(r"(^|[;&|\n]\s*)exit(\s+0)?\s*($|[;\n])"), "bare exit / exit 0"),
    (re.compile(r"\bset\s+\+e\b"), "set +e"),
]
SHA_PIN = re.compile(r"^\s*(?:-\s+)?uses:\s+([\w.-]+/[\w./-]+)@([0-9a-f]{40})\s+#\s+v\d+(\.\d+)*\s*$")


def load(path: Path) -> dict[str, Any]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["on"] = data.pop(True, data.get("on"))  # PyYAML reads the bare key `on` as True
    return data


def steps(workflow: dict[str, Any]):
    for job_name, job in workflow["jobs"].items():
        for step in job.get("steps", []):
            yield job_name, job, step


def make_targets() -> set[str]:
    names = set()
    for path in [ROOT / "Makefile", *sorted((ROOT / "mk").glob("*.mk"))]:
        names |= set(re.findall(r"^([a-zA-Z][\w-]*):", path.read_text(encoding="utf-8"), flags=re.MULTILINE))
    return names


def test_the_three_workflows_exist():
    assert [p.name for p in WORKFLOWS] == ["monitor.yml", "release.yml", "test.yml"]


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_no_step_is_unfailable(path):
    workflow = load(path)
    for job_name, job in workflow["jobs"].items():
        assert "continue-on-error" not in job, f"{path.name} job {job_name} uses continue-on-error"
    for job_name, _, step in steps(workflow):
        assert "continue-on-error" not in step, f"{path.name} job {job_name}: {step.get('name')!r}"
        script = step.get("run", "")
        for pattern, label in UNFAILABLE:
            assert not pattern.search(script), f"{path.name} job {job_name}: step {step.get('name')!r} has {label}"


def test_the_unfailable_detector_catches_the_earlier_projects_idioms():
    for script in ["pytest || true", "pytest || echo 'failed'", "ruff check . || :", "exit 0", "x\nexit\n", "set +e"]:
        assert any(p.search(script) for p, _ in UNFAILABLE), script
    for script in ["exit 1", "make test", 'echo "exit 0 is banned"', "if [ -z x ]; then exit 2; fi"]:
        assert not any(p.search(script) for p, _ in UNFAILABLE), script


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_no_expression_is_interpolated_into_a_script(path):
    for job_name, _, step in steps(load(path)):
        assert "${{" not in step.get("run", ""), f"{path.name} job {job_name}: pass expressions through env:"


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_actions_are_pinned_to_full_shas_with_a_version_comment(path):
    uses_lines = [line for line in path.read_text().splitlines() if re.match(r"^\s*(-\s+)?uses:", line)]
    assert uses_lines
    for line in uses_lines:
        assert SHA_PIN.match(line), f"{path.name}: not pinned to a SHA with a # vX comment: {line.strip()}"


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_checkout_never_persists_credentials(path):
    for job_name, _, step in steps(load(path)):
        if step.get("uses", "").startswith("actions/checkout@"):
            assert step.get("with", {}).get("persist-credentials") is False, f"{path.name} job {job_name}"


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_permissions_are_least_privilege(path):
    workflow = load(path)
    assert workflow["permissions"] == {}, "top-level permissions must be empty; jobs add what they need"
    for job_name, job in workflow["jobs"].items():
        perms = job.get("permissions")
        assert isinstance(perms, dict), f"{path.name} job {job_name} must declare its permissions"
        writes = {scope for scope, level in perms.items() if level == "write"}
        allowed = {
            ("release.yml", "release"): {"contents"},
            ("monitor.yml", "alert"): {"issues"},
            ("monitor.yml", "deploy"): {"pages", "id-token"},
        }
        assert writes == allowed.get((path.name, job_name), set()), f"{path.name} job {job_name}: {writes}"


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_every_job_has_a_timeout_and_the_workflow_a_concurrency_group(path):
    workflow = load(path)
    assert workflow["concurrency"]["group"]
    for job_name, job in workflow["jobs"].items():
        assert job.get("timeout-minutes"), f"{path.name} job {job_name} has no timeout"


def test_make_targets_called_by_workflows_exist_and_cover_the_ci_surface():
    called = set()
    for path in WORKFLOWS:
        for _, _, step in steps(load(path)):
            called |= set(re.findall(r"\bmake\s+([a-z][\w-]*)", step.get("run", "")))
    assert called <= make_targets(), f"unknown make targets: {called - make_targets()}"
    required = {
        "lint",
        "unit",
        "smoke",
        "smoke-live",
        "conformance",
        "workflow-lint",
        "audit",
        "monitor-check",
        "mutants",
        "monitor-page",
        "browser-test",
    }
    assert required <= called


def test_test_workflow_triggers_matrix_and_caching():
    workflow = load(ROOT / ".github/workflows/test.yml")
    assert workflow["on"]["push"]["branches"] == ["main", "develop"]
    assert workflow["on"]["pull_request"]["branches"] == ["main", "develop"]
    assert "workflow_dispatch" in workflow["on"]
    assert workflow["concurrency"]["cancel-in-progress"] is True
    test_job = workflow["jobs"]["test"]
    assert test_job["strategy"]["matrix"]["python-version"] == ["3.11", "3.12", "3.13"]
    for _, _, step in steps(workflow):
        if step.get("uses", "").startswith("actions/setup-python@"):
            assert step["with"]["cache"] == "pip"
    codecov = next(s for s in test_job["steps"] if s.get("uses", "").startswith("codecov/"))
    assert "steps.codecov.outputs.configured == 'true'" in codecov["if"]


def test_release_workflow_triggers_and_computed_validation():
    workflow = load(ROOT / ".github/workflows/release.yml")
    assert workflow["on"]["push"]["tags"] == ["v*.*.*"]
    assert workflow["on"]["workflow_dispatch"]["inputs"]["version"]["required"] is True
    assert workflow["concurrency"]["cancel-in-progress"] is False
    release = workflow["jobs"]["release"]
    assert set(release["needs"]) == {"version", "test", "conformance", "security", "build"}
    record = next(s for s in release["steps"] if "NEEDS_JSON" in s.get("env", {}))
    assert record["env"]["NEEDS_JSON"] == "${{ toJSON(needs) }}"
    notes = next(s for s in release["steps"] if "tabmcp_ops.release.notes" in s.get("run", ""))
    assert "--results-json needs.json" in notes["run"]


def test_monitor_workflow_schedule_dispatch_and_jobs():
    workflow = load(ROOT / ".github/workflows/monitor.yml")
    crons = [entry["cron"] for entry in workflow["on"]["schedule"]]
    assert "*/15 * * * *" in crons and len(crons) == 2
    assert "url" in workflow["on"]["workflow_dispatch"]["inputs"]
    assert workflow["concurrency"]["cancel-in-progress"] is False
    health_env = next(s for s in workflow["jobs"]["health"]["steps"] if s.get("id") == "check")["env"]
    assert health_env["LIVE_URL"] == "${{ steps.target.outputs.url }}"
    assert health_env["TABMCP_LIVE_HEADERS"] == "${{ secrets.TABMCP_LIVE_HEADERS }}"
    token = workflow["jobs"]["token"]
    daily = next(c for c in crons if c != "*/15 * * * *")
    assert f"github.event.schedule == '{daily}'" in token["if"]
    assert any("make token-check" in s.get("run", "") for s in token["steps"])


@pytest.mark.parametrize(("job", "step_id"), [("health", "config"), ("token", "creds")])
def test_monitor_jobs_say_not_configured_and_skip_their_steps(job, step_id):
    # A monitor without its URL or secrets must say so, never go green having checked nothing.
    steps_ = load(ROOT / ".github/workflows/monitor.yml")["jobs"][job]["steps"]
    first = next(i for i, s in enumerate(steps_) if s.get("id") == step_id)
    assert "not configured" in steps_[first]["run"] and "GITHUB_STEP_SUMMARY" in steps_[first]["run"]
    condition = f"steps.{step_id}.outputs.configured == 'true'"
    for step in steps_[first + 1 :]:
        assert condition in step.get("if", ""), f"{job}: step {step.get('name') or step.get('uses')} runs unconfigured"


def test_monitor_alert_job_runs_only_after_a_configured_health_check():
    workflow = load(ROOT / ".github/workflows/monitor.yml")
    assert "configured" in workflow["jobs"]["health"]["outputs"]
    assert "needs.health.outputs.configured == 'true'" in workflow["jobs"]["alert"]["if"]


# Secrets that reach the deployment or a TAB account: each lives in a GitHub Environment limited to main
# (DEPLOYMENT.md, "Workflow secrets in environments"), one environment per job that needs it.
ENVIRONMENT_SECRETS = {
    "monitor": {"TABMCP_LIVE_HEADERS"},
    "tab-account": {"TAB_CLIENT_ID", "TAB_CLIENT_SECRET", "TAB_USERNAME", "TAB_PASSWORD"},
}
# Kept as repository secrets on purpose, each use justified by a zizmor ignore comment on its line.
REPOSITORY_SECRETS = {"CODECOV_TOKEN"}
SECRET_REF = re.compile(r"\bsecrets\.([A-Za-z_][A-Za-z0-9_]*)")
ZIZMOR_IGNORE = re.compile(r"#\s*zizmor:\s*ignore\[([\w,-]+)\](.*)$")


def job_secrets(job: dict[str, Any]) -> set[str]:
    return set(SECRET_REF.findall(json.dumps(job)))


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_tab_and_monitor_secrets_are_read_only_inside_their_environment(path):
    for job_name, job in load(path)["jobs"].items():
        for secret in job_secrets(job) - REPOSITORY_SECRETS:
            environment = job.get("environment")
            assert isinstance(environment, dict), f"{path.name} job {job_name} reads {secret} outside an environment"
            assert secret in ENVIRONMENT_SECRETS.get(environment["name"], set()), (
                f"{path.name} job {job_name} reads {secret}, which environment {environment['name']!r} does not hold"
            )
            # A check or a token test is not a deployment: no deployment record every 15 minutes.
            assert environment.get("deployment") is False, f"{path.name} job {job_name}"


def test_every_environment_secret_is_used_and_no_secret_is_unaccounted_for():
    used = set().union(*(job_secrets(job) for path in WORKFLOWS for job in load(path)["jobs"].values()))
    assert used == set().union(*ENVIRONMENT_SECRETS.values()) | REPOSITORY_SECRETS


def test_repository_secrets_and_every_zizmor_ignore_carry_a_reason():
    for path in [*WORKFLOWS, ROOT / ".github" / "dependabot.yml"]:
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            ignore = ZIZMOR_IGNORE.search(line)
            if ignore:
                assert len(ignore.group(2).strip()) >= 10, f"{path.name}:{number}: a zizmor ignore needs a reason"
            if set(SECRET_REF.findall(line)) & REPOSITORY_SECRETS:
                assert ignore and "secrets-outside-env" in ignore.group(1), f"{path.name}:{number}: not justified"


def test_a_dispatched_url_reaches_the_secret_only_through_the_origin_check():
    workflow = load(ROOT / ".github/workflows/monitor.yml")
    assert workflow["on"]["workflow_dispatch"]["inputs"]["url"]["type"] == "string"
    health = workflow["jobs"]["health"]["steps"]
    index = {step.get("id"): i for i, step in enumerate(health)}
    target, check = health[index["target"]], health[index["check"]]
    assert index["target"] < index["check"]
    assert "python -m tabmcp_ops.monitor.target" in target["run"]
    assert target["env"] == {"DISPATCHED_URL": "${{ inputs.url }}", "CONFIGURED_URL": "${{ vars.TABMCP_LIVE_URL }}"}
    assert check["env"]["LIVE_URL"] == "${{ steps.target.outputs.url }}"
    for job_name, _, step in steps(workflow):
        text = json.dumps(step)
        if "inputs.url" in text:
            assert not SECRET_REF.search(text), f"monitor job {job_name}: a step with the dispatched url holds a secret"


def test_workflow_lint_runs_zizmors_auditor_persona():
    recipe = re.search(r"^workflow-lint:.*?\n((?:\t.*\n)+)", (ROOT / "mk/ops.mk").read_text(), flags=re.MULTILINE)
    assert recipe
    zizmor = next(line for line in recipe.group(1).splitlines() if line.strip().startswith("$(BIN)/zizmor "))
    assert "--persona auditor" in zizmor and "--offline" in zizmor


def test_zizmor_auditor_persona_finds_nothing_unjustified():
    # zizmor is a dev dependency (a static binary from PyPI); --offline: no network, about a second.
    zizmor = Path(sys.executable).with_name("zizmor")
    cmd = [str(zizmor), "--offline", "--no-progress", "--persona", "auditor", "--format", "json", ".github"]
    done = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=60, check=False)  # noqa: S603
    findings = json.loads(done.stdout)
    where = [(f["ident"], f["locations"][-1]["concrete"]["location"]["start_point"]["row"] + 1) for f in findings]
    assert where == [], "zizmor findings (rule, line): fix them or add `# zizmor: ignore[rule] reason`"
    assert done.returncode == 0, done.stderr[-2000:]


def test_monitor_status_page_is_rendered_after_every_check_and_published_from_the_default_branch():
    jobs = load(ROOT / ".github/workflows/monitor.yml")["jobs"]
    alert_runs = " ".join(s.get("run", "") for s in jobs["alert"]["steps"])
    assert "--history .monitor/history.jsonl" in alert_runs  # the tracking issue's number goes into the history
    page = jobs["page"]
    assert set(page["needs"]) == {"health", "alert"}
    # A failing check (health exits 1 on any alert) must still update the page.
    assert "!cancelled()" in page["if"] and "needs.health.outputs.configured == 'true'" in page["if"]
    assert any("make monitor-page" in s.get("run", "") for s in page["steps"])
    upload = next(s for s in page["steps"] if s.get("uses", "").startswith("actions/upload-pages-artifact@"))
    assert upload["with"]["path"] == ".monitor/site/"
    assert page["permissions"] == {"contents": "read"}
    deploy = jobs["deploy"]
    assert deploy["needs"] == "page" and "needs.page.result == 'success'" in deploy["if"]
    assert "github.event.repository.default_branch" in deploy["if"]
    assert deploy["environment"]["name"] == "github-pages"
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
    used = [s["uses"].split("@")[0] for s in deploy["steps"]]
    assert used == ["actions/configure-pages", "actions/deploy-pages"]


def test_the_browser_tier_has_its_ci_job_and_keeps_the_screenshots():
    job = load(ROOT / ".github/workflows/test.yml")["jobs"]["browser"]
    assert any("make browser-test" in s.get("run", "") for s in job["steps"])
    keep = next(s for s in job["steps"] if s.get("uses", "").startswith("actions/upload-artifact@"))
    assert keep["with"]["path"] == ".artifacts/browser/" and "!cancelled()" in keep["if"]
