"""`make audit` audits the image's locks and fails on a vulnerability, a skipped package or an audit of nothing."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from tabmcp_ops.audit import main, parse_report, render

ROOT = Path(__file__).resolve().parents[2]

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


def test_clean_audit_passes():
    result = parse_report({"dependencies": REPORT["dependencies"][:1]})
    assert result.ok
    assert render(result).startswith("## Dependency audit: ✅")


def test_a_skipped_package_fails_the_audit_and_is_listed_with_its_reason():
    # pip-audit itself exits 0 here; the lock is audited in full or the audit fails.
    result = parse_report({"dependencies": REPORT["dependencies"][:1] + REPORT["dependencies"][2:]})
    assert not result.ok
    text = render(result)
    assert text.startswith("## Dependency audit: ❌ 1 packages could not be audited")
    assert "private-pkg: Dependency not found on PyPI" in text


def test_an_audit_of_nothing_is_not_a_pass():
    result = parse_report({"dependencies": [REPORT["dependencies"][2]]})
    assert not result.ok and render(result).startswith("## Dependency audit: ❌ nothing could be audited")


def _fake_pip_audit(tmp_path, payload: str):
    """A pip-audit stand-in that records its argv next to itself and prints ``payload``."""
    script = tmp_path / "pip-audit"
    argv_file = tmp_path / "argv.json"
    script.write_text(
        f"#!{sys.executable}\nimport json, sys\n"
        f"open({str(argv_file)!r}, 'w').write(json.dumps(sys.argv[1:]))\nsys.stdout.write({payload!r})\n"
    )
    script.chmod(0o755)
    return str(script)


def test_cli_exit_codes(tmp_path, monkeypatch, capsys):
    monkeypatch.delenv("GITHUB_STEP_SUMMARY", raising=False)
    monkeypatch.chdir(ROOT)
    assert main(["--pip-audit", _fake_pip_audit(tmp_path, json.dumps(REPORT))]) == 1
    out = capsys.readouterr().out
    assert "::error::jinja2 3.1.2: GHSA-xxxx (fixed in 3.1.3)" in out
    assert "::error::1 packages could not be audited" in out
    clean = {"dependencies": [REPORT["dependencies"][0]]}
    assert main(["--pip-audit", _fake_pip_audit(tmp_path, json.dumps(clean))]) == 0
    assert main(["--pip-audit", _fake_pip_audit(tmp_path, "Traceback: boom")]) == 2


def test_the_audit_reads_the_image_locks_as_written(tmp_path, monkeypatch, capsys):
    # What the image installs, not the venv running the audit: both locks, hashes required, pip never resolving.
    monkeypatch.delenv("GITHUB_STEP_SUMMARY", raising=False)
    monkeypatch.chdir(ROOT)
    clean = {"dependencies": [REPORT["dependencies"][0]]}
    assert main(["--pip-audit", _fake_pip_audit(tmp_path, json.dumps(clean))]) == 0
    argv = json.loads((tmp_path / "argv.json").read_text())
    locks = [argv[i + 1] for i, arg in enumerate(argv) if arg == "--requirement"]
    assert locks == ["requirements/server.txt", "requirements/build.txt"]
    assert {"--require-hashes", "--disable-pip"} <= set(argv)
    assert "--skip-editable" not in argv and "--local" not in argv


def test_a_missing_lock_is_one_actionable_sentence(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    assert main(["--pip-audit", _fake_pip_audit(tmp_path, "{}")]) == 2
    out = capsys.readouterr().out.strip()
    assert out == (
        "::error::No lock file at requirements/server.txt, requirements/build.txt: "
        "run `make lock` from the repository root."
    )
