"""Record mode against the upstream stand-in on loopback: what a recorded cassette may and may not hold."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from pytest_tabmcp.cassette_lint import lint_paths

SECRETS = {
    "TAB_CLIENT_ID": "rec-client-id-4242",
    "TAB_CLIENT_SECRET": "rec-secret-9876",
    "TAB_USERNAME": "87654321",
    "TAB_PASSWORD": "rec-password-555",
}
RECORDING = """
import pytest

@pytest.mark.anyio
async def test_record(call_tool, tabmcp_mode, tab_credentials):
    assert tabmcp_mode == "record"
    dates = await call_tool("racing_get_all_meeting_dates")
    assert dates.structured_content["dates"]
    own = {"client_id": tab_credentials.client_id, "client_secret": tab_credentials.client_secret,
           "username": tab_credentials.username, "password": tab_credentials.password}
    token = await call_tool("tab_oauth_password_grant", own)  # the tools mint only with the caller's own
    assert token.structured_content["access_token"].startswith("standin-token-")  # the test sees the live token

@pytest.mark.tabmcp(cassette="rec_token")  # "once" replays a cassette file that already exists
def test_token(oauth_token):
    assert oauth_token.access_token.startswith("standin-token-") and oauth_token.refresh_token
"""
REPLAY_CONFTEST = """
import pytest
from pytest_tabmcp.fixtures import offline_settings

@pytest.fixture
def anyio_backend():
    return "asyncio"

@pytest.fixture
def tab_settings():
    # Replay what was recorded from the stand-in: same base URL, placeholder credentials.
    return offline_settings(base_url="{url}")
"""


@pytest.fixture
def recording_env(project: pytest.Pytester, standin, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("TAB_BASE_URL", standin.url)
    for name, value in SECRETS.items():
        monkeypatch.setenv(name, value)
    return project.path / "recorded"


def test_recorded_cassette_holds_no_secret_and_no_live_token(
    project: pytest.Pytester, recording_env: Path, standin, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Rule: scrubbing is on by default; the code under test sees the live token, the file never does."""
    project.makepyfile(test_rec=RECORDING)
    project.runpytest("--tabmcp-record-mode=once", f"--tabmcp-cassette-dir={recording_env}").assert_outcomes(passed=2)
    cassette = recording_env / "rec.yaml"
    text = cassette.read_text(encoding="utf-8")
    for value in (*SECRETS.values(), "standin-token-", "standin-refresh-"):
        assert value not in text, f"{value!r} leaked into the cassette"
    data = yaml.safe_load(text)
    requests = [(i["request"]["method"], i["request"]["uri"]) for i in data["interactions"]]
    assert ("GET", f"{standin.url}/v1/tab-info-service/racing/dates?jurisdiction=NSW") in requests
    oauth_bodies = [i["request"]["body"] for i in data["interactions"] if i["request"]["uri"].endswith("/oauth/token")]
    assert oauth_bodies and all("client_secret=PLACEHOLDER_CLIENT_SECRET" in body for body in oauth_bodies)
    assert any("password=PLACEHOLDER_PASSWORD" in body for body in oauth_bodies)
    info = [i for i in data["interactions"] if "/tab-info-service/" in i["request"]["uri"]]
    auth = [{k.lower(): v for k, v in i["request"]["headers"].items()}["authorization"] for i in info]
    assert auth and all(value == ["Bearer placeholder-access-token"] for value in auth)
    assert '"access_token": "placeholder-access-token"' in text
    assert '"refresh_token": "placeholder-refresh-token"' in text
    assert lint_paths([recording_env], env=SECRETS) == []  # the project's cassette lint agrees

    # The recording replays offline (no TAB_* needed, the stand-in is not contacted).
    for name in (*SECRETS, "TAB_BASE_URL"):
        monkeypatch.delenv(name)
    project.makeconftest(REPLAY_CONFTEST.format(url=standin.url))
    before = standin.stats["requests"]
    project.makepyfile(
        test_rec="""
        import pytest

        @pytest.mark.anyio
        async def test_replay(call_tool, tabmcp_mode):
            assert tabmcp_mode == "offline"
            await call_tool("racing_get_all_meeting_dates")
        """
    )
    project.runpytest(f"--tabmcp-cassette-dir={recording_env}").assert_outcomes(passed=1)
    assert standin.stats["requests"] == before


