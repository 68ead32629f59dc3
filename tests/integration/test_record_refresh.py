"""`make record` end to end: record the smoke suite from a loopback stand-in, then replay it offline, green.

Both tests go through the real target (``make record`` -> ``tabmcp_ops.record`` -> pytest in record mode) with
``TAB_BASE_URL`` on the stand-in and ``RECORD_CASSETTE_DIR`` on a temporary copy: the checkout's own
``cassettes/`` is never written.

``DATA_SET`` is the directory the stand-in serves: the second data set ``cassettes-alt/`` (other venues, names,
dates and ids than ``cassettes/``). Recording from it and replaying green, strict, proves the smoke suite asserts
no hand-built value of the primary set and that a recording holds every interaction its replay needs.
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import httpx
import pytest
import yaml

from tabmcp_ops import processes
from tests.helpers.data_sets import ALT, FIXED
from tests.integration.test_contract_drift import _rename_start_time, plant_drift

ROOT = Path(__file__).resolve().parents[2]
DATA_SET = ALT
PLACEHOLDERS = {"TAB_CLIENT_ID": "PLACEHOLDER_CLIENT_ID", "TAB_CLIENT_SECRET": "PLACEHOLDER_CLIENT_SECRET"}
TIMEOUT_S = 600

pytestmark = pytest.mark.slow


def make_record(upstream_url: str, cassette_dir: Path, *record_args: str) -> subprocess.CompletedProcess[str]:
    """Run ``make record`` as an operator would, against ``upstream_url``, into ``cassette_dir``."""
    env = processes.server_env(upstream_url, PLACEHOLDERS)
    # The operator's account, as `make record` with real credentials has it: the password grant test records too.
    env |= {"TAB_USERNAME": "PLACEHOLDER_USERNAME", "TAB_PASSWORD": "PLACEHOLDER_PASSWORD"}
    for name in ("GITHUB_STEP_SUMMARY", "PYTEST_ADDOPTS", "MAKEFLAGS", "MFLAGS"):
        env.pop(name, None)  # the nested pytest must not write this job's summary or inherit --cov
    cmd = ["make", "--no-print-directory", "record", f"RECORD_CASSETTE_DIR={cassette_dir}"]
    if record_args:
        cmd.append(f"RECORD_ARGS={' '.join(record_args)}")
    return subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, timeout=TIMEOUT_S, check=False)  # noqa: S603


def digest(directory: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(directory.iterdir())}


def standin_misses(upstream: processes.Proc) -> list[str]:
    """The requests the stand-in had no cassette for (each one a 599 the recording would have stored)."""
    stats = httpx.get(f"{upstream.url}/__standin/stats", timeout=5.0).json()
    return [*stats.get("missed", []), *(["..."] if stats.get("unmatched_requests") else [])]


def venues(directory: Path) -> set[str]:
    """Every ``venueMnemonic`` in the response bodies of ``directory``'s cassettes."""
    found: set[str] = set()
    for path in directory.glob("*.yaml"):
        for interaction in yaml.safe_load(path.read_text(encoding="utf-8"))["interactions"]:
            found |= set(re.findall(r'"venueMnemonic": ?"(\w+)"', interaction["response"]["body"]["string"] or ""))
    return found


def replay_strict(cassettes: Path, latency: Path) -> subprocess.CompletedProcess[str]:
    """Replay the whole smoke suite offline from ``cassettes``, strict (a skip fails), as ``make smoke`` does."""
    replay = [sys.executable, "-m", "pytest", "-m", "smoke", "--tabmcp-strict", "-p", "no:cacheprovider", "-q"]
    replay += [f"--tabmcp-cassette-dir={cassettes}", f"--tabmcp-latency-json={latency}", "tests/smoke"]
    env = {k: v for k, v in processes.server_env("").items() if k not in ("TAB_BASE_URL", "PYTEST_ADDOPTS")}
    env.pop("GITHUB_STEP_SUMMARY", None)
    return subprocess.run(replay, cwd=ROOT, env=env, capture_output=True, text=True, timeout=TIMEOUT_S, check=False)  # noqa: S603


def test_record_from_the_standin_then_replay_offline_green(tmp_path: Path) -> None:
    cassettes = tmp_path / "repo-cassettes"
    shutil.copytree(ROOT / "cassettes", cassettes)
    never_recorded = {path: digest(path) for path in (FIXED, DATA_SET)}  # the quirk fixtures and the second set
    upstream = processes.start_standin(DATA_SET, log_dir=tmp_path / "logs")
    try:
        recorded = make_record(upstream.url, cassettes)
        missed = standin_misses(upstream)
    finally:
        processes.stop(upstream)
    assert recorded.returncode == 0, recorded.stdout[-4000:] + recorded.stderr[-4000:]
    assert {path: digest(path) for path in never_recorded} == never_recorded
    assert missed == [], f"the recording asked the stand-in for requests the data set lacks: {missed}"
    assert "make record: replaced" in recorded.stdout and "cassettes removed: none" in recorded.stdout
    yamls = sorted(cassettes.glob("*.yaml"))
    assert [p.name for p in yamls] == [
        "errors.yaml",
        "footytab.yaml",
        "oauth.yaml",
        "racing.yaml",
        "results.yaml",
        "sports.yaml",
    ]
    for path in yamls:  # every cassette was replaced: no hand-built file survives beside recorded ones
        text = path.read_text(encoding="utf-8")
        first = text.splitlines()[0]
        assert first.startswith("# RECORDED by make record on ") and " from 127.0.0.1:" in first, path.name
        assert "HAND-BUILT" not in text
        assert "interactions: []" not in text, f"{path.name} recorded nothing"
    # The recorded cassettes hold the second data set's venues, not the primary set's (a real refresh).
    assert venues(cassettes) == venues(DATA_SET) != venues(ROOT / "cassettes")
    readme = (cassettes / "README.md").read_text(encoding="utf-8")
    assert "**Recorded by `make record` on " in readme and "None of these files was recorded" not in readme

    latency = tmp_path / "replay.json"
    result = replay_strict(cassettes, latency)
    assert result.returncode == 0, result.stdout[-4000:]
    report = json.loads(latency.read_text())
    assert report["strict"] is True and report["skipped"] == []
    assert report["drift"] == {"violations": 0, "tools": {}, "tests": []}
    assert len(report["tools"]) >= 20  # the replay called (and contract-checked) the recorded tools


def test_a_failed_recording_leaves_the_cassettes_byte_for_byte(tmp_path: Path) -> None:
    cassettes = tmp_path / "repo-cassettes"
    shutil.copytree(ROOT / "cassettes", cassettes)
    before = digest(cassettes)
    # Upstream drift fails the recording run: contracts gate what gets recorded.
    plant_drift(DATA_SET, tmp_path / "drifted", {"/next-to-go/races": _rename_start_time})
    upstream = processes.start_standin(tmp_path / "drifted", log_dir=tmp_path / "logs")
    try:
        recorded = make_record(upstream.url, cassettes, "-x")
    finally:
        processes.stop(upstream)
    assert recorded.returncode != 0
    assert "the recording run failed (pytest exit 1)" in recorded.stderr
    assert "racing_get_next_to_go: at $.races[*].raceStartTime" in recorded.stdout
    assert digest(cassettes) == before
    assert sorted(p.name for p in tmp_path.iterdir() if "cassettes" in p.name) == ["repo-cassettes"]
