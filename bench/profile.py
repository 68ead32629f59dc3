"""Where a call's CPU time goes: py-spy over a server process during a 50-in-flight run.

``py-spy record --pid P --format raw`` writes collapsed stacks (``frame;frame;... count``, each frame
``function (file:line)``). Each sample is charged to the category of its innermost frame (self time), and
the tab_mcp functions are listed on their own so a hotspot in our code is visible by name. The parsing and
categorising are pure functions (unit-tested); :func:`start_pyspy` is the only part that runs anything.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from collections import Counter
from collections.abc import Iterable
from pathlib import Path
from typing import Any


def _pkgs(*names: str) -> str:
    """A pattern matching a file inside any of the packages ``names`` (py-spy prints package-relative paths)."""
    return r"(?:^|/)(?:" + "|".join(names) + r")/"


# First match wins; the pattern is searched in the frame's file path.
CATEGORIES: tuple[tuple[str, str], ...] = (
    ("tab_mcp (our code)", _pkgs("tab_mcp")),
    ("bench control tool", _pkgs("bench")),
    ("import machinery (httpcore's per-call `import sniffio` miss)", r"<frozen importlib|_distutils_hack|importlib/"),
    ("httpx/httpcore (upstream client API, httpcore's pool)", _pkgs("httpx", "httpcore", "httpx_aiohttp")),
    ("aiohttp/yarl/multidict (aiohttp's pool, HTTP/1.1 client)", _pkgs("aiohttp", "yarl", "multidict", "propcache")),
    ("pydantic (validation, serialisation)", _pkgs("pydantic", "pydantic_core", "pydantic_settings")),
    ("MCP SDK: HTTP transport", r"(?:^|/)mcp/server/_?(?:streamable_http|transport_security)"),
    ("MCP SDK: dispatch, session, tools", _pkgs("mcp", "mcp_types")),
    ("JSON (stdlib json)", _pkgs("json")),
    (
        "ASGI/HTTP server (uvicorn, h11, starlette, sse)",
        _pkgs("uvicorn", "h11", "starlette", "sse_starlette", "httptools"),
    ),
    ("logging", _pkgs("logging")),
    (
        "event loop, tasks, sockets (asyncio, anyio)",
        _pkgs("asyncio", "anyio") + r"|(?:^|/)(?:selectors|socket|ssl)\.py",
    ),
)
OTHER = "other"
_FRAME = re.compile(r"^(?P<func>.*) \((?P<file>[^()]*?)(?::(?P<line>\d+))?\)$")


def parse_frame(frame: str) -> tuple[str, str]:
    """``"func (file:line)"`` -> ``(func, file)``; a frame without a file gives ``(frame, "")``."""
    match = _FRAME.match(frame.strip())
    if not match:
        return frame.strip(), ""
    return match.group("func"), match.group("file")


def parse_collapsed(lines: Iterable[str]) -> list[tuple[list[str], int]]:
    """Parse py-spy raw (collapsed) output into (frames root-first, sample count) pairs; bad lines are skipped."""
    out = []
    for line in lines:
        stack, _, count = line.rstrip("\n").rpartition(" ")
        if not stack or not count.isdigit():
            continue
        out.append((stack.split(";"), int(count)))
    return out


def category(path: str) -> str:
    """The category of a source file path (see CATEGORIES)."""
    for name, pattern in CATEGORIES:
        if re.search(pattern, path):
            return name
    return OTHER


EVENT_LOOP = CATEGORIES[-1][0]
TAB_MCP = CATEGORIES[0][0]
# Frames every sample has (interpreter start, CLI, uvicorn's run loop): never charged with the work below them.
_ROOT = re.compile(r"<frozen runpy>|(?:^|/)tab_mcp/(?:cli|__main__)\.py|(?:^|/)uvicorn/(?:main|server|_compat)\.py")
_FOLDED = {EVENT_LOOP, OTHER}


def charged_category(frames: list[str]) -> str:
    """The category a sample is charged to: its innermost frame's, except that event-loop and stdlib frames
    are charged to the nearest caller in a named library (anyio socket attributes asked for by httpcore's
    pool count as httpcore; a socket write by uvicorn counts as uvicorn). Only the loop's own work stays."""
    for frame in reversed(frames):
        func, path = parse_frame(frame)
        if _ROOT.search(path) or (path.endswith("bench/controls.py") and func == "main"):
            break
        cat = category(path)
        if cat not in _FOLDED:
            return cat
    return category(parse_frame(frames[-1])[1]) if frames else OTHER


def summarize_profile(stacks: list[tuple[list[str], int]], *, top: int = 8) -> dict[str, Any]:
    """Share of samples per category (self time, and charged to the calling library), plus tab_mcp's hottest
    functions by self and inclusive time; shares are percentages of all samples."""
    total = sum(count for _, count in stacks)
    self_cat: Counter[str] = Counter()
    charged: Counter[str] = Counter()
    ours_self: Counter[str] = Counter()
    ours_incl: Counter[str] = Counter()
    in_tab = 0
    ours = re.compile(CATEGORIES[0][1])
    for frames, count in stacks:
        func, path = parse_frame(frames[-1])
        self_cat[category(path)] += count
        charged[charged_category(frames)] += count
        if ours.search(path):
            ours_self[f"{func} ({path})"] += count
        seen: set[str] = set()
        for frame in frames:
            f_func, f_path = parse_frame(frame)
            if ours.search(f_path) and not _ROOT.search(f_path):
                seen.add(f"{f_func} ({f_path})")
        in_tab += count if seen else 0
        for key in seen:
            ours_incl[key] += count

    def pct(n: int) -> float:
        return round(100 * n / total, 1) if total else 0.0

    return {
        "samples": total,
        "categories": {name: pct(n) for name, n in charged.most_common()},
        "self_categories": {name: pct(n) for name, n in self_cat.most_common()},
        "inside_tab_mcp_pct": pct(in_tab),
        "tab_mcp_self_top": [[name, pct(n)] for name, n in ours_self.most_common(top)],
        "tab_mcp_inclusive_top": [[name, pct(n)] for name, n in ours_incl.most_common(top)],
    }


def pyspy_path() -> str | None:
    """The py-spy executable next to this interpreter, else on PATH, else None."""
    local = Path(sys.executable).parent / "py-spy"
    return str(local) if local.exists() else shutil.which("py-spy")


def start_pyspy(pid: int, out: Path, duration_s: int, rate: int = 200) -> subprocess.Popen[bytes] | None:
    """Start py-spy sampling ``pid`` for ``duration_s`` into ``out`` (raw format); None when py-spy is missing."""
    exe = pyspy_path()
    if exe is None:
        return None
    argv = [exe, "record", "--pid", str(pid), "--rate", str(rate), "--duration", str(duration_s), "--format", "raw",
            "-o", str(out), "--nonblocking"]  # fmt: skip
    return subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def finish_pyspy(proc: subprocess.Popen[bytes], out: Path, timeout: float) -> dict[str, Any]:
    """Wait for py-spy (killing it after ``timeout``) and summarise its output, or say why there is none."""
    try:
        _, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        _, err = proc.communicate(timeout=10)
    if not out.exists() or out.stat().st_size == 0:
        message = err.decode(errors="replace").strip().splitlines()
        return {"status": "n/a", "detail": message[-1] if message else f"py-spy exited {proc.returncode}"}
    with out.open(encoding="utf-8", errors="replace") as fh:
        return {"status": "ok", **summarize_profile(parse_collapsed(fh))}
