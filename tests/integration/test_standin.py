"""The stand-in over real loopback HTTP: matching, OAuth, faults, counters, control API, CLI."""

from __future__ import annotations

import asyncio
import email.utils
import json
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from pytest_tabmcp.standin import FaultSpecError, StandInHandle, is_loopback, main, parse_fault, run_standin
from pytest_tabmcp.standin.cassettes import canonical_path
from tests.helpers.data_sets import FIXED

ROOT = Path(__file__).resolve().parents[2]
CASSETTES = FIXED  # the hand-built interactions, never re-recorded (cassettes/ may hold recordings)
INFO = "/v1/tab-info-service"
TENNIS = f"{INFO}/sports/Tennis/competitions/ATP/tournaments/ATP%20Munich"
DOUBLES = f"{TENNIS}/matches/Ebden%2FPurcell%20v%20Granollers%2FZeballos"
DATES = f"{INFO}/racing/dates?jurisdiction=NSW"
SPORTS = f"{INFO}/sports?jurisdiction=NSW"
CC_FORM = {"grant_type": "client_credentials", "client_id": "PLACEHOLDER_CLIENT_ID", "client_secret": "PLACEHOLDER_X"}


@pytest.fixture(scope="module")
def standin_server() -> Iterator[StandInHandle]:
    """The conftest's stand-in, over the fixed hand-built interactions these tests address by name."""
    with run_standin(CASSETTES) as handle:
        yield handle


@pytest.fixture
def handle(standin: StandInHandle) -> StandInHandle:
    """The integration tier's shared stand-in (tests/integration/conftest.py), reset around every test."""
    return standin


@pytest.fixture
def client(handle: StandInHandle) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=handle.url, timeout=5.0) as c:
        yield c


def _wait_until(predicate, timeout: float = 3.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.02)
    return predicate()


# ----- matching -------------------------------------------------------------------------------------------


def test_encoded_slash_stays_one_segment(client: httpx.Client) -> None:
    response = client.get(f"{DOUBLES}?jurisdiction=NSW")
    assert response.status_code == 200
    assert response.json()["name"] == "Ebden/Purcell v Granollers/Zeballos"
    decoded = DOUBLES.replace("Ebden%2FPurcell", "Ebden/Purcell")
    missing = client.get(f"{decoded}?jurisdiction=NSW")
    assert missing.status_code == 599  # never TAB's 404: a miss must not pass for an absent resource
    error = missing.json()["error"]
    assert error["code"] == "STANDIN_NO_CASSETTE"
    assert error["message"] == f"stand-in has no cassette interaction for GET {decoded}?jurisdiction=NSW"


def test_misses_are_counted_and_named_in_the_stats(client: httpx.Client, handle: StandInHandle) -> None:
    assert client.get(f"{INFO}/racing/dates/2026-09-23/meetings/R/NOPE/races?jurisdiction=NSW").status_code == 599
    assert client.get(DATES).status_code == 200
    stats = client.get("/__standin/stats").json()
    assert stats["unmatched_requests"] == 1
    assert stats["missed"] == [f"GET {INFO}/racing/dates/2026-09-23/meetings/R/NOPE/races?jurisdiction=NSW"]
    assert handle.stats["missed"] == stats["missed"]


def test_query_order_does_not_matter_but_content_does(client: httpx.Client) -> None:
    reordered = client.get(f"{INFO}/racing/next-to-go/races?includeRecentlyClosed=true&maxRaces=5&jurisdiction=NSW")
    assert reordered.status_code == 200
    races = reordered.json()["races"]
    assert len(races) == 5 and races[0]["raceStatus"] == "Interim"
    assert client.get(f"{INFO}/racing/next-to-go/races?jurisdiction=NSW&maxRaces=7").status_code == 599
    assert client.get(f"{INFO}/racing/dates?jurisdiction=NSW&jurisdiction=VIC").status_code == 599


def test_equivalent_encodings_match_and_repeats_are_served(client: httpx.Client) -> None:
    raw_parens = (
        f"{INFO}/racing/dates/today/meetings/G/Star%20Pelaw%20(GBR)/races/STAR%20PELAW%20R08%2022%2F09%20PLC%201-2"
    )
    response = client.get(raw_parens, params={"fixedOdds": "true", "jurisdiction": "NSW"})
    assert response.status_code == 200
    assert response.json()["matchName"] == "STAR PELAW R08 22/09 PLC 1-2"
    assert [client.get(DATES).status_code for _ in range(3)] == [200, 200, 200]


