"""No secret reaches a committed cassette: the real cassettes are clean, and every kind of planted secret is found."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
import yaml

from pytest_tabmcp.cassette_lint import Finding, lint_paths, lint_text, main
from tests.helpers.data_sets import FIXED

CASSETTES = Path(__file__).resolve().parents[2] / "cassettes"
# Built at run time so the test file itself holds nothing that looks like a credential to a scanner.
TOKEN = "tk" + "9Zq" * 10
JWT = "eyJ" + "hbGciOiJIUzI1NiJ9" + "." + "eyJzdWIiOiIxMjMifQ" + "." + "c2lnbmF0dXJl"
SECRET = "s3" + "Kr" * 8


ROOT = CASSETTES.parent
EVERY_SET = [CASSETTES, ROOT / "cassettes-alt", ROOT / "tests" / "unit" / "quirks" / "cassettes"]


def test_real_cassettes_are_clean() -> None:
    # All three sets the builder writes: the primary, the second data set and the quirk fixtures.
    assert lint_paths(EVERY_SET) == []  # with whatever TAB_* the environment holds right now


def test_cli_passes_on_the_real_cassettes(capsys: pytest.CaptureFixture[str]) -> None:
    assert main([str(CASSETTES)]) == 0
    assert "6 file(s) clean" in capsys.readouterr().out


@pytest.fixture
def copy(tmp_path: Path) -> Path:
    target = tmp_path / "cassettes"
    shutil.copytree(FIXED, target)  # the hand-built files, whose fields the plants below rely on
    return target


def _edit(path: Path, edit) -> None:
    """Load a cassette, change it, and write it back the way vcrpy would (default PyYAML style)."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    edit(data["interactions"])
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")


def _set_body(interaction: dict, payload: dict) -> None:
    interaction["response"]["body"]["string"] = json.dumps(payload)


PLANTS = {
    "bearer-token": lambda items: items[1]["request"]["headers"].update(Authorization=[f"Bearer {TOKEN}"]),
    "jwt": lambda items: _set_body(items[0], {"id_token_hint": JWT, "token_type": "Bearer"}),
    "client-secret": lambda items: items[0]["request"].update(
        body=f"grant_type=client_credentials&client_id=PLACEHOLDER_CLIENT_ID&client_secret={SECRET}"
    ),
    "password": lambda items: items[1]["request"].update(
        body=f"grant_type=password&client_id=a&client_secret=PLACEHOLDER_X&username=1234&password={SECRET}"
    ),
    # A long body: PyYAML folds it across lines, and the scan must still see the key and its value.
    "access-token": lambda items: _set_body(
        items[0], {"token_type": "Bearer", "expires_in": 10800, "note": "x " * 60, "access_token": TOKEN}
    ),
    "refresh-token": lambda items: _set_body(items[1], {"access_token": "placeholder-a", "refresh_token": TOKEN}),
}


@pytest.mark.parametrize("kind", sorted(PLANTS))
def test_each_planted_kind_is_found(copy: Path, kind: str, capsys: pytest.CaptureFixture[str]) -> None:
    target = copy / "oauth.yaml"
    _edit(target, PLANTS[kind])
    findings = lint_paths([copy], env={})
    assert kind in {f.kind for f in findings}
    assert {f.path for f in findings} == {str(target)}
    assert all(f.line > 0 for f in findings)
    assert main([str(copy)]) == 1
    out = capsys.readouterr()
    assert "oauth.yaml:" in out.out and kind in out.out
    assert TOKEN not in out.out + out.err and SECRET not in out.out + out.err and JWT not in out.out + out.err


def test_tab_env_value_is_found_only_when_set(copy: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    leaked = "Zx" + "7w" * 6 + "&/"  # also checks the URL-encoded form
    target = copy / "racing.yaml"
    text = target.read_text(encoding="utf-8")
    target.write_text(text.replace('"raceName": "SKY RACING PLATE"', f'"raceName": "{leaked}"', 1), encoding="utf-8")
    form = copy / "errors.yaml"
    form.write_text(form.read_text(encoding="utf-8") + "# client_note=Zx7w7w7w7w7w7w%26%2F\n", encoding="utf-8")
    monkeypatch.delenv("TAB_CLIENT_SECRET", raising=False)
    assert lint_paths([copy]) == []
    monkeypatch.setenv("TAB_CLIENT_SECRET", leaked)
    findings = lint_paths([copy])
    assert {(Path(f.path).name, f.kind) for f in findings} == {
        ("racing.yaml", "env:TAB_CLIENT_SECRET"),
        ("errors.yaml", "env:TAB_CLIENT_SECRET"),
    }


def test_placeholders_and_configuration_values_are_not_findings() -> None:
    text = "\n".join(
        [
            "a: Bearer placeholder-access-token-0123456789abcdef",
            "b: client_secret=PLACEHOLDER_CLIENT_SECRET&password=REDACTED",
            'c: \'{"access_token": "standin-token-12", "refresh_token": "offline-refresh-0001"}\'',
            "d: https://api.beta.tab.com.au/v1/tab-info-service/racing/dates?jurisdiction=NSW",
            'e: \'{"token_type": "Bearer", "enable": false}\'',
        ]
    )
    env = {"TAB_BASE_URL": "https://api.beta.tab.com.au", "TAB_ENABLE_BETTING": "false", "TAB_CLIENT_ID": "offline-id"}
    assert lint_text(text, "x.yaml", env) == []


def test_findings_print_as_file_line_kind() -> None:
    assert str(Finding("c/x.yaml", 3, "jwt", "40 chars")) == "c/x.yaml:3: jwt (40 chars)"


def test_cli_missing_path_exits_2(tmp_path: Path) -> None:
    assert main([str(tmp_path / "nope")]) == 2
