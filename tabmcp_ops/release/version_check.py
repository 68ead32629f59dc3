"""Check that a release tag (``vX.Y.Z``) names the package version.

The version is written once, as ``__version__`` in ``tab_mcp/__init__.py``; ``pyproject.toml`` reads it from
there through hatch's version source (``dynamic = ["version"]``, ``[tool.hatch.version] path``). A static
``[project].version`` is still honoured.

``release.yml`` runs this first, so a tag pushed without bumping the version (or a typo in a dispatch input)
stops the release before anything is built::

    python -m tabmcp_ops.release.version_check --tag v0.2.0
    python -m tabmcp_ops.release.version_check --version 0.2.0      # workflow_dispatch input

It prints the version and, in Actions, sets the outputs ``version`` and ``tag``.
"""

from __future__ import annotations

import argparse
import re
import tomllib
from pathlib import Path

from tabmcp_ops._gha import annotation, set_output

TAG_RE = re.compile(r"^v(?P<version>\d+\.\d+\.\d+(?:(?:a|b|rc)\d+)?(?:\.post\d+)?(?:\.dev\d+)?)$")


class VersionMismatchError(ValueError):
    """The tag is malformed or does not match the package version."""


_VERSION_ASSIGNMENT = re.compile(r"""^__version__\s*=\s*["']([^"']+)["']""", re.MULTILINE)


def package_version(pyproject: Path) -> str:
    """Return the version a pyproject.toml builds: ``[project].version``, or the file hatch reads it from."""
    data = tomllib.loads(pyproject.read_text(encoding="utf-8"))
    project = data.get("project", {})
    if "version" in project:
        return str(project["version"])
    source = data.get("tool", {}).get("hatch", {}).get("version", {}).get("path")
    if "version" not in project.get("dynamic", []) or not source:
        raise VersionMismatchError(f"{pyproject} has neither [project].version nor a [tool.hatch.version] path")
    path = pyproject.parent / source
    match = _VERSION_ASSIGNMENT.search(path.read_text(encoding="utf-8")) if path.is_file() else None
    if match is None:
        raise VersionMismatchError(f'{path} (the [tool.hatch.version] path) has no __version__ = "X.Y.Z" line')
    return match[1]


def tag_for(version: str) -> str:
    """Return the tag a version is released under (``0.2.0`` -> ``v0.2.0``)."""
    return f"v{version.strip().removeprefix('v')}"


def check_tag(tag: str, pyproject: Path) -> str:
    """Return the version when ``tag`` is ``v<version of pyproject>``, else raise :class:`VersionMismatchError`."""
    match = TAG_RE.match(tag.strip())
    if not match:
        raise VersionMismatchError(f"tag {tag!r} is not of the form vX.Y.Z (e.g. v1.2.3)")
    expected = package_version(pyproject)
    if match["version"] != expected:
        raise VersionMismatchError(
            f"tag {tag} does not match the package version {expected} in {pyproject}: "
            f"bump the version (__version__ in tab_mcp/__init__.py) to {match['version']} or tag v{expected}"
        )
    return expected


def main(argv: list[str] | None = None) -> int:
    """CLI entry point; see the module docstring."""
    parser = argparse.ArgumentParser(
        prog="python -m tabmcp_ops.release.version_check", description=__doc__.splitlines()[0]
    )
    which = parser.add_mutually_exclusive_group(required=True)
    which.add_argument("--tag", help="the pushed tag, e.g. v1.2.3")
    which.add_argument("--version", help="a version without the v, e.g. 1.2.3 (dispatch input)")
    parser.add_argument("--pyproject", type=Path, default=Path("pyproject.toml"))
    args = parser.parse_args(argv)
    tag = args.tag if args.tag is not None else tag_for(args.version)
    try:
        version = check_tag(tag, args.pyproject)
    except VersionMismatchError as exc:
        print(annotation("error", str(exc)))
        return 1
    print(version)
    set_output("version", version)
    set_output("tag", tag)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