def test_canonical_paths_fold_equivalent_escapes_only() -> None:
    assert canonical_path("/m/Star%20Pelaw%20(GBR)") == canonical_path("/m/Star%20Pelaw%20%28GBR%29")
    assert canonical_path("/m/C%c3%89LESTE") == canonical_path("/m/C%C3%89LESTE")
    assert canonical_path("/m/Ebden%2FPurcell") != canonical_path("/m/Ebden/Purcell")


def test_recorded_errors_replay_with_their_status(client: httpx.Client) -> None:
    response = client.get(f"{INFO}/racing/dates?jurisdiction=WA")
    assert response.status_code == 400
    assert response.json()["error"]["details"][0]["path"] == "query.jurisdiction"


# ----- OAuth ----------------------------------------------------------------------------------------------


def test_oauth_grants_and_errors(handle: StandInHandle, client: httpx.Client) -> None:
    handle.standin.token_ttl = 120
    try:
        first = client.post("/oauth/token", data=CC_FORM).json()
        password = client.post(
            "/oauth/token", data={**CC_FORM, "grant_type": "password", "username": "u", "password": "p"}
        )
    finally:
        handle.standin.token_ttl = 10800
    assert first["token_type"] == "Bearer" and first["expires_in"] == 120
    assert first["access_token"].startswith("standin-token-") and "refresh_token" not in first
    refresh_token = password.json()["refresh_token"]
    refreshed = client.post(
        "/oauth/token", data={**CC_FORM, "grant_type": "refresh_token", "refresh_token": refresh_token}
    )
    assert refreshed.status_code == 200
    numbers = [int(t["access_token"].rsplit("-", 1)[1]) for t in (first, password.json(), refreshed.json())]
    assert numbers == sorted(numbers) and len(set(numbers)) == 3
    unsupported = client.post("/oauth/token", data={**CC_FORM, "grant_type": "implicit"})
    assert (unsupported.status_code, unsupported.json()["error"]) == (400, "unsupported_grant_type")
    no_secret = client.post("/oauth/token", data={"grant_type": "client_credentials", "client_id": "x"})
    assert (no_secret.status_code, no_secret.json()["error"]) == (401, "invalid_client")
    as_json = client.post("/oauth/token", json=CC_FORM)
    assert (as_json.status_code, as_json.json()["error"]) == (400, "invalid_request")
    bad_refresh = client.post("/oauth/token", data={**CC_FORM, "grant_type": "refresh_token", "refresh_token": "nope"})
    assert (bad_refresh.status_code, bad_refresh.json()["error"]) == (400, "invalid_grant")
    assert handle.stats["oauth_requests"] == 7


def test_require_auth_gives_401_until_the_current_token_is_sent(handle: StandInHandle, client: httpx.Client) -> None:
    handle.standin.require_auth = True
    assert client.get(DATES).status_code == 401
    assert client.get(DATES).json()["error"]["code"] == "UNAUTHORIZED"
    old = client.post("/oauth/token", data=CC_FORM).json()["access_token"]
    assert client.get(DATES, headers={"Authorization": f"Bearer {old}"}).status_code == 200
    new = client.post("/oauth/token", data=CC_FORM).json()["access_token"]
    assert client.get(DATES, headers={"Authorization": f"Bearer {old}"}).status_code == 401  # stale
    assert client.get(DATES, headers={"Authorization": f"Bearer {new}"}).status_code == 200
    assert client.post("/__standin/revoke-tokens").status_code == 200
    assert client.get(DATES, headers={"Authorization": f"Bearer {new}"}).status_code == 401


# ----- faults ---------------------------------------------------------------------------------------------


def test_status_fault_with_retry_after_seconds(handle: StandInHandle, client: httpx.Client) -> None:
    handle.set_faults("status=429,retry-after=2")
    response = client.get(DATES)
    assert response.status_code == 429
    assert response.headers["retry-after"] == "2"
    assert response.json()["error"]["code"] == "STANDIN_FAULT"


def test_status_fault_with_retry_after_date(handle: StandInHandle, client: httpx.Client) -> None:
    handle.set_faults("status=429,retry-after-date")
    response = client.get(DATES)
    assert response.status_code == 429
    when = email.utils.parsedate_to_datetime(response.headers["retry-after"]).timestamp()
    assert time.time() - 2 <= when <= time.time() + 3


def test_times_consumes_the_fault_and_path_scopes_it(handle: StandInHandle, client: httpx.Client) -> None:
    handle.set_faults(f"status=503,times=2,path={INFO}/sports")
    assert client.get(DATES).status_code == 200  # outside the path prefix: untouched, not consumed
    assert [client.get(SPORTS).status_code for _ in range(3)] == [503, 503, 200]
    assert handle.standin.faults == []
    assert handle.stats["faults_applied"] == 2


