"""The betting guard: ``tab_post`` can place real bets, so it is off, flagged, and kept out of live smoke runs.

- ``tab_post`` refuses unless ``TAB_ENABLE_BETTING=true`` and then sends nothing upstream;
- it is the only tool with ``destructiveHint`` (the token tools lack ``readOnlyHint`` too: they mint a credential);
- any smoke test that calls it carries the ``destructive`` marker, the plugin skips such tests against a
  live server unless ``--tabmcp-allow-destructive`` is given, and the real smoke suite, run live against a
  server that *allows* betting, sends no POST upstream other than the OAuth token request.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

from pytest_tabmcp.standin import StandIn
from tab_mcp.settings import load_settings
from tests.helpers.asgi_upstreams import RecordingApp
from tests.helpers.in_memory import OAUTH_PATH, fuzz_settings, in_memory
from tests.helpers.loopback_servers import CASSETTES, ROOT, cli_server, serve_in_thread, server_env

SMOKE = ROOT / "tests" / "smoke"
BET = {"path": "/v1/betting-service/bets", "body": {"stake": 1, "selection": "WFM R1 #1"}}


@pytest.mark.parametrize("value", [None, "false", "0", "no", "off"])
def test_tab_post_refuses_unless_betting_is_enabled(monkeypatch, value: str | None) -> None:
    monkeypatch.delenv("TAB_ENABLE_BETTING", raising=False)
    if value is not None:
        monkeypatch.setenv("TAB_ENABLE_BETTING", value)
    settings = load_settings(base_url="https://api.beta.tab.com.au", client_id="c", client_secret="s")
    assert settings.enable_betting is False
    with in_memory(settings) as server:
        result, sent = server.call("tab_post", BET)
    assert result.is_error
    text = result.content[0].text
    assert "tab_post is disabled" in text and "TAB_ENABLE_BETTING=true" in text
    assert sent == [], "a refused bet must not reach the upstream, not even the token request"


def test_tab_post_goes_out_once_when_enabled(monkeypatch) -> None:
    monkeypatch.setenv("TAB_ENABLE_BETTING", "true")
    assert load_settings().enable_betting is True
    with in_memory(fuzz_settings(enable_betting=True)) as server:
        result, sent = server.call("tab_post", BET)
    assert not result.is_error, result.content[0].text
    posts = [s for s in sent if s.raw_path != OAUTH_PATH]
    assert [(s.method, s.raw_path) for s in posts] == [("POST", "/v1/betting-service/bets")]


def test_only_tab_post_is_destructive() -> None:
    with in_memory() as server:
        tools = server.portal.call(server.client.list_tools).tools
    hints = {tool.name: tool.annotations for tool in tools}
    assert len(hints) == 28
    post = hints.pop("tab_post")
    assert post is not None and post.destructive_hint is True and not post.read_only_hint
    for name, hint in hints.items():
        assert hint is not None and hint.read_only_hint is (not name.startswith("tab_oauth_")), name
        assert hint.destructive_hint is False, name


def _marks(decorators: list[ast.expr]) -> set[str]:
    names = set()
    for node in ast.walk(ast.Module(body=[ast.Expr(d) for d in decorators], type_ignores=[])):
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Attribute) and node.value.attr == "mark":
            names.add(node.attr)
    return names


def _module_marks(tree: ast.Module) -> set[str]:
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(getattr(t, "id", "") == "pytestmark" for t in node.targets):
            return _marks([node.value])
    return set()


def test_smoke_tests_that_call_tab_post_are_marked_destructive() -> None:
    files = sorted(SMOKE.glob("test_*.py"))
    assert files, "the smoke suite is missing"
    unmarked = []
    for path in files:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        module_marks = _module_marks(tree)
        for node in ast.walk(tree):
            if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) or not node.name.startswith("test"):
                continue
            calls_post = any(
                isinstance(n, ast.Constant) and n.value == "tab_post" and isinstance(p, ast.Call)
                for p in ast.walk(node)
                for n in ast.iter_child_nodes(p)
            )
            if calls_post and "destructive" not in (_marks(node.decorator_list) | module_marks):
                unmarked.append(f"{path.name}::{node.name}")
    assert unmarked == [], f"smoke tests calling tab_post without @pytest.mark.destructive: {unmarked}"


PROBE = """
import pytest


@pytest.mark.destructive
def test_places_a_bet():
    pass


def test_reads():
    pass
"""


@pytest.mark.parametrize(
    ("extra", "outcome"), [((), "1 passed, 1 skipped"), (("--tabmcp-allow-destructive",), "2 passed")]
)
def test_plugin_skips_destructive_tests_live_unless_allowed(
    tmp_path: Path, extra: tuple[str, ...], outcome: str
) -> None:
    (tmp_path / "test_probe.py").write_text(PROBE)
    env = {k: v for k, v in server_env().items() if not k.startswith("TABMCP_")}
    args = [sys.executable, "-m", "pytest", "-q", "-rs", "-p", "no:cacheprovider", "-p", "no:randomly",
            "--live-url", "http://127.0.0.1:9/mcp", *extra, "test_probe.py"]  # fmt: skip
    run = subprocess.run(args, cwd=tmp_path, env=env, capture_output=True, text=True, timeout=60, check=False)  # noqa: S603
    assert run.returncode == 0 and outcome in run.stdout, run.stdout[-2000:] + run.stderr[-2000:]
    if not extra:
        assert "--tabmcp-allow-destructive" in run.stdout, "the skip reason must name the flag"


@pytest.mark.slow
def test_live_smoke_suite_never_posts_upstream(tmp_path: Path) -> None:
    """The real smoke suite, live, against a server that would let tab_post through: no bet leaves."""
    upstream = RecordingApp(StandIn(CASSETTES).app)
    with serve_in_thread(upstream, lifespan="off") as up:
        env = server_env(
            base_url=up.base, client_id="smoke-client", client_secret="smoke-secret", enable_betting="true"
        )
        with cli_server(env, tmp_path / "server.log") as server:
            runner_env = {k: v for k, v in server_env().items() if not k.startswith("TABMCP_")}
            args = [sys.executable, "-m", "pytest", str(SMOKE), "-q", "-p", "no:cacheprovider", "-p", "no:randomly",
                    "-p", "no:xdist", "--live-url", server.url]  # fmt: skip
            run = subprocess.run(  # noqa: S603 - our own interpreter and the repo's smoke suite
                args, cwd=ROOT, env=runner_env, capture_output=True, text=True, timeout=180, check=False
            )
    assert run.returncode == 0, run.stdout[-3000:]
    assert " passed" in run.stdout
    posts = sorted({(s.method, s.raw_path) for s in upstream.seen if s.method != "GET" and s.raw_path != OAUTH_PATH})
    assert posts == [], f"the live smoke suite sent {posts} upstream"
    assert any(s.method == "GET" for s in upstream.seen), "the smoke suite must have reached the upstream"
