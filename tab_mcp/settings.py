"""Server configuration: the one place where ``TAB_*`` environment variables are read.

Settings are built once, at the CLI edge (or by a test), and passed down. Tools never read the
environment. Every field below is a ``TAB_<NAME>`` variable; ``.env.example`` documents each one and a
test keeps the two in step.
"""

from __future__ import annotations

import ipaddress
from typing import Annotated, Any, Literal
from urllib.parse import urlsplit

from pydantic import Field, SecretStr, ValidationError, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from tab_mcp.errors import ConfigError

JURISDICTIONS: tuple[str, ...] = ("NSW", "VIC", "QLD", "SA", "TAS", "ACT", "NT")
Jurisdiction = Literal["NSW", "VIC", "QLD", "SA", "TAS", "ACT", "NT"]
LogLevel = Literal["DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"]

DEFAULT_BASE_URL = "https://api.beta.tab.com.au"
ENV_PREFIX = "TAB_"
SECRET_FIELDS = frozenset({"client_id", "client_secret", "username", "password", "auth_tokens"})


def is_loopback_host(host: str | None) -> bool:
    """Return True when ``host`` names this machine (``localhost`` or a loopback IP)."""
    if not host:
        return False
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


class Settings(BaseSettings):
    """Configuration of one ``tab-mcp`` server process, read from ``TAB_*`` variables."""

    # An empty variable (TAB_ENABLE_BETTING=) means "not set", as operators expect, rather than a bad value.
    model_config = SettingsConfigDict(
        env_prefix=ENV_PREFIX, extra="ignore", frozen=True, validate_default=True, env_ignore_empty=True
    )

    client_id: SecretStr | None = Field(
        default=None, description="OAuth client id from TAB Studio (client_credentials grant, public data)."
    )
    client_secret: SecretStr | None = Field(default=None, description="OAuth client secret paired with TAB_CLIENT_ID.")
    username: SecretStr | None = Field(
        default=None, description="TAB account number; with TAB_PASSWORD selects the password grant (account data)."
    )
    password: SecretStr | None = Field(default=None, description="TAB account password, paired with TAB_USERNAME.")
    base_url: str = Field(
        default=DEFAULT_BASE_URL,
        description="Upstream API root. Set by the operator only: https, or http on a loopback address for tests.",
    )
    jurisdiction: Jurisdiction = Field(
        default="NSW", description="Default jurisdiction for tools that take one: NSW, VIC, QLD, SA, TAS, ACT or NT."
    )
    api_timeout: float = Field(default=10.0, gt=0, le=300, description="Seconds allowed for each upstream request.")
    retry_max_seconds: float = Field(
        default=15.0, ge=0, le=600, description="Total time a GET may spend retrying 429/502/503/504 and timeouts."
    )
    token_refresh_buffer: int = Field(
        default=300, ge=0, le=86400, description="Refresh a cached OAuth token this many seconds before it expires."
    )
    log_level: LogLevel = Field(default="INFO", description="Log level of the tab_mcp loggers (stderr).")
    access_log: bool = Field(
        default=False,
        description="Log one line per HTTP request (uvicorn's access log, query strings masked); off by default.",
    )
    enable_betting: bool = Field(
        default=False, description="tab_post refuses to run unless this is true: it can place real bets."
    )
    allowed_hosts: Annotated[list[str], NoDecode] = Field(
        default_factory=list,
        description="Comma-separated Host values accepted over HTTP behind a proxy, e.g. 'mcp.example.com'.",
    )
    max_connections: int = Field(
        default=32, ge=1, le=1000, description="Upstream connection pool size (all kept alive between calls)."
    )
    max_response_bytes: int = Field(
        default=8_000_000, ge=1024, description="Largest upstream body read; bigger bodies are refused, not buffered."
    )
    max_result_chars: int = Field(
        default=75_000,
        ge=2_000,
        le=10_000_000,
        description="Largest default tool answer in characters (about 25,000 tokens); detail='full' is not bounded.",
    )
    max_sessions: int = Field(
        default=2000,
        ge=1,
        le=100_000,
        description="Open HTTP sessions kept at most; a newcomer beyond it evicts the least recently used idle one.",
    )
    session_idle_timeout: float = Field(
        default=600.0, gt=0, le=86400, description="Seconds an HTTP session may sit idle before the server ends it."
    )
    http_request_timeout: float = Field(
        default=10.0,
        gt=0,
        le=300,
        description="Seconds a client has to send a whole HTTP request (headers and body); slower ones are closed.",
    )
    http_max_connections: int = Field(
        default=1000,
        ge=1,
        le=100_000,
        description="Open HTTP client connections served at most; a request beyond it gets 503 with Retry-After.",
    )

    auth_tokens: Annotated[list[SecretStr], NoDecode] = Field(
        default_factory=list,
        description="Comma-separated bearer tokens admitted over HTTP (static inbound auth); callers 'token 1', ...",
    )
    auth_issuer: str | None = Field(
        default=None, description="OAuth issuer whose JWT access tokens are admitted over HTTP (RFC 8414 metadata)."
    )
    auth_audience: str | None = Field(
        default=None, description="This server's canonical URL, e.g. https://mcp.example.com/mcp: the tokens' aud."
    )
    auth_scopes: Annotated[list[str], NoDecode] = Field(
        default_factory=list, description="Comma-separated scopes every JWT access token must carry (none if empty)."
    )
    rate_limit: int = Field(
        default=120, ge=0, le=100_000, description="Tool calls per minute per caller over HTTP (0 turns it off)."
    )
    max_sessions_per_caller: int = Field(
        default=100,
        ge=1,
        le=100_000,
        description="Open HTTP sessions per caller; at it, that caller's own least recently used idle one is evicted.",
    )

    @field_validator("jurisdiction", mode="before")
    @classmethod
    def _upper_jurisdiction(cls, value: Any) -> Any:
        return value.strip().upper() if isinstance(value, str) else value

    @field_validator("log_level", mode="before")
    @classmethod
    def _upper_level(cls, value: Any) -> Any:
        return value.strip().upper() if isinstance(value, str) else value

    @field_validator("allowed_hosts", "auth_tokens", "auth_scopes", mode="before")
    @classmethod
    def _split_lists(cls, value: Any) -> Any:
        if isinstance(value, str):
            return [part.strip() for part in value.split(",") if part.strip()]
        return value

    @field_validator("auth_issuer", "auth_audience")
    @classmethod
    def _check_auth_url(cls, value: str | None) -> str | None:
        if value is None:
            return None
        parts = urlsplit(value.strip())
        if parts.scheme not in {"https", "http"} or not parts.hostname or parts.query or parts.fragment:
            raise ValueError("must be an absolute https URL without a query, e.g. https://auth.example.com")
        if parts.scheme == "http" and not is_loopback_host(parts.hostname):
            raise ValueError("plain http is allowed only on a loopback address; use https")
        return value.strip()

    @field_validator("base_url")
    @classmethod
    def _check_base_url(cls, value: str) -> str:
        parts = urlsplit(value.strip())
        if parts.scheme not in {"https", "http"} or not parts.hostname:
            raise ValueError("must be an absolute http(s) URL such as https://api.beta.tab.com.au")
        if parts.scheme == "http" and not is_loopback_host(parts.hostname):
            raise ValueError("plain http is allowed only on a loopback address (127.0.0.1, ::1, localhost)")
        if parts.query or parts.fragment or parts.username or parts.password:
            raise ValueError("must not carry credentials, a query or a fragment")
        if parts.path not in {"", "/"}:
            raise ValueError("must be the API root without a path, e.g. https://api.beta.tab.com.au")
        return f"{parts.scheme}://{parts.netloc}"

    @property
    def grant(self) -> Literal["password", "client_credentials", "none"]:
        """Which OAuth grant the server uses on its own: password, client_credentials, or none (anonymous)."""
        if self.client_id and self.client_secret and self.username and self.password:
            return "password"
        if self.client_id and self.client_secret:
            return "client_credentials"
        return "none"

    @property
    def inbound_auth(self) -> bool:
        """True when HTTP callers must authenticate (static bearer tokens or JWTs from an issuer)."""
        return bool(self.auth_tokens or self.auth_issuer)

    def secret_values(self) -> list[str]:
        """Return the configured secret strings, so log and error scrubbing can mask them."""
        secrets = [self.client_id, self.client_secret, self.username, self.password, *self.auth_tokens]
        return [s.get_secret_value() for s in secrets if s is not None and s.get_secret_value()]


def env_var_name(field_name: str) -> str:
    """Return the environment variable that sets ``field_name`` (``api_timeout`` -> ``TAB_API_TIMEOUT``)."""
    return f"{ENV_PREFIX}{field_name.upper()}"


def load_settings(**overrides: Any) -> Settings:
    """Build :class:`Settings` from the environment, turning a bad value into a :class:`ConfigError`.

    The error names the variable, the value (never for secrets) and what is accepted, in one sentence.
    """
    try:
        return Settings(**overrides)
    except ValidationError as exc:
        problems = []
        for err in exc.errors(include_url=False):
            field = str(err["loc"][0]) if err["loc"] else "?"
            name = env_var_name(field)
            shown = "" if field in SECRET_FIELDS else _shown_value(err)
            problems.append(f"{name}{shown} is invalid: {err['msg']}")
        raise ConfigError("; ".join(problems) + ". Fix the environment (see .env.example) and start again.") from None


def _shown_value(err: Any) -> str:
    ctx_input = err.get("input")
    return f"={ctx_input!r}" if isinstance(ctx_input, (str, int, float)) and ctx_input != "" else ""