def test_hang_answers_nothing_until_the_client_gives_up(handle: StandInHandle, client: httpx.Client) -> None:
    handle.set_faults("hang,times=1")
    started = time.monotonic()
    with pytest.raises(httpx.ReadTimeout):
        client.get(DATES, timeout=httpx.Timeout(5.0, read=0.3))
    assert time.monotonic() - started < 2
    assert _wait_until(lambda: handle.stats["in_flight"] == 0), "the hung request never noticed the disconnect"
    assert client.get(DATES).status_code == 200


def test_reset_drops_the_connection_mid_body(handle: StandInHandle, client: httpx.Client) -> None:
    handle.set_faults("reset")
    with pytest.raises((httpx.RemoteProtocolError, httpx.ReadError)):
        client.get(DATES)


@pytest.mark.parametrize(
    ("spec", "status", "content_type"),
    [("html", 200, "text/html"), ("html=503", 503, "text/html"), ("malformed-json", 200, "application/json")],
)
def test_bodies_that_are_not_json(
    handle: StandInHandle, client: httpx.Client, spec: str, status: int, content_type: str
) -> None:
    handle.set_faults(spec)
    response = client.get(DATES)
    assert response.status_code == status
    assert response.headers["content-type"].startswith(content_type)
    with pytest.raises(ValueError):
        json.loads(response.content)


def test_empty_and_huge_bodies(handle: StandInHandle, client: httpx.Client) -> None:
    handle.set_faults("empty,times=1")
    empty = client.get(DATES)
    assert (empty.status_code, empty.content) == (200, b"")
    handle.set_faults("huge=300000")
    huge = client.get(DATES)
    assert len(huge.content) == 300000
    assert set(json.loads(huge.content)) == {"padding"}


def test_delay_fault_and_global_delay(handle: StandInHandle, client: httpx.Client) -> None:
    handle.set_faults("delay-ms=150")
    started = time.monotonic()
    assert client.get(DATES).status_code == 200
    assert time.monotonic() - started >= 0.15
    handle.set_faults(None)
    assert client.post("/__standin/config", json={"delay_ms": 120}).json()["delay_ms"] == 120
    started = time.monotonic()
    assert client.get(DATES).status_code == 200
    assert time.monotonic() - started >= 0.12
    started = time.monotonic()
    assert client.post("/oauth/token", data=CC_FORM).status_code == 200  # the delay is for info-service calls
    assert time.monotonic() - started < 0.12


def test_oauth_down_hits_only_the_token_endpoint(handle: StandInHandle, client: httpx.Client) -> None:
    handle.set_faults("oauth-down")
    down = client.post("/oauth/token", data=CC_FORM)
    assert (down.status_code, down.json()["error"]) == (503, "temporarily_unavailable")
    assert client.get(DATES).status_code == 200


def test_control_api_sets_faults_and_rejects_bad_specs(handle: StandInHandle, client: httpx.Client) -> None:
    listed = client.post("/__standin/faults", json={"faults": ["status=502,times=1"]}).json()["faults"]
    assert listed == [{"spec": "status=502,times=1", "kind": "status", "path": None, "remaining": 1}]
    assert client.get(DATES).status_code == 502
    assert client.get("/__standin/faults").json() == {"faults": []}
    bad = client.post("/__standin/faults", json={"faults": "status=abc"})
    assert bad.status_code == 400 and bad.json()["error"]["code"] == "INVALID_FAULT_SPEC"
    assert client.post("/__standin/config", json={"delay": 1}).status_code == 400


@pytest.mark.parametrize(
    ("spec", "fragment"),
    [
        ("", "empty"),
        ("status", "needs a value"),
        ("status=abc", "not an integer"),
        ("status=99", "outside 200..599"),
        ("bogus", "unknown item"),
        ("hang,reset", "exactly one kind"),
        ("retry-after=1", "exactly one kind"),
        ("reset=1", "takes no value"),
        ("status=500,times=0", "outside 1..1000000"),
        ("status=500,path=sports", "starting with '/'"),
        ("hang,retry-after=2", "only goes with"),
        ("oauth-down,path=/x", "drop path="),
        ("huge=1", "outside 16.."),
        ("status=500,status=502", "given twice"),
    ],
)
def test_fault_parser_rejects_bad_specs(spec: str, fragment: str) -> None:
    with pytest.raises(FaultSpecError, match=fragment.replace(".", r"\.").replace("(", r"\(")):
        parse_fault(spec)


