"""Dockerfile, .dockerignore, smithery.yaml and the pre-commit config say what the deployment needs."""

from __future__ import annotations

import re
from pathlib import Path

import jsonschema
import pytest
import yaml

from tab_mcp.session_config import _KEYS as SESSION_QUERY_KEYS
from tab_mcp.settings import JURISDICTIONS, Settings

ROOT = Path(__file__).resolve().parents[2]


def smithery() -> dict:
    return yaml.safe_load((ROOT / "smithery.yaml").read_text(encoding="utf-8"))


def test_smithery_runs_the_container_over_http():
    config = smithery()
    assert config["runtime"] == "container"
    assert (ROOT / config["build"]["dockerfile"]).is_file()
    assert config["startCommand"]["type"] == "http"


def test_session_config_carries_credentials_and_jurisdiction_never_a_destination():
    schema = smithery()["startCommand"]["configSchema"]
    properties = schema["properties"]
    assert set(properties) == {"clientId", "clientSecret", "username", "password", "jurisdiction"}
    assert set(properties) <= set(SESSION_QUERY_KEYS), "the server would ignore a key it does not read"
    assert schema["additionalProperties"] is False and schema.get("required", []) == []
    for name, prop in properties.items():
        assert not re.search(r"(?i)url|host|base|endpoint|proxy", name + str(prop.get("title", ""))), name
    assert properties["jurisdiction"]["enum"] == list(JURISDICTIONS)
    assert properties["jurisdiction"]["default"] == Settings.model_fields["jurisdiction"].default


def test_example_config_is_valid_and_holds_no_credentials():
    config = smithery()
    example = config["startCommand"]["exampleConfig"]
    jsonschema.validate(example, config["startCommand"]["configSchema"])
    assert set(example) == {"jurisdiction"}
    with pytest.raises(jsonschema.ValidationError, match="Additional properties"):
        jsonschema.validate({"baseUrl": "https://attacker.example"}, config["startCommand"]["configSchema"])


def test_dockerfile_is_non_root_with_a_python_healthcheck_and_the_http_server():
    text = (ROOT / "Dockerfile").read_text(encoding="utf-8")
    assert re.search(r"^FROM python:3\.12-slim\b", text, flags=re.MULTILINE)
    user = re.findall(r"^USER\s+(\S+)", text, flags=re.MULTILINE)
    assert user and not user[-1].startswith(("root", "0"))
    healthcheck = re.search(r"^HEALTHCHECK .*?CMD (\[.*\])$", text, flags=re.MULTILINE | re.DOTALL)
    assert healthcheck and "/healthz" in healthcheck.group(1) and "urllib" in healthcheck.group(1)
    assert "curl" not in healthcheck.group(1) and "PORT" in healthcheck.group(1)
    assert '["tab-mcp", "serve", "--transport", "http", "--host", "0.0.0.0"]' in text.splitlines()[-1]
    assert "--port" not in text.splitlines()[-1], "the CLI must take the port from $PORT"


def test_dockerignore_is_an_allow_list_that_keeps_secrets_out():
    lines = [line for line in (ROOT / ".dockerignore").read_text().splitlines() if line and not line.startswith("#")]
    assert lines[0] == "*"
    allowed = {line[1:].rstrip("/") for line in lines if line.startswith("!")}
    # The server's package and its locks only: the plugin, its stand-in and the ops tooling never reach the image.
    assert allowed == {"pyproject.toml", "README.md", "requirements", "tab_mcp"}
    copied = re.findall(r"^COPY (?!--from)(.+) \S+$", (ROOT / "Dockerfile").read_text(), flags=re.MULTILINE)
    for sources in copied:
        for source in sources.split():
            assert source.rstrip("/") in allowed, f"Dockerfile copies {source}, which .dockerignore excludes"


def test_pre_commit_runs_ruff_and_a_secret_scanner_at_pinned_revs():
    config = yaml.safe_load((ROOT / ".pre-commit-config.yaml").read_text())
    hooks = {hook["id"] for repo in config["repos"] for hook in repo["hooks"]}
    assert {"ruff-check", "ruff-format", "gitleaks"} <= hooks
    for repo in config["repos"]:
        if repo["repo"] != "local":
            assert re.fullmatch(r"v\d+\.\d+\.\d+", repo["rev"]), f"{repo['repo']} is not pinned to a release tag"


def test_the_image_keeps_the_host_check_on():
    text = (ROOT / "Dockerfile").read_text(encoding="utf-8")
    env_lines = [line for line in text.splitlines() if not line.lstrip().startswith("#")]
    assert not any("TAB_ALLOWED_HOSTS" in line for line in env_lines), "the image must not turn DNS-rebinding off"
