"""Connection bounds of ``tab-mcp serve --transport http``, probed with raw sockets.

One server process runs with a short request deadline and a small connection cap. A socket that sends
nothing, one that drips its headers and one that drips its body are each closed within the deadline (the
latter two with a 408), while other clients are served meanwhile; beyond the cap a request gets a 503 with
``Retry-After`` and a sentence naming the limit, and a freed slot serves again. Bounds on the waiting are
generous (the machine may be loaded); what must hold is that the server, not the client, ends the connection.
"""

from __future__ import annotations

import contextlib
import select
import socket
import time
import urllib.request
from collections.abc import Iterator

import pytest

from tabmcp_ops import processes

DEADLINE_S = 1.5
MAX_CONNECTIONS = 6
SLACK_S = 6.0  # a loaded machine may be slow to run the timer; a missing bound would hang until the test gives up
DRIP_INTERVAL_S = 0.2


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, int]]:
    bounds = {"TAB_HTTP_REQUEST_TIMEOUT": str(DEADLINE_S), "TAB_HTTP_MAX_CONNECTIONS": str(MAX_CONNECTIONS)}
    proc = processes.start_server("http://127.0.0.1:1", log_dir=tmp_path_factory.mktemp("bounds"), extra_env=bounds)
    port = int(proc.url.rsplit(":", 1)[1].split("/")[0])
    try:
        yield ("127.0.0.1", port)
    finally:
        processes.stop(proc)


def healthz_ok(address: tuple[str, int]) -> bool:
    """A well-behaved client on its own connection is served."""
    with urllib.request.urlopen(f"http://{address[0]}:{address[1]}/healthz", timeout=10) as response:
        return bool(response.status == 200)


@contextlib.contextmanager
def raw_socket(address: tuple[str, int]) -> Iterator[socket.socket]:
    sock = socket.create_connection(address, timeout=10)
    try:
        yield sock
    finally:
        sock.close()


def read_until_closed(sock: socket.socket, *, within: float) -> bytes:
    """Everything the server sends until it closes the connection; fails if it is still open after ``within``."""
    received = b""
    end = time.monotonic() + within
    while time.monotonic() < end:  # bounded by ``within``
        ready, _, _ = select.select([sock], [], [], max(0.0, end - time.monotonic()))
        if not ready:
            break
        try:
            chunk = sock.recv(65536)
        except ConnectionResetError:
            return received
        if not chunk:
            return received
        received += chunk
    pytest.fail(f"the server kept the connection open for more than {within:g} s (received {received[:80]!r})")


def read_response(sock: socket.socket) -> bytes:
    """One whole response to a GET (head and its Content-Length body), which may arrive in several segments."""
    sock.settimeout(SLACK_S)
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = sock.recv(65536)
        if not chunk:
            return data
        data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    length = next(
        (int(line.split(b":", 1)[1]) for line in head.lower().split(b"\r\n") if line.startswith(b"content-length:")), 0
    )
    while len(body) < length:
        chunk = sock.recv(65536)
        if not chunk:
            break
        body += chunk
    return head + b"\r\n\r\n" + body


def drip(sock: socket.socket, data: bytes, address: tuple[str, int]) -> tuple[bytes, float, bool]:
    """Send ``data`` a byte every interval until the server closes; return its answer, the time taken, and
    whether another client was served while this one dripped."""
    started = time.monotonic()
    served_meanwhile = False
    for index in range(len(data)):  # bounded: one byte per step
        try:
            sock.sendall(data[index : index + 1])
        except (BrokenPipeError, ConnectionResetError):
            break
        ready, _, _ = select.select([sock], [], [], DRIP_INTERVAL_S)
        if ready:
            break
        if index == 2:
            served_meanwhile = healthz_ok(address)
        if time.monotonic() - started > DEADLINE_S + SLACK_S:
            pytest.fail("the server let a dripping client hold its connection past the bound")
    answer = read_until_closed(sock, within=DEADLINE_S + SLACK_S)
    return answer, time.monotonic() - started, served_meanwhile


