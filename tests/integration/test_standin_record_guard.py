"""`make record` without real credentials refuses with one clear line, exits non-zero and changes nothing."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CASSETTES = ROOT / "cassettes"
MESSAGE = "make record: refusing to run: set TAB_CLIENT_ID and TAB_CLIENT_SECRET"


def _digest() -> dict[str, str]:
    return {
        str(p.relative_to(CASSETTES)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(CASSETTES.rglob("*"))
        if p.is_file()
    }


@pytest.mark.parametrize("present", [{}, {"TAB_CLIENT_ID": "someone"}, {"TAB_CLIENT_SECRET": "x" * 8}])
def test_make_record_refuses_without_both_credentials(present: dict[str, str]) -> None:
    make = shutil.which("make")
    assert make, "GNU make is needed to run the project's targets"
    env = {k: v for k, v in os.environ.items() if not k.startswith("TAB_") and not k.startswith("MAKE")}
    before = _digest()
    argv = [make, "-s", "record"]
    result = subprocess.run(  # noqa: S603 - fixed argv
        argv, cwd=ROOT, env={**env, **present}, capture_output=True, text=True, timeout=60, check=False
    )
    assert result.returncode != 0
    refusal = [line for line in result.stderr.splitlines() if line.startswith("make record:")]
    assert len(refusal) == 1 and refusal[0].startswith(MESSAGE), result.stderr
    assert "nothing was changed" in refusal[0]
    assert "pytest" not in result.stdout  # the recorder never started
    assert _digest() == before
