"""`make audit` fails on a vulnerability and on an audit that checked nothing."""

from __future__ import annotations

import json
import sys

from tabmcp_ops.audit import main, parse_report, render

REPORT = {
    "dependencies": [
        {"name": "httpx", "version": "0.28.1", "vulns": []},
        {"name": "jinja2", "version": "3.1.2", "vulns": [{"id": "GHSA-xxxx", "fix_versions": ["3.1.3"]}]},
        {"name": "private-pkg", "skip_reason": "Dependency not found on PyPI"},
    ],
    "fixes": [],
}


def test_vulnerabilities_fail_and_are_listed():
    result = parse_report(REPORT)
    assert (result.audited, result.vulns, len(result.skipped)) == (2, [("jinja2", "3.1.2", "GHSA-xxxx", "3.1.3")], 1)
    assert not result.ok
    assert "| jinja2 | 3.1.2 | GHSA-xxxx | 3.1.3 |" in render(result)


def test_clean_audit_passes_and_reports_skips():
    result = parse_report({"dependencies": REPORT["dependencies"][:1] + REPORT["dependencies"][2:]})
    assert result.ok
    text = render(result)
    assert text.startswith("## Dependency audit: ✅") and "private-pkg: Dependency not found on PyPI" in text


def test_an_audit_of_nothing_is_not_a_pass():
    result = parse_report({"dependencies": [REPORT["dependencies"][2]]})
    assert not result.ok and render(result).startswith("## Dependency audit: ❌ nothing could be audited")


def _fake_pip_audit(tmp_path, payload: str):
    script = tmp_path / "pip-audit"
    script.write_text(f"#!{sys.executable}\nimport sys\nsys.stdout.write({payload!r})\n")
    script.chmod(0o755)
    return str(script)


def test_cli_exit_codes(tmp_path, monkeypatch, capsys):
    monkeypatch.delenv("GITHUB_STEP_SUMMARY", raising=False)
    assert main(["--pip-audit", _fake_pip_audit(tmp_path, json.dumps(REPORT))]) == 1
    assert "::error::jinja2 3.1.2: GHSA-xxxx (fixed in 3.1.3)" in capsys.readouterr().out
    clean = {"dependencies": [REPORT["dependencies"][0]]}
    assert main(["--pip-audit", _fake_pip_audit(tmp_path, json.dumps(clean))]) == 0
    assert main(["--pip-audit", _fake_pip_audit(tmp_path, "Traceback: boom")]) == 2