def test_an_idle_connection_is_closed_within_the_bound_while_others_are_served(server) -> None:
    with raw_socket(server) as idle:
        started = time.monotonic()
        assert healthz_ok(server)
        answer = read_until_closed(idle, within=DEADLINE_S + SLACK_S)
        waited = time.monotonic() - started

    assert answer == b"", "nothing was asked, so nothing is answered: the connection is just closed"
    assert DEADLINE_S * 0.5 <= waited <= DEADLINE_S + SLACK_S, waited


def test_dripping_headers_are_cut_off_with_a_408(server) -> None:
    head = f"GET /healthz HTTP/1.1\r\nHost: {server[0]}:{server[1]}\r\nX-Padding: {'a' * 200}\r\n\r\n".encode()
    with raw_socket(server) as slow:
        answer, waited, served = drip(slow, head, server)

    assert answer.startswith(b"HTTP/1.1 408 "), answer[:120]
    assert b"TAB_HTTP_REQUEST_TIMEOUT" in answer and b"connection: close" in answer.lower()
    assert DEADLINE_S * 0.5 <= waited <= DEADLINE_S + SLACK_S, waited
    assert served, "another client was not served while one dripped its headers"


def test_a_dripping_body_is_cut_off_with_a_408(server) -> None:
    body = b'{"jsonrpc": "2.0", "id": 1, "method": "ping", "params": {"padding": "' + b"a" * 300 + b'"}}'
    head = (
        f"POST /mcp HTTP/1.1\r\nHost: {server[0]}:{server[1]}\r\nContent-Type: application/json\r\n"
        f"Accept: application/json, text/event-stream\r\nContent-Length: {len(body)}\r\n\r\n"
    ).encode()
    with raw_socket(server) as slow:
        slow.sendall(head)
        answer, waited, served = drip(slow, body, server)

    assert answer.startswith(b"HTTP/1.1 408 "), answer[:120]
    assert DEADLINE_S * 0.5 <= waited <= DEADLINE_S + SLACK_S, waited
    assert served, "another client was not served while one dripped its body"


def test_a_request_beyond_the_connection_cap_gets_503_and_a_freed_slot_serves_again(server) -> None:
    request = f"GET /healthz HTTP/1.1\r\nHost: {server[0]}:{server[1]}\r\n\r\n".encode()
    with contextlib.ExitStack() as stack:
        held = [stack.enter_context(raw_socket(server)) for _ in range(MAX_CONNECTIONS)]
        for sock in held:  # each completes a request and stays open (keep-alive), filling the cap
            sock.sendall(request)
            assert read_response(sock).startswith(b"HTTP/1.1 200 ")
        with raw_socket(server) as extra:
            extra.sendall(request)
            refused = read_until_closed(extra, within=SLACK_S)
        held.pop().close()
        time.sleep(0.2)  # let the server see the close
        with raw_socket(server) as next_one:
            next_one.sendall(request)
            served = read_response(next_one)

    assert refused.startswith(b"HTTP/1.1 503 "), refused[:120]
    assert b"retry-after: 1" in refused.lower()
    assert f"its limit of {MAX_CONNECTIONS} connections (TAB_HTTP_MAX_CONNECTIONS)".encode() in refused
    assert served.startswith(b"HTTP/1.1 200 "), served[:120]


def test_a_complete_request_is_not_cut_by_the_deadline_while_the_connection_idles(server) -> None:
    # The deadline covers receiving a request, not the keep-alive idle time after it (uvicorn's own bound).
    request = f"GET /healthz HTTP/1.1\r\nHost: {server[0]}:{server[1]}\r\n\r\n".encode()
    with raw_socket(server) as client:
        client.sendall(request)
        assert read_response(client).startswith(b"HTTP/1.1 200 ")
        time.sleep(DEADLINE_S + 0.5)
        client.sendall(request)
        assert read_response(client).startswith(b"HTTP/1.1 200 ")
