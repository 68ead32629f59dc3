"""Release notes: commits since the previous tag on a throwaway git repository, grouping, validation, CLI."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

from tab_mcp.settings import Settings, env_var_name
from tabmcp_ops.envvars import settings_env_vars
from tabmcp_ops.release import notes as release_notes
from tabmcp_ops.release.changelog import commits_since, group_commits, parse_commit, previous_tag, render_changes

GIT_ENV = {
    "GIT_AUTHOR_NAME": "Release Bot",
    "GIT_AUTHOR_EMAIL": "bot@example.invalid",
    "GIT_COMMITTER_NAME": "Release Bot",
    "GIT_COMMITTER_EMAIL": "bot@example.invalid",
    "GIT_CONFIG_GLOBAL": os.devnull,
    "GIT_CONFIG_NOSYSTEM": "1",
}


def git(repo: Path, *args: str) -> str:
    env = {**os.environ, **GIT_ENV}
    cmd = ["git", "-C", str(repo), "-c", "commit.gpgsign=false", "-c", "tag.gpgsign=false", *args]
    return subprocess.run(cmd, check=True, capture_output=True, text=True, env=env).stdout  # noqa: S603


def commit(repo: Path, message: str) -> None:
    git(repo, "commit", "--allow-empty", "-q", "-m", message)


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A repository with releases v0.1.0 and v0.2.0, a pre-release tag, and unreleased commits on top."""
    repo = tmp_path / "repo"
    repo.mkdir()
    git(repo, "init", "-q", "-b", "main")
    commit(repo, "chore: initial import")
    git(repo, "tag", "v0.1.0")
    commit(repo, "feat(racing): add next-to-go races")
    commit(repo, "fix: percent-encode every path segment")
    commit(repo, "docs: deployment runbook")
    commit(repo, "perf!: pool upstream connections")
    commit(repo, "refactor(auth): share one refresh\n\nBREAKING CHANGE: access_token is per call only")
    commit(repo, "Tidy things up")
    git(repo, "tag", "v0.2.0rc1")
    commit(repo, "test: smoke suite for sports")
    commit(repo, "ci: pin actions to SHAs")
    git(repo, "tag", "v0.2.0")
    commit(repo, "feat: monitor workflow")
    commit(repo, "build: hatchling wheel")
    return repo


@pytest.mark.parametrize(
    ("subject", "body", "kind", "scope", "breaking"),
    [
        ("feat(racing): add x", "", "feat", "racing", False),
        ("fix: y", "", "fix", None, False),
        ("perf!: z", "", "perf", None, True),
        ("refactor: r", "BREAKING CHANGE: gone", "refactor", None, True),
        ("Feat: capitalised type", "", "feat", None, False),
        ("build: wheel", "", "ci", None, False),
        ("style: spaces", "", "chore", None, False),
        ("wip: something", "", "other", None, False),
        ("Merge branch 'x'", "", "other", None, False),
        ("feat:missing space", "", "other", None, False),
    ],
)
def test_parse_commit_follows_conventional_commits(subject, body, kind, scope, breaking):
    parsed = parse_commit("a" * 40, subject, body)
    assert (parsed.type, parsed.scope, parsed.breaking) == (kind, scope, breaking)


def test_previous_tag_is_the_highest_final_release_below_the_current_one(repo):
    assert previous_tag(repo, "v0.2.0") == "v0.1.0"  # v0.2.0rc1 is a pre-release, skipped
    assert previous_tag(repo, "v0.3.0") == "v0.2.0"
    assert previous_tag(repo, "v0.1.0") is None  # first release


def test_previous_tag_only_considers_tags_reachable_from_the_ref(repo):
    git(repo, "checkout", "-q", "--orphan", "unrelated")
    commit(repo, "chore: unrelated history")
    assert previous_tag(repo, "v0.3.0", ref="unrelated") is None  # v0.2.0 exists, but not on this history
    assert previous_tag(repo, "v0.3.0", ref="main") == "v0.2.0"


def test_commits_since_previous_tag_are_grouped_by_type(repo):
    commits = commits_since(repo, "v0.1.0", "v0.2.0")
    subjects = [c.subject for c in commits]
    assert "add next-to-go races" in subjects
    assert "initial import" not in subjects  # before v0.1.0
    assert "monitor workflow" not in subjects  # after v0.2.0
    groups = group_commits(commits)
    assert list(groups) == ["feat", "fix", "perf", "docs", "refactor", "test", "ci", "other"]
    assert [c.subject for c in groups["other"]] == ["Tidy things up"]
    assert {c.subject for c in commits if c.breaking} == {"pool upstream connections", "share one refresh"}


def test_commits_since_none_lists_the_whole_history(repo):
    assert len(commits_since(repo, None, "v0.1.0")) == 1


def test_render_changes_lists_breaking_changes_first_with_links(repo):
    text = render_changes(commits_since(repo, "v0.1.0", "v0.2.0"), commit_url="https://x/commit/")
    assert text.index("Breaking changes") < text.index("### Features")
    assert "- **racing:** add next-to-go races ([`" in text
    assert "](https://x/commit/" in text
    assert render_changes([]) == "No changes since the previous release.\n"


