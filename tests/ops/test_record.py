"""tabmcp_ops.record without a recording run: the swap, the refusal, the stamps and what a failure leaves."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from pathlib import Path

import pytest
import yaml

from tabmcp_ops import record

CREDS = {"TAB_CLIENT_ID": "PLACEHOLDER_CLIENT_ID", "TAB_CLIENT_SECRET": "PLACEHOLDER_CLIENT_SECRET"}
ENV = {**CREDS, "TAB_BASE_URL": "http://127.0.0.1:4567"}
HAND_BUILT = "# HAND-BUILT by `python -m tabmcp_ops.cassette_builders`; NOT recorded.\ninteractions: []\nversion: 1\n"


def cassette(uri: str, count: int = 1) -> str:
    interaction = {
        "request": {"method": "GET", "uri": uri, "body": None, "headers": {}},
        "response": {"status": {"code": 200, "message": "OK"}, "headers": {}, "body": {"string": "{}"}},
    }
    return yaml.safe_dump({"interactions": [interaction] * count, "version": 1})


def digest(directory: Path) -> dict[str, str]:
    return {str(p.relative_to(directory)): hashlib.sha256(p.read_bytes()).hexdigest() for p in directory.rglob("*")}


@pytest.fixture
def current(tmp_path: Path) -> Path:
    """A hand-built cassette dir: two cassettes and a README with both generated sections."""
    directory = tmp_path / "cassettes"
    directory.mkdir()
    (directory / "racing.yaml").write_text(HAND_BUILT)
    (directory / "errors.yaml").write_text(HAND_BUILT)
    readme = "# Cassettes\n\n<!-- cassette-provenance:start -->\nhand-built\n<!-- cassette-provenance:end -->\n"
    (directory / "README.md").write_text(
        readme + "\nnotes\n\n<!-- cassette-index:start -->\nold\n<!-- cassette-index:end -->\n"
    )
    return directory


def fake_run(files: Mapping[str, str], code: int = 0):
    def run(target: Path, env: Mapping[str, str], extra: Sequence[str] = ()) -> int:
        for name, text in files.items():
            (target / name).write_text(text)
        return code

    return run


def test_a_green_recording_replaces_the_whole_directory(current, monkeypatch) -> None:
    uri = "http://127.0.0.1:4567/v1/tab-info-service/racing/dates?jurisdiction=NSW"
    monkeypatch.setattr(
        record, "run_recording", fake_run({"racing.yaml": cassette(uri, 3), "sports.yaml": cassette(uri)})
    )
    change = record.record(current, ENV, today="2026-12-01")
    assert sorted(p.name for p in current.iterdir()) == ["README.md", "racing.yaml", "sports.yaml"]
    assert change.added == ("sports.yaml",) and change.removed == ("errors.yaml",)
    assert change.interactions["racing.yaml"] == (0, 3)
    text = (current / "racing.yaml").read_text()
    assert text.splitlines()[0] == (
        "# RECORDED by make record on 2026-12-01 from 127.0.0.1:4567; request URIs rewritten to "
        "https://api.beta.tab.com.au for offline replay; credentials scrubbed."
    )
    uris = {i["request"]["uri"] for i in yaml.safe_load(text)["interactions"]}
    assert uris == {"https://api.beta.tab.com.au/v1/tab-info-service/racing/dates?jurisdiction=NSW"}
    readme = (current / "README.md").read_text()
    assert "**Recorded by `make record` on 2026-12-01 from `127.0.0.1:4567`** (2 cassettes, 4 interactions)" in readme
    assert "| `racing.yaml` | 3 |" in readme and "hand-built\n" not in readme and "notes" in readme
    assert "cassettes removed: errors.yaml" in change.lines()
    assert not [p for p in current.parent.iterdir() if p.name.startswith(".cassettes")]  # no leftovers


@pytest.mark.parametrize(
    "files, code",
    [
        ({"racing.yaml": cassette("https://x/y")}, 1),  # a failed test: the partial recording is discarded
        ({}, 0),  # nothing recorded
        ({"racing.yaml": cassette("https://x/y?access_token=" + "hunter2real")}, 0),  # lint finding
    ],
    ids=["failed-run", "empty", "secret"],
)
def test_a_failed_recording_changes_nothing(current, monkeypatch, files, code) -> None:
    before = digest(current)
    monkeypatch.setattr(record, "run_recording", fake_run(files, code))
    with pytest.raises(record.RecordError):
        record.record(current, ENV)
    assert digest(current) == before
    assert sorted(p.name for p in current.parent.iterdir()) == ["cassettes"]


def test_refusal_without_credentials_runs_nothing(current, monkeypatch, capsys) -> None:
    monkeypatch.setattr(record, "run_recording", pytest.fail)
    for name in record.CREDENTIALS:
        monkeypatch.delenv(name, raising=False)
    before = digest(current)
    assert record.main(["--cassette-dir", str(current)]) == 2
    assert "refusing to run: set TAB_CLIENT_ID and TAB_CLIENT_SECRET" in capsys.readouterr().err
    assert digest(current) == before


def test_recorded_host_never_shows_userinfo() -> None:
    assert record.recorded_host({"TAB_BASE_URL": "https://user:pw@api.example.com"}) == "api.example.com"
    assert record.recorded_host({}) == "api.beta.tab.com.au"


def test_a_failed_swap_puts_the_old_directory_back(current, tmp_path) -> None:
    before = digest(current)
    with pytest.raises(OSError):
        record.swap(tmp_path / "does-not-exist", current)
    assert digest(current) == before


def test_the_recording_run_is_strict_and_never_live(tmp_path, monkeypatch) -> None:
    """A skip records nothing, so the run is strict; a shell's TABMCP_LIVE_URL would make it record nothing."""
    seen: dict[str, object] = {}

    def fake_subprocess_run(cmd, cwd, env, timeout, check):
        seen.update(cmd=cmd, env=env)
        return type("Done", (), {"returncode": 0})()

    monkeypatch.setattr(record.subprocess, "run", fake_subprocess_run)
    env = {**ENV, "TABMCP_LIVE_URL": "http://127.0.0.1:9/mcp", "TABMCP_LIVE_HEADERS": "X-Key: v", "KEEP": "1"}
    assert record.run_recording(tmp_path, env) == 0
    cmd = seen["cmd"]
    assert "--tabmcp-strict" in cmd and "--tabmcp-record-mode=all" in cmd  # type: ignore[operator]
    assert f"--tabmcp-cassette-dir={tmp_path}" in cmd  # type: ignore[operator]
    assert seen["env"] == {**ENV, "KEEP": "1"}
