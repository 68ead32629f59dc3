"""A raw loopback HTTP/1.1 upstream that reads request bytes off the socket (asyncio streams, no framework).

What it records is exactly what went on the wire: each request's target, headers and body, and the
connections opened. ``answer`` scripts the reply per request, including failures a real network produces
(resets, silence, truncated bodies).
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field

Answer = Callable[[str, asyncio.StreamWriter], Awaitable[bool]]  # (target, writer) -> keep the connection open


def response_bytes(status: int, body: bytes, *, ctype: str = "application/json") -> bytes:
    """A whole HTTP/1.1 response with a Content-Length."""
    head = f"HTTP/1.1 {status} X\r\nContent-Type: {ctype}\r\nContent-Length: {len(body)}\r\n\r\n"
    return head.encode() + body


async def echo(target: str, writer: asyncio.StreamWriter) -> bool:
    """Issue a token on ``/oauth/token``; answer anything else with its own target as JSON."""
    if target.startswith("/oauth/token"):
        body = {"access_token": "tok-raw", "token_type": "Bearer", "expires_in": 10800}
    else:
        body = {"target": target}
    writer.write(response_bytes(200, json.dumps(body).encode()))
    return True


@dataclass
class RawServer:
    """Loopback HTTP/1.1 server that records each request's method, target, headers and body as received."""

    answer: Answer = echo
    methods: list[str] = field(default_factory=list)
    targets: list[str] = field(default_factory=list)
    headers: list[dict[str, str]] = field(default_factory=list)
    bodies: list[bytes] = field(default_factory=list)
    connections: int = 0
    url: str = ""

    def requests(self, method: str, target: str) -> int:
        """How many ``method`` requests reached ``target``."""
        return sum(1 for m, t in zip(self.methods, self.targets, strict=True) if (m, t) == (method, target))

    async def handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.connections += 1
        try:
            for _ in range(1000):  # bounded: at most 1,000 requests per connection
                head = await reader.readuntil(b"\r\n\r\n")
                lines = head.decode("latin-1").split("\r\n")
                method, target = lines[0].split(" ")[:2]
                headers = {k.strip().lower(): v.strip() for k, _, v in (ln.partition(":") for ln in lines[1:] if ln)}
                length = int(headers.get("content-length", "0"))
                body = await reader.readexactly(length) if length else b""
                self.methods.append(method)
                self.targets.append(target)
                self.bodies.append(body)
                self.headers.append(headers)
                keep = await self.answer(target, writer)
                await writer.drain()
                if not keep:
                    break
        except (asyncio.IncompleteReadError, ConnectionError):
            pass
        finally:
            writer.close()


@asynccontextmanager
async def raw_server(answer: Answer = echo) -> AsyncIterator[RawServer]:
    """Serve a :class:`RawServer` on a free loopback port for the block."""
    server = RawServer(answer=answer)
    listener = await asyncio.start_server(server.handle, "127.0.0.1", 0)
    server.url = f"http://127.0.0.1:{listener.sockets[0].getsockname()[1]}"
    try:
        yield server
    finally:
        listener.close()
        await listener.wait_closed()
