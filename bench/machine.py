"""The machine description the README's Performance section carries next to the table."""

from __future__ import annotations

import os
import platform
from importlib import metadata
from pathlib import Path


def cpu_model(cpuinfo: str) -> str:
    """The first ``model name`` in /proc/cpuinfo text (``unknown`` when absent)."""
    for line in cpuinfo.splitlines():
        key, _, value = line.partition(":")
        if key.strip() == "model name" and value.strip():
            return value.strip()
    return "unknown"


def _version(package: str) -> str:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return "not installed"


def describe() -> dict[str, str | int]:
    """nproc, CPU model, OS, Python and the versions that decide the figures."""
    try:
        cpuinfo = Path("/proc/cpuinfo").read_text(errors="replace")
    except OSError:
        cpuinfo = ""
    try:
        load = " ".join(f"{x:.2f}" for x in os.getloadavg())
    except OSError:
        load = "n/a"
    return {
        "nproc": len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 0),
        "cpu_model": cpu_model(cpuinfo) if cpuinfo else platform.processor() or "unknown",
        "os": f"{platform.system()} {platform.release()}",
        "python": platform.python_version(),
        "mcp": _version("mcp"),
        "httpx": _version("httpx"),
        "httpcore": _version("httpcore"),
        "aiohttp": _version("aiohttp"),
        "yarl": _version("yarl"),
        "httpx-aiohttp": _version("httpx-aiohttp"),
        "sniffio": _version("sniffio"),
        "uvicorn": _version("uvicorn"),
        "pydantic": _version("pydantic"),
        "loadavg_at_start": load,
    }
