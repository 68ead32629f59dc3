"""A dispatched monitor url may only be on TABMCP_LIVE_URL's origin: the secret headers go nowhere else."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tabmcp_ops.monitor.target import TargetRefused, main, resolve_target

ROOT = Path(__file__).resolve().parents[2]
CONFIGURED = "https://mcp.example.com/mcp"


@pytest.mark.parametrize(
    ("dispatched", "expected"),
    [
        ("", CONFIGURED),
        ("   ", CONFIGURED),
        ("https://mcp.example.com/other/mcp", "https://mcp.example.com/other/mcp"),
        ("https://MCP.Example.com:443/mcp?x=1", "https://MCP.Example.com:443/mcp?x=1"),
    ],
)
def test_the_configured_url_or_another_path_on_its_origin_is_checked(dispatched, expected):
    assert resolve_target(dispatched, CONFIGURED) == expected


@pytest.mark.parametrize(
    "dispatched",
    [
        "https://attacker.example/mcp",
        "https://mcp.example.com.attacker.example/mcp",
        "http://mcp.example.com/mcp",  # same host in clear text: the headers would cross the network unencrypted
        "https://mcp.example.com:8443/mcp",
        "https://mcp.example.com@attacker.example/mcp",
        "https://attacker.example\\@mcp.example.com/mcp",
        "https://attacker.example\\.mcp.example.com/mcp",
        "https://mcp.example.com /mcp",
        "https://mcp.example.com\t.attacker.example/",
        "ftp://mcp.example.com/mcp",
        "mcp.example.com/mcp",
        "https://[::1/mcp",
    ],
)
def test_a_dispatched_url_off_the_configured_origin_is_refused(dispatched):
    with pytest.raises(TargetRefused) as refused:
        resolve_target(dispatched, CONFIGURED)
    message = str(refused.value)
    assert message.startswith("The dispatched") and message.endswith(".") and "\n" not in message
    assert "?" not in message and ".com/mcp" not in message, "the message names origins, never paths or queries"


def test_a_dispatched_url_without_a_configured_one_is_refused():
    with pytest.raises(TargetRefused, match="TABMCP_LIVE_URL is not set: set it"):
        resolve_target("https://mcp.example.com/mcp", "")


def test_nothing_configured_and_nothing_dispatched_checks_nothing():
    assert resolve_target("", "") == ""


def test_cli_writes_the_url_for_the_check_step(tmp_path, monkeypatch, capsys):
    output = tmp_path / "github_output"
    monkeypatch.setenv("GITHUB_OUTPUT", str(output))
    assert main(["--dispatched=https://mcp.example.com/v2/mcp", f"--configured={CONFIGURED}"]) == 0
    assert output.read_text() == "url=https://mcp.example.com/v2/mcp\n"
    assert "https://mcp.example.com" in capsys.readouterr().out


def test_cli_refusal_is_one_error_line_and_writes_no_url(tmp_path, monkeypatch, capsys):
    output = tmp_path / "github_output"
    monkeypatch.setenv("GITHUB_OUTPUT", str(output))
    assert main(["--dispatched=https://attacker.example/steal?k=1", f"--configured={CONFIGURED}"]) == 2
    out = capsys.readouterr().out.strip()
    assert out.startswith("::error::The dispatched url's origin https://attacker.example is not the configured")
    assert "\n" not in out and "steal" not in out
    assert not output.exists()


def test_the_check_runs_before_make_setup_on_the_standard_library_alone(tmp_path):
    # The workflow's target step runs before `make setup`: -S keeps every installed package out of reach.
    output = tmp_path / "github_output"
    cmd = [sys.executable, "-S", "-m", "tabmcp_ops.monitor.target", "--dispatched=", f"--configured={CONFIGURED}"]
    env = {"GITHUB_OUTPUT": str(output), "PATH": os.environ.get("PATH", "")}
    done = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, timeout=30, check=False)  # noqa: S603
    assert done.returncode == 0, done.stderr
    assert output.read_text() == f"url={CONFIGURED}\n"
