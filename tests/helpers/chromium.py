"""Headless Chromium for the browser tier, driven over the Chrome DevTools Protocol (no browser download).

The browser is the system's: ``TABMCP_CHROMIUM`` when set, else the first of :data:`CANDIDATES` on PATH (Debian's
``chromium``, which ``make browser-setup`` installs; Google Chrome on GitHub's runners). It starts through the
project's process layer with a fresh profile and ``--remote-debugging-port=0``; the port the kernel chose is read
from the profile's ``DevToolsActivePort`` file, and the page target is driven over its websocket (websocket-client).
Every wait is bounded, and the browser is stopped by its PID.

``python -m tests.helpers.chromium`` prints the browser it would use, or exits 1 when there is none (``make
browser-setup`` asks it before installing).
"""

from __future__ import annotations

import base64
import itertools
import json
import os
import shutil
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import websocket

from tabmcp_ops import processes

# Ubuntu's chromium-browser may be a snap shim, so a real Chrome is preferred to it.
CANDIDATES = ("chromium", "google-chrome-stable", "google-chrome", "chromium-browser")
# The flags this machine's closed network needs (no background fetches, no first-run or sync), and a headless GPU.
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
    "--no-default-browser-check",
    "--hide-scrollbars",
)
START_TIMEOUT_S = 30.0
CALL_TIMEOUT_S = 30.0


def find_chromium() -> str | None:
    """The Chromium binary to use: ``TABMCP_CHROMIUM``, else the first candidate on PATH; None when none exists."""
    explicit = os.environ.get("TABMCP_CHROMIUM", "").strip()
    if explicit:
        return explicit if Path(explicit).exists() else None
    return next((path for name in CANDIDATES if (path := shutil.which(name))), None)


class DevTools:
    """One page target over CDP: send a command, get its result (events in between are skipped)."""

    def __init__(self, socket: websocket.WebSocket) -> None:
        self.socket = socket
        self._ids = itertools.count(1)

    def call(self, method: str, **params: Any) -> dict[str, Any]:
        """Send ``method`` and return its ``result``; raise on a protocol error or after :data:`CALL_TIMEOUT_S`."""
        ident = next(self._ids)
        self.socket.send(json.dumps({"id": ident, "method": method, "params": params}))
        deadline = time.monotonic() + CALL_TIMEOUT_S
        while time.monotonic() < deadline:
            message = json.loads(self.socket.recv())
            if message.get("id") != ident:
                continue
            if "error" in message:
                raise RuntimeError(f"{method} failed: {message['error']}")
            return dict(message.get("result", {}))
        raise TimeoutError(f"{method}: no answer in {CALL_TIMEOUT_S:g} s")

    def evaluate(self, expression: str) -> Any:
        """Evaluate a JavaScript expression in the page and return its value (JSON-serialisable values only)."""
        result = self.call("Runtime.evaluate", expression=expression, returnByValue=True)
        if "exceptionDetails" in result:
            raise RuntimeError(f"page script failed: {result['exceptionDetails']}")
        return result["result"].get("value")

    def open(self, url: str, *, width: int = 1280, height: int = 900, mobile: bool = False) -> None:
        """Set the viewport, load ``url`` and wait (bounded) until the document and its layout are complete."""
        metrics = {"width": width, "height": height, "deviceScaleFactor": 2 if mobile else 1, "mobile": mobile}
        self.call("Emulation.setDeviceMetricsOverride", **metrics)
        self.call("Page.navigate", url=url)
        deadline = time.monotonic() + START_TIMEOUT_S
        while self.evaluate("document.readyState") != "complete":
            if time.monotonic() > deadline:
                raise TimeoutError(f"{url} did not finish loading in {START_TIMEOUT_S:g} s")
            time.sleep(0.05)

    def screenshot(self, path: Path) -> Path:
        """Save a PNG of the whole page (beyond the viewport) to ``path``."""
        size = self.evaluate("[document.documentElement.scrollWidth, document.documentElement.scrollHeight]")
        clip = {"x": 0, "y": 0, "width": size[0], "height": size[1], "scale": 1}
        data = self.call("Page.captureScreenshot", format="png", captureBeyondViewport=True, clip=clip)["data"]
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(base64.b64decode(data))
        return path


def _devtools_port(profile: Path, proc: processes.Proc) -> int:
    """Wait (bounded) for Chromium to write the debugging port into its profile."""
    port_file = profile / "DevToolsActivePort"
    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline:
        if port_file.exists() and (lines := port_file.read_text().splitlines()):
            return int(lines[0])
        if proc.popen.poll() is not None:
            break
        time.sleep(0.05)
    raise processes.StartError(f"Chromium did not open its debugging port:\n{proc.tail()}")


@contextmanager
def headless_chromium(binary: str, workdir: Path) -> Iterator[DevTools]:
    """Start ``binary`` headless with a fresh profile under ``workdir``, yield its page, and stop it by PID."""
    profile = workdir / "profile"
    cmd = [binary, *FLAGS, f"--user-data-dir={profile}", "--remote-debugging-port=0", "about:blank"]
    proc = processes.start("chromium", cmd, log_dir=workdir)
    socket: websocket.WebSocket | None = None
    try:
        port = _devtools_port(profile, proc)
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/json/list", timeout=10) as answer:  # nosec B310
            targets = json.load(answer)
        page = next(t for t in targets if t.get("type") == "page")
        # No Origin header: Chromium refuses DevTools websockets from an origin it was not told to allow.
        socket = websocket.create_connection(page["webSocketDebuggerUrl"], timeout=CALL_TIMEOUT_S, suppress_origin=True)
        yield DevTools(socket)
    finally:
        if socket is not None:
            socket.close()
        processes.stop(proc)


if __name__ == "__main__":
    found = find_chromium()
    print(found or "no Chromium found (install Debian's chromium, or set TABMCP_CHROMIUM)")
    sys.exit(0 if found else 1)
