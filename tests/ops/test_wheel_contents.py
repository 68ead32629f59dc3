"""The wheel is the product: ``tab_mcp`` and ``pytest_tabmcp`` only, never the repository's ops tooling or tests."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_the_wheel_holds_tab_mcp_and_pytest_tabmcp_only(tmp_path: Path) -> None:
    # --no-isolation: the backend (hatchling) is in the dev venv, so the build needs no network.
    cmd = [sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", str(tmp_path), str(ROOT)]
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=120, check=False)  # noqa: S603
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    (wheel,) = tmp_path.glob("tab_mcp-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    top = {name.split("/", 1)[0] for name in names}
    assert {t for t in top if not t.endswith(".dist-info")} == {"tab_mcp", "pytest_tabmcp"}
    # The stand-in ships with the plugin (its console commands point into it); the ops tooling does not.
    assert "pytest_tabmcp/standin/serve.py" in names and "tab_mcp/cli.py" in names
    assert not [n for n in names if n.startswith(("tabmcp_ops/", "bench/", "tests/", "scripts/", "cassettes"))]
    entry_points = next(n for n in names if n.endswith(".dist-info/entry_points.txt"))
    commands = zipfile.ZipFile(wheel).read(entry_points).decode()
    assert "tabmcp-standin = pytest_tabmcp.standin.serve:main" in commands
    assert "tabmcp-upstream = pytest_tabmcp.standin.serve:main" in commands
