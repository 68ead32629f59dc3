"""What the container image installs, read from the hash-locked requirements and the Dockerfile's steps.

No Docker engine is needed: the image's packages are the lock files the Dockerfile installs into ``/opt/venv`` plus
the project's own wheel, so reading those two files says what a build would install. ``make lock`` writes the
locks (``requirements/server.txt`` for the server's runtime, ``requirements/build.txt`` for the wheel's build
backend); :func:`stale_requirements` says when ``pyproject.toml`` has moved on since, and
``python -m tabmcp_ops.image_lock`` prints the image's packages and exits 1 when the lock is stale.
"""

from __future__ import annotations

import argparse
import re
import sys
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

SERVER_LOCK = "requirements/server.txt"
BUILD_LOCK = "requirements/build.txt"
IMAGE_VENV = "/opt/venv"
# The environment the lock is resolved for (mk/ops.mk: LOCK_PYTHON, LOCK_PLATFORM): markers are evaluated in it.
LOCK_MARKER_ENV = {"python_version": "3.12", "python_full_version": "3.12.0", "sys_platform": "linux"}
PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==(\S+?)\s*(?:\\)?$")
HASH = re.compile(r"--hash=sha256:([0-9a-f]{64})")


@dataclass
class LockedPackage:
    """One pinned package of a lock: its version, its sha256 hashes and the packages that need it (``# via``)."""

    name: str
    version: str
    hashes: list[str] = field(default_factory=list)
    via: list[str] = field(default_factory=list)


def read_lock(path: Path) -> dict[str, LockedPackage]:
    """Parse a ``uv pip compile --generate-hashes`` file into packages by canonical name."""
    packages: dict[str, LockedPackage] = {}
    current: LockedPackage | None = None
    in_via = False
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        pin = PIN.match(line)
        if pin:
            current = LockedPackage(canonicalize_name(pin.group(1)), pin.group(2))
            packages[current.name] = current
            in_via = False
        elif current is None:
            continue
        elif line.startswith("--hash="):
            current.hashes += HASH.findall(line)
        elif line.startswith("# via"):
            rest = line.removeprefix("# via").strip()
            current.via += [rest] if rest else []
            in_via = not rest
        elif in_via and line.startswith("#   "):
            current.via.append(line.removeprefix("#").strip())
    return packages


def dockerfile_runs(text: str) -> list[str]:
    """Each shell command of the Dockerfile's RUN instructions (continuations joined, split on ``&&``)."""
    joined = re.sub(r"\\\n", " ", text)
    commands: list[str] = []
    for line in joined.splitlines():
        if line.startswith("RUN "):
            commands += [part.strip() for part in line.removeprefix("RUN ").split("&&")]
    return commands


def venv_installs(text: str, venv: str = IMAGE_VENV) -> list[list[str]]:
    """The argv of every ``pip install`` into ``venv`` in the Dockerfile, in order."""
    return [cmd.split() for cmd in dockerfile_runs(text) if cmd.startswith(f"{venv}/bin/pip install ")]


def installed_locks(text: str, venv: str = IMAGE_VENV) -> list[str]:
    """The lock files installed into ``venv`` (the ``-r`` arguments of its pip installs)."""
    locks = []
    for argv in venv_installs(text, venv):
        locks += [argv[i + 1] for i, arg in enumerate(argv[:-1]) if arg in ("-r", "--requirement")]
    return locks


def image_packages(root: Path) -> dict[str, str]:
    """The image's installed distributions (name → version): the locks the Dockerfile installs, and tab-mcp."""
    text = (root / "Dockerfile").read_text(encoding="utf-8")
    packages = {
        name: locked.version for lock in installed_locks(text) for name, locked in read_lock(root / lock).items()
    }
    version = re.search(r'__version__ = "([^"]+)"', (root / "tab_mcp" / "__init__.py").read_text(encoding="utf-8"))
    packages["tab-mcp"] = version.group(1) if version else "?"
    return packages


def stale_requirements(requirements: Iterable[str], locked: dict[str, LockedPackage]) -> list[str]:
    """One line per requirement the lock does not satisfy (missing, or pinned outside the range)."""
    problems = []
    for text in requirements:
        req = Requirement(text)
        if req.marker is not None and not req.marker.evaluate(LOCK_MARKER_ENV):
            continue
        pin = locked.get(canonicalize_name(req.name))
        if pin is None:
            problems.append(f"{req.name} is required ({text}) but not locked")
        elif not req.specifier.contains(pin.version, prereleases=True):
            problems.append(f"{req.name} is locked at {pin.version}, outside {req.specifier}")
    return problems


def lock_problems(root: Path) -> list[str]:
    """What ``make lock`` would change: runtime and build requirements of ``pyproject.toml`` the locks miss."""
    pyproject = tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))
    problems = stale_requirements(pyproject["project"]["dependencies"], read_lock(root / SERVER_LOCK))
    problems += stale_requirements(pyproject["build-system"]["requires"], read_lock(root / BUILD_LOCK))
    return problems


def main(argv: list[str] | None = None) -> int:
    """CLI entry point; see the module docstring."""
    parser = argparse.ArgumentParser(prog="python -m tabmcp_ops.image_lock", description=__doc__.splitlines()[0])
    parser.add_argument("--root", type=Path, default=Path.cwd(), help="the repository root (default: cwd)")
    args = parser.parse_args(argv)
    for name, version in sorted(image_packages(args.root).items()):
        print(f"{name}=={version}")
    problems = lock_problems(args.root)
    for problem in problems:
        print(f"The lock is stale: {problem}; run `make lock`.", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