def test_a_failing_test_saves_no_recording(project: pytest.Pytester, recording_env: Path) -> None:
    project.makepyfile(
        test_rec="""
        import pytest

        @pytest.mark.anyio
        async def test_fails(call_tool):
            await call_tool("racing_get_all_meeting_dates")
            assert False, "the test failed after recording"
        """
    )
    project.runpytest("--tabmcp-record-mode=once", f"--tabmcp-cassette-dir={recording_env}").assert_outcomes(failed=1)
    assert not (recording_env / "rec.yaml").exists()


def test_configure_cassette_hook_extends_scrubbing(project: pytest.Pytester, recording_env: Path) -> None:
    project.makeconftest(
        """
        import pytest

        @pytest.fixture
        def anyio_backend():
            return "asyncio"

        def pytest_tabmcp_configure_cassette(config, cassette_config):
            cassette_config.scrub_headers["user-agent"] = "SCRUBBED-AGENT"
            cassette_config.scrub_fields["meetingDate"] = "SCRUBBED-DATE"

            def tag(response):
                response["headers"]["x-recorded-by"] = ["tabmcp-test"]
                return response

            cassette_config.before_record_response.append(tag)
        """
    )
    project.makepyfile(
        test_rec="""
        import pytest

        @pytest.mark.anyio
        async def test_record(call_tool):
            result = await call_tool("racing_get_all_meeting_dates")
            assert result.structured_content["dates"][0]["meetingDate"] == "2026-09-23"  # live value while recording
        """
    )
    project.runpytest("--tabmcp-record-mode=once", f"--tabmcp-cassette-dir={recording_env}").assert_outcomes(passed=1)
    data = yaml.safe_load((recording_env / "rec.yaml").read_text(encoding="utf-8"))
    dates = next(i for i in data["interactions"] if i["request"]["uri"].endswith("/racing/dates?jurisdiction=NSW"))
    headers = {name.lower(): value for name, value in dates["request"]["headers"].items()}
    assert headers["user-agent"] == ["SCRUBBED-AGENT"], headers
    assert '"meetingDate": "SCRUBBED-DATE"' in dates["response"]["body"]["string"]
    assert dates["response"]["headers"]["x-recorded-by"] == ["tabmcp-test"]


def test_new_episodes_gets_a_live_token_not_the_stored_placeholder(
    project: pytest.Pytester, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Rule: while recording, the token exchange goes upstream; a replayed (scrubbed) token would be refused."""
    from pytest_tabmcp.standin import run_standin
    from tests.helpers.data_sets import FIXED

    body = """
    import pytest

    @pytest.mark.anyio
    async def test_call(call_tool):
        await call_tool({call})
    """
    with run_standin(FIXED, require_auth=True) as strict:  # 401 unless the current token is sent
        monkeypatch.setenv("TAB_BASE_URL", strict.url)
        for name, value in SECRETS.items():
            monkeypatch.setenv(name, value)
        args = ("--tabmcp-record-mode=new_episodes", f"--tabmcp-cassette-dir={tmp_path}")
        project.makepyfile(test_rec=body.format(call='"racing_get_all_meeting_dates"'))
        project.runpytest(*args).assert_outcomes(passed=1)
        project.makepyfile(test_rec=body.format(call='"racing_get_meetings", {"meeting_date": "2026-09-23"}'))
        project.runpytest(*args).assert_outcomes(passed=1)
        assert strict.stats["oauth_requests"] == 2
    text = (tmp_path / "rec.yaml").read_text(encoding="utf-8")
    assert "/racing/dates/2026-09-23/meetings" in text and "standin-token" not in text