def test_fault_parser_accepts_the_documented_forms() -> None:
    fault = parse_fault(" status=429 , retry-after-date=3, path=/v1/tab-info-service/racing, times=4 ")
    assert (fault.kind, fault.status, fault.retry_after_date, fault.path, fault.times) == (
        "status",
        429,
        3,
        "/v1/tab-info-service/racing",
        4,
    )
    assert parse_fault("html").status == 200 and parse_fault("hang=5").hang_s == 5
    assert parse_fault("oauth-down").applies_to("/oauth/token")
    assert not parse_fault("status=503").applies_to("/oauth/token")


# ----- counters -------------------------------------------------------------------------------------------


def test_counters_track_paths_connections_and_concurrency(handle: StandInHandle) -> None:
    with httpx.Client(base_url=handle.url) as keepalive:
        for _ in range(3):
            assert keepalive.get(DATES).status_code == 200
        keepalive.post("/oauth/token", data=CC_FORM)
    with httpx.Client(base_url=handle.url) as other:
        other.get(SPORTS)
    stats = handle.stats
    assert stats["requests_by_path"] == {f"{INFO}/racing/dates": 3, "/oauth/token": 1, f"{INFO}/sports": 1}
    assert (stats["requests"], stats["oauth_requests"], stats["tcp_connections_opened"]) == (5, 1, 2)

    handle.standin.delay_ms = 300

    async def burst() -> None:
        async with httpx.AsyncClient(base_url=handle.url, timeout=5.0) as ac:
            responses = await asyncio.gather(*(ac.get(DATES) for _ in range(4)))
        assert [r.status_code for r in responses] == [200] * 4

    asyncio.run(burst())
    assert (handle.stats["max_in_flight"], handle.stats["in_flight"]) == (4, 0)
    with httpx.Client(base_url=handle.url) as control:
        reset = control.post("/__standin/reset-stats").json()
        assert (reset["requests"], reset["max_in_flight"], reset["tcp_connections_opened"]) == (0, 0, 0)
        assert control.get("/__standin/stats").json()["requests"] == 0  # control calls are not counted


# ----- process handling and loopback refusal ----------------------------------------------------------------


def _standin_threads() -> int:
    return sum(1 for t in threading.enumerate() if t.name == "tabmcp-standin")


def test_thread_runner_stops_cleanly() -> None:
    before = _standin_threads()
    with run_standin(CASSETTES) as running:
        url = running.url
        assert httpx.get(url + DATES).status_code == 200
        assert _standin_threads() == before + 1
    assert _standin_threads() == before
    with pytest.raises(httpx.ConnectError):
        httpx.get(url + DATES, timeout=1.0)


@pytest.mark.parametrize("command", ["tabmcp-standin", "tabmcp-upstream"])  # the name, and the former one
def test_console_script_prints_its_port_and_applies_cli_faults(command: str) -> None:
    script = Path(sys.executable).parent / command
    cmd = [
        str(script),
        "--cassette-dir",
        str(CASSETTES),
        "--port",
        "0",
        "--fault",
        f"status=418,times=1,path={INFO}/sports",
    ]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)  # noqa: S603
    try:
        assert proc.stdout is not None
        line = proc.stdout.readline()  # bounded: the process prints this line or exits (EOF)
        assert line.startswith(f"{command} listening on http://127.0.0.1:"), line
        url = line.split(" on ", 1)[1].strip()
        assert [httpx.get(url + SPORTS).status_code for _ in range(2)] == [418, 200]
    finally:
        proc.terminate()  # by PID; communicate() also closes the pipes
        try:
            proc.communicate(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.communicate(timeout=10)
    assert proc.returncode is not None


@pytest.mark.parametrize("host", ["0.0.0.0", "192.168.1.10", "example.com", "::"])  # noqa: S104
def test_refuses_non_loopback_hosts(host: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--cassette-dir", str(CASSETTES), "--host", host]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert "refusing to bind non-loopback address" in err and "--allow-non-loopback" in err


def test_cli_reports_bad_input_in_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--cassette-dir", str(tmp_path / "missing")]) == 2
    assert "does not exist" in capsys.readouterr().err
    assert main(["--cassette-dir", str(tmp_path)]) == 2
    assert "holds no *.yaml cassette" in capsys.readouterr().err
    assert main(["--cassette-dir", str(CASSETTES), "--fault", "teapot"]) == 2
    assert "unknown item 'teapot'" in capsys.readouterr().err


def test_loopback_detection() -> None:
    assert all(is_loopback(h) for h in ("127.0.0.1", "127.5.6.7", "::1", "[::1]", "localhost", "LOCALHOST"))
    assert not any(is_loopback(h) for h in ("0.0.0.0", "10.0.0.1", "::", "localhost.example.com"))  # noqa: S104
