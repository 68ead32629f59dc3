"""Settings, .env.example and the documents name the same TAB_* variables, and the contributor docs the same markers."""

from __future__ import annotations

import re
from pathlib import Path

from tab_mcp.settings import JURISDICTIONS, Settings, env_var_name
from tabmcp_ops import envfile
from tabmcp_ops.envvars import markdown_table, render_default, settings_env_vars

ROOT = Path(__file__).resolve().parents[2]
TAB_VAR = re.compile(r"\bTAB_[A-Z0-9_]+\b")
SETTINGS_VARS = {env_var_name(name) for name in Settings.model_fields}


def test_env_vars_come_from_settings_model_fields():
    found = settings_env_vars()
    assert [v.name for v in found] == [env_var_name(n) for n in Settings.model_fields]
    by_name = {v.name: v for v in found}
    assert {n for n, v in by_name.items() if v.secret} == {
        "TAB_CLIENT_ID",
        "TAB_CLIENT_SECRET",
        "TAB_USERNAME",
        "TAB_PASSWORD",
        "TAB_AUTH_TOKENS",
    }
    assert by_name["TAB_JURISDICTION"].choices == JURISDICTIONS
    assert (by_name["TAB_ENABLE_BETTING"].default, by_name["TAB_ALLOWED_HOSTS"].default) == ("false", "")
    assert all(v.description for v in found), "every setting needs a description for the docs"


def test_render_default():
    assert [render_default(v) for v in (None, True, 10.0, 2.5, ["a", "b"], "NSW")] == [
        "",
        "true",
        "10",
        "2.5",
        "a,b",
        "NSW",
    ]


def test_committed_env_example_is_the_generated_one():
    assert (ROOT / ".env.example").read_text(encoding="utf-8") == envfile.render_env_example()


def test_env_example_assigns_every_variable_and_no_secret_value():
    assigned = {}
    for line in (ROOT / ".env.example").read_text().splitlines():
        if line and not line.startswith("#"):
            name, _, value = line.partition("=")
            assigned[name] = value
    assert set(assigned) == SETTINGS_VARS
    for var in settings_env_vars():
        assert assigned[var.name] == ("" if var.secret else var.default)


def test_env_example_loads_into_valid_settings(monkeypatch):
    for line in (ROOT / ".env.example").read_text().splitlines():
        if line and not line.startswith("#"):
            name, _, value = line.partition("=")
            monkeypatch.setenv(name, value)
    settings = Settings()
    assert settings.grant == "none" and settings.base_url == "https://api.beta.tab.com.au"


def test_deployment_table_is_the_generated_one():
    text = (ROOT / "DEPLOYMENT.md").read_text(encoding="utf-8")
    match = re.search(r"<!-- BEGIN env-table[^>]*-->\n(.*?)<!-- END env-table -->", text, flags=re.DOTALL)
    assert match, "DEPLOYMENT.md lost its env-table markers"
    assert match.group(1) == markdown_table()


def test_documents_name_only_real_variables_and_deployment_names_them_all():
    for doc in ("DEPLOYMENT.md", "SECURITY.md", "CONTRIBUTING.md", ".env.example", "smithery.yaml", "Dockerfile"):
        named = set(TAB_VAR.findall((ROOT / doc).read_text(encoding="utf-8")))
        assert named <= SETTINGS_VARS, f"{doc} names variables Settings does not have: {named - SETTINGS_VARS}"
    assert set(TAB_VAR.findall((ROOT / "DEPLOYMENT.md").read_text())) == SETTINGS_VARS


def test_envfile_cli_check_detects_drift(tmp_path, capsys):
    path = tmp_path / ".env.example"
    assert envfile.main(["--write", "--path", str(path)]) == 0
    assert envfile.main(["--check", "--path", str(path)]) == 0
    path.write_text(path.read_text().replace("TAB_LOG_LEVEL=INFO\n", ""))
    assert envfile.main(["--check", "--path", str(path)]) == 1
    assert "out of date" in capsys.readouterr().err
    assert envfile.main(["--markdown"]) == 0
    assert "| `TAB_BASE_URL` |" in capsys.readouterr().out


def test_contributing_documents_every_marker_and_tier_folder():
    from conftest import TIER_BY_FOLDER
    from pytest_tabmcp.markers import MARKERS

    text = (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")
    for line in MARKERS:
        name = re.match(r"[a-z_]+", line).group(0)
        assert f"`{name}" in text, f"CONTRIBUTING.md does not document the {name} marker"
    for folder in TIER_BY_FOLDER:
        assert f"`tests/{folder}/`" in text


def test_security_policy_has_its_sections():
    text = (ROOT / "SECURITY.md").read_text(encoding="utf-8")
    for heading in (
        "## Reporting a vulnerability",
        "## Practices: DO and DON'T",
        "## Secrets management",
        "## Security audit checklist",
        "## Compliance",
        "## Security tools",
        "## Incident response: credential compromise",
        "## Reliability",
    ):
        assert heading in text
    for word in ("bandit", "pip-audit", "zizmor", "gitleaks", "Responsible gambling", "Monthly", "Quarterly"):
        assert word in text


def test_deployment_runbook_has_its_sections():
    text = (ROOT / "DEPLOYMENT.md").read_text(encoding="utf-8")
    for heading in (
        "## Pre-deployment checklist",
        "## Deployment procedure",
        "## How configuration reaches the server",
        "## Environment configuration",
        "## Rollback",
        "## Incident response",
        "## Monitoring and alerts",
        "## Troubleshooting",
    ):
        assert heading in text
    for needle in ("**P0**", "**P1**", "**P2**", "**P3**", "99.9%", "/healthz", "/readyz", "tab-mcp token-status"):
        assert needle in text
