"""The default upstream transport (aiohttp's pool behind httpx) against a raw loopback HTTP server.

The server here reads request bytes off the socket, so what it records is exactly what went on the wire:
the request target byte for byte for every tool, the connections opened, and the failures a real network
produces (refused connections, resets, silence, oversized bodies).
"""

from __future__ import annotations

import asyncio
import json

import pytest
from mcp import Client

from tab_mcp import create_server
from tab_mcp.client import TabClient, build_http_client
from tab_mcp.errors import BadResponseError, UpstreamUnavailableError
from tab_mcp.settings import Settings
from tests.helpers.raw_upstream import echo, raw_server, response_bytes
from tests.unit.test_tool_paths import CASES

pytestmark = pytest.mark.anyio


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"  # aiohttp runs on asyncio only, as the server does


@pytest.mark.parametrize(("tool", "args", "expected"), CASES, ids=[f"{c[0]}-{i}" for i, c in enumerate(CASES)])
async def test_every_tool_sends_its_encoded_target_byte_for_byte(tool: str, args: dict[str, object], expected: str):
    async with raw_server() as server:
        settings = Settings(base_url=server.url, client_id="cid", client_secret="secret")  # type: ignore[arg-type]
        # detail="full" (every tool but tab_get takes it) answers with the upstream body unchanged.
        full = args if tool == "tab_get" else {**args, "detail": "full"}
        async with Client(create_server(settings)) as client:
            result = await client.call_tool(tool, full)

    assert not result.is_error, result.content
    assert server.targets == ["/oauth/token", expected]
    assert result.structured_content == {"target": expected}
    assert server.headers[1]["authorization"] == "Bearer tok-raw"
    assert server.headers[1]["host"] == server.url.removeprefix("http://")


async def test_401_replays_once_with_a_fresh_token_over_the_wire() -> None:
    issued = 0

    async def answer(target: str, writer: asyncio.StreamWriter) -> bool:
        nonlocal issued
        if target.startswith("/oauth/token"):
            issued += 1
            body = {"access_token": f"tok-{issued}", "token_type": "Bearer", "expires_in": 10800}
            writer.write(response_bytes(200, json.dumps(body).encode()))
        elif issued == 1:
            writer.write(response_bytes(401, b'{"error": {"code": "UNAUTHORIZED", "message": "expired"}}'))
        else:
            writer.write(response_bytes(200, b'{"ok": true}'))
        return True

    async with raw_server(answer) as server:
        settings = Settings(base_url=server.url, client_id="cid", client_secret="secret")  # type: ignore[arg-type]
        async with build_http_client(settings) as http:
            data = await TabClient(http, settings).get("/v1/tab-info-service/racing/dates", what="the dates")

    assert data == {"ok": True}
    api = [h["authorization"] for t, h in zip(server.targets, server.headers, strict=True) if "oauth" not in t]
    assert api == ["Bearer tok-1", "Bearer tok-2"]


async def test_connections_are_capped_by_max_connections_and_reused() -> None:
    async def slow(target: str, writer: asyncio.StreamWriter) -> bool:
        await asyncio.sleep(0.05)
        return await echo(target, writer)

    async with raw_server(slow) as server:
        settings = Settings(base_url=server.url, max_connections=3)
        async with build_http_client(settings) as http:
            client = TabClient(http, settings)
            for _ in range(3):  # bounded: three bursts of 12 concurrent calls
                await asyncio.gather(*(client.get("/v1/x", what="x") for _ in range(12)))

    assert len(server.targets) == 36
    assert server.connections == 3  # never more than the cap, and kept alive between bursts


async def test_connection_refused_is_an_unavailable_error() -> None:
    async with raw_server() as server:
        url = server.url
    settings = Settings(base_url=url, retry_max_seconds=0)
    async with build_http_client(settings) as http:
        with pytest.raises(UpstreamUnavailableError, match="Could not connect"):
            await TabClient(http, settings).get("/v1/x", what="the dates")


async def test_reset_mid_response_is_retried_then_succeeds() -> None:
    calls = 0

    async def flaky(target: str, writer: asyncio.StreamWriter) -> bool:
        nonlocal calls
        calls += 1
        if calls == 1:
            writer.write(b'HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n{"trunc')
            return False  # close with the body cut short
        return await echo(target, writer)

    async with raw_server(flaky) as server:
        settings = Settings(base_url=server.url)

        async def no_sleep(_s: float) -> None:
            return None

        async with build_http_client(settings) as http:
            data = await TabClient(http, settings, sleep=no_sleep).get("/v1/x", what="x")

    assert data == {"target": "/v1/x"}
    assert calls == 2


async def test_silent_upstream_times_out_within_the_api_timeout() -> None:
    async def silent(_target: str, _writer: asyncio.StreamWriter) -> bool:
        await asyncio.sleep(5)
        return False

    async with raw_server(silent) as server:
        settings = Settings(base_url=server.url, api_timeout=0.3, retry_max_seconds=0)
        async with build_http_client(settings) as http:
            loop = asyncio.get_running_loop()
            started = loop.time()
            with pytest.raises(UpstreamUnavailableError, match="did not answer"):
                await TabClient(http, settings).get("/v1/x", what="x")
            assert loop.time() - started < 2.0


async def test_oversized_chunked_body_is_refused_without_buffering_it() -> None:
    async def huge(_target: str, writer: asyncio.StreamWriter) -> bool:
        writer.write(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n")
        chunk = b"x" * 4096
        for _ in range(64):  # 256 kB, no Content-Length: only the bounded read can stop it
            writer.write(f"{len(chunk):x}\r\n".encode() + chunk + b"\r\n")
        writer.write(b"0\r\n\r\n")
        return True

    async with raw_server(huge) as server:
        settings = Settings(base_url=server.url, max_response_bytes=16384)
        async with build_http_client(settings) as http:
            with pytest.raises(BadResponseError, match="more than 16384 bytes"):
                await TabClient(http, settings).get("/v1/x", what="x")