def test_validation_is_computed_from_job_results():
    ok = release_notes.compute_validation({"test": "success", "build": "success"})
    assert ok.ok and "✅ Validated" in release_notes.render_validation(ok)

    failed = release_notes.compute_validation({"test": "failure", "build": "success"})
    text = release_notes.render_validation(failed)
    assert not failed.ok
    assert "NOT validated" in text and "test: failure" in text and "❌ failure" in text

    missing = release_notes.compute_validation({"build": "success"}, required=["test", "build"])
    assert not missing.ok and missing.problems == ["test: not run"]
    assert "| `test` | ⚪ not run | yes |" in release_notes.render_validation(missing)

    assert not release_notes.compute_validation({}).ok  # nothing ran: never "validated"


def test_needs_json_and_job_args_are_parsed_strictly():
    needs = json.dumps({"test": {"result": "success", "outputs": {}}, "security": {"result": "skipped", "outputs": {}}})
    assert release_notes.load_needs_json(needs) == {"test": "success", "security": "skipped"}
    assert release_notes.parse_job_args(["test=success", "build=FAILURE"]) == {"test": "success", "build": "failure"}
    with pytest.raises(ValueError, match="NAME=RESULT"):
        release_notes.parse_job_args(["test"])
    with pytest.raises(ValueError, match="result must be one of"):
        release_notes.parse_job_args(["test=green"])
    with pytest.raises(ValueError, match="no valid result"):
        release_notes.load_needs_json('{"test": {"outputs": {}}}')


def test_notes_hold_every_section_and_every_settings_variable(repo):
    notes = release_notes.render_notes(
        version="0.2.0",
        changes_markdown=render_changes(commits_since(repo, "v0.1.0", "v0.2.0")),
        previous="v0.1.0",
        validation=release_notes.compute_validation({"test": "success"}),
        env_vars=settings_env_vars(),
        repo_url="https://github.com/acme/tab-mcp",
        live_url="https://mcp.example.com/mcp",
        run_url="https://github.com/acme/tab-mcp/actions/runs/1",
    )
    for heading in (
        "# tab-mcp v0.2.0",
        "## What's new since `v0.1.0`",
        "## Validation status",
        "## Deploying to Smithery",
        "## Post-deployment checklist",
        "## Environment variables",
        "## Links",
    ):
        assert heading in notes
    assert "pytest -m smoke --live-url https://mcp.example.com/mcp" in notes
    assert "curl -fsS https://mcp.example.com/healthz" in notes
    assert "https://github.com/acme/tab-mcp/compare/v0.1.0...v0.2.0" in notes
    for name in Settings.model_fields:
        assert f"`{env_var_name(name)}`" in notes
    assert "| `TAB_CLIENT_SECRET` | *(unset)* | yes |" in notes
    assert "| `TAB_JURISDICTION` | `NSW` | no |" in notes


def test_cli_writes_notes_and_outputs_for_the_tagged_range(repo, tmp_path, monkeypatch):
    out, gh_output = tmp_path / "notes.md", tmp_path / "gh_output"
    needs = tmp_path / "needs.json"
    needs.write_text(json.dumps({"test": {"result": "success"}, "security": {"result": "failure"}}))
    monkeypatch.setenv("GITHUB_OUTPUT", str(gh_output))
    args = ["--version", "0.2.0", "--ref", "v0.2.0", "--repo-dir", str(repo), "--results-json", str(needs)]
    code = release_notes.main([*args, "--job", "build=success", "--repo", "acme/tab-mcp", "--output", str(out)])
    assert code == 0  # not validated, but --check was not asked for: the draft is still written
    notes = out.read_text()
    assert "add next-to-go races" in notes and "monitor workflow" not in notes
    assert "NOT validated" in notes and "security: failure" in notes
    assert "validated=false" in gh_output.read_text() and "previous_tag=v0.1.0" in gh_output.read_text()

    args = ["--version", "0.2.0", "--ref", "v0.2.0", "--repo-dir", str(repo), "--job", "test=failure", "--check"]
    code = release_notes.main([*args, "--output", str(out)])
    assert code == 1


def test_cli_validated_release_exits_zero_with_check(repo, tmp_path, monkeypatch):
    gh_output = tmp_path / "gh_output"
    monkeypatch.setenv("GITHUB_OUTPUT", str(gh_output))
    args = ["--version", "v0.3.0", "--repo-dir", str(repo), "--job", "test=success", "--check"]
    code = release_notes.main([*args, "--output", str(tmp_path / "n.md")])
    assert code == 0
    assert "validated=true" in gh_output.read_text()
    assert "## What's new since `v0.2.0`" in (tmp_path / "n.md").read_text()


def test_cli_rejects_a_bad_job_result(repo, capsys):
    assert release_notes.main(["--version", "0.2.0", "--repo-dir", str(repo), "--job", "test=ok"]) == 2
    assert "::error::" in capsys.readouterr().out
