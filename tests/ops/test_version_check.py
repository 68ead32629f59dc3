"""The release workflow's first gate: the tag must name the version in pyproject.toml."""

from __future__ import annotations

from pathlib import Path

import pytest

from tabmcp_ops.release import version_check


@pytest.fixture
def pyproject(tmp_path: Path) -> Path:
    path = tmp_path / "pyproject.toml"
    path.write_text('[project]\nname = "tab-mcp"\nversion = "1.4.2"\n')
    return path


def test_matching_tag_returns_the_version(pyproject):
    assert version_check.check_tag("v1.4.2", pyproject) == "1.4.2"


@pytest.mark.parametrize(
    ("tag", "message"),
    [
        ("v1.4.3", "does not match the package version 1.4.2"),
        ("1.4.2", "is not of the form vX.Y.Z"),
        ("v1.4", "is not of the form vX.Y.Z"),
        ("release-1.4.2", "is not of the form vX.Y.Z"),
    ],
)
def test_mismatched_or_malformed_tags_are_refused(pyproject, tag, message):
    with pytest.raises(version_check.VersionMismatchError, match=message):
        version_check.check_tag(tag, pyproject)


def test_cli_sets_outputs_and_accepts_a_dispatch_version(pyproject, tmp_path, monkeypatch, capsys):
    gh_output = tmp_path / "out"
    monkeypatch.setenv("GITHUB_OUTPUT", str(gh_output))
    assert version_check.main(["--version", "1.4.2", "--pyproject", str(pyproject)]) == 0
    assert gh_output.read_text() == "version=1.4.2\ntag=v1.4.2\n"
    assert version_check.main(["--tag", "v9.9.9", "--pyproject", str(pyproject)]) == 1
    assert "::error::tag v9.9.9 does not match" in capsys.readouterr().out


def test_the_version_is_read_from_the_hatch_version_source(tmp_path):
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "__init__.py").write_text('"""Doc."""\n\n__version__ = "2.0.1"\n')
    pyproject = tmp_path / "pyproject.toml"
    pyproject.write_text(
        '[project]\nname = "x"\ndynamic = ["version"]\n\n[tool.hatch.version]\npath = "pkg/__init__.py"\n'
    )
    assert version_check.package_version(pyproject) == "2.0.1"
    (tmp_path / "pkg" / "__init__.py").write_text('"""No version here."""\n')
    with pytest.raises(version_check.VersionMismatchError, match="has no __version__"):
        version_check.package_version(pyproject)


def test_a_pyproject_without_any_version_is_refused(tmp_path):
    pyproject = tmp_path / "pyproject.toml"
    pyproject.write_text('[project]\nname = "x"\n')
    with pytest.raises(version_check.VersionMismatchError, match="neither"):
        version_check.package_version(pyproject)


def test_the_repository_version_is_well_formed():
    root = Path(__file__).resolve().parents[2]
    version = version_check.package_version(root / "pyproject.toml")
    assert version_check.check_tag(version_check.tag_for(version), root / "pyproject.toml") == version
    import tab_mcp

    assert version == tab_mcp.__version__
