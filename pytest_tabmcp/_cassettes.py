"""Cassettes: vcrpy configuration, default secret scrubbing, and the missing-interaction message (no pytest).

What is always true of a tabmcp cassette, and why:

- ``skip_patchers=("httpx2",)``: vcrpy patches httpx *and* httpx2, and the MCP SDK's own traffic is httpx2.
  Patching it would record (and then replay) the MCP protocol instead of exercising the server.
- Secrets are scrubbed by default, **when the cassette is written** (vcrpy's ``before_save_interaction``): the
  ``Authorization`` and cookie headers, and the OAuth fields (``client_id``, ``client_secret``, ``username``,
  ``password``, ``access_token``, ``refresh_token``, ``id_token``) in form and JSON request bodies and JSON
  response bodies. They become the placeholders the hand-built cassettes use, so a re-recorded cassette diffs
  cleanly. Every value seen in those places, and every literal in ``scrub_values`` (the recording run's
  ``TAB_*`` secrets), is then replaced wherever else it appears in the file. Scrubbing at save time, not at
  record time, means the code under test keeps the live token for the whole recording session.
- While recording, the OAuth token exchange always goes to the real endpoint, never to a stored (scrubbed)
  answer: a placeholder token would be refused upstream.
- ``decode_compressed_response=True``: gzip bodies are stored readable, so scrubbing and review can see them.
- ``allow_playback_repeats=True``: the same read-only request may be replayed any number of times.
- ``record_on_exception=False``: a failing test never saves a half-recorded cassette.
- Password and refresh token requests match on their ``grant_type`` too (the ``oauth_grant`` matcher), so the
  grants of one cassette answer each its own request; credentials in the body are never compared.
- Replay checks the bearer token (the ``bearer`` matcher, on while ``record_mode`` is ``none``): a recorded
  request that carried ``Authorization`` (scrubbed to ``Bearer placeholder-access-token``) matches only a
  request carrying the same header, which is what the server sends with the cassette's own placeholder token.
  A server that stops authenticating its upstream calls misses instead of passing.
"""

from __future__ import annotations

import copy
import functools
import json
import shlex
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qsl, urlencode

if TYPE_CHECKING:
    from vcr.cassette import Cassette


def placeholder(field: str) -> str:
    """The value scrubbing writes for ``field``, in the style of the hand-built cassettes.

    Credentials become ``PLACEHOLDER_<FIELD>`` (``PLACEHOLDER_CLIENT_SECRET``); tokens become
    ``placeholder-<field>`` (``placeholder-access-token``).
    """
    if field.endswith("_token"):
        return "placeholder-" + field.replace("_", "-")
    return "PLACEHOLDER_" + field.upper()


#: Body fields scrubbed by default, and the placeholder each becomes.
DEFAULT_SCRUB_FIELDS: dict[str, str] = {
    name: placeholder(name)
    for name in ("client_id", "client_secret", "username", "password", "access_token", "refresh_token", "id_token")
}
PLACEHOLDER_ACCESS_TOKEN = DEFAULT_SCRUB_FIELDS["access_token"]
#: Headers scrubbed by default: a value replaces it, None removes it.
DEFAULT_SCRUB_HEADERS: dict[str, str | None] = {
    "authorization": f"Bearer {PLACEHOLDER_ACCESS_TOKEN}",
    "cookie": None,
    "set-cookie": None,
    "mcp-session-id": None,
}
DEFAULT_MATCH_ON: tuple[str, ...] = ("method", "scheme", "host", "port", "path", "query", "oauth_grant")
OAUTH_PATH = "/oauth/token"
BEARER_MATCHER = "bearer"


def _form_field(body: Any, name: str) -> str | None:
    text = body.decode("utf-8", "replace") if isinstance(body, bytes) else body
    if not isinstance(text, str) or "=" not in text:
        return None
    return dict(parse_qsl(text, keep_blank_values=True)).get(name)


def oauth_grant_matches(incoming: Any, recorded: Any) -> None:
    """Match a password or refresh grant only to a recorded one of the same ``grant_type`` (a vcrpy matcher).

    A ``client_credentials`` request (the server's own token) takes any recorded token answer, as vcrpy's
    body-blind default did: a recording made with account credentials holds password grants only, and its
    replay runs with the placeholder client credentials.
    """
    if incoming.path.endswith(OAUTH_PATH) and recorded.path.endswith(OAUTH_PATH):
        wanted, got = _form_field(recorded.body, "grant_type"), _form_field(incoming.body, "grant_type")
        if got in ("password", "refresh_token") and wanted != got:
            raise AssertionError(f"grant_type {got!r} != {wanted!r}")


def bearer_matches(incoming: Any, recorded: Any) -> None:
    """Match the bearer header (a vcrpy matcher): a recorded ``Authorization`` needs the same one, values unshown."""
    wanted = recorded.headers.get("authorization")
    if wanted is None:
        return
    got = incoming.headers.get("authorization")
    if got is None:
        raise AssertionError("the request carries no Authorization header; the recording has one")
    if got != wanted:
        raise AssertionError("the request carries another Authorization value than the recording's placeholder")


@dataclass(kw_only=True)
class CassetteConfig:
    """How cassettes are opened; ``pytest_tabmcp_configure_cassette`` receives it and may change it in place.

    ``scrub_fields`` / ``scrub_headers`` / ``scrub_values`` drive the save-time scrubbing, and
    ``before_save_interaction`` hooks (``(request, response) -> (request, response) | None``) run after it.
    ``before_record_request`` / ``before_record_response`` are vcrpy's own record-time hooks (they also run
    while matching). ``vcr_kwargs`` is passed to ``vcr.VCR`` as is; ``skip_patchers`` always keeps ``"httpx2"``.
    ``replay_checks_bearer`` adds the ``bearer`` matcher to ``match_on`` in replay (record mode ``none``).
    """

    cassette_dir: Path
    record_mode: str = "none"
    match_on: tuple[str, ...] = DEFAULT_MATCH_ON
    scrub_fields: dict[str, str] = field(default_factory=lambda: dict(DEFAULT_SCRUB_FIELDS))
    scrub_headers: dict[str, str | None] = field(default_factory=lambda: dict(DEFAULT_SCRUB_HEADERS))
    scrub_values: dict[str, str] = field(default_factory=dict, repr=False)
    before_save_interaction: list[Callable[[Any, Any], Any]] = field(default_factory=list)
    before_record_request: list[Callable[[Any], Any]] = field(default_factory=list)
    before_record_response: list[Callable[[Any], Any]] = field(default_factory=list)
    vcr_kwargs: dict[str, Any] = field(default_factory=dict)
    replay_checks_bearer: bool = True


@dataclass(frozen=True, kw_only=True)
class Miss:
    """A request the cassette could not answer: what was asked, and why vcrpy refused it."""

    method: str
    uri: str
    reason: str
    closest: str | None = None


def cassette_path(cassette_dir: Path, name: str) -> Path:
    """Map a cassette name (``"racing"`` or ``"racing.yaml"``, maybe in a subfolder) to its file."""
    return cassette_dir / (name if name.endswith((".yaml", ".yml")) else f"{name}.yaml")


def default_cassette_name(module_stem: str) -> str:
    """A test module's default cassette: ``test_racing`` -> ``racing``."""
    return module_stem.removeprefix("test_")


def _replace_literals(text: str, values: Mapping[str, str]) -> str:
    for secret, placeholder in values.items():
        if secret:
            text = text.replace(secret, placeholder)
    return text


def scrub_json(data: Any, fields: Mapping[str, str]) -> Any:
    """Return ``data`` with every key in ``fields`` (at any depth) set to its placeholder."""
    if isinstance(data, dict):
        return {k: (fields[k] if k in fields and v is not None else scrub_json(v, fields)) for k, v in data.items()}
    if isinstance(data, list):
        return [scrub_json(item, fields) for item in data]
    return data


def scrub_body(
    body: bytes | str | None, content_type: str, fields: Mapping[str, str], values: Mapping[str, str]
) -> Any:
    """Scrub a JSON or form body (decided by content type, else by shape); other bodies get literal scrubbing."""
    if not body:
        return body
    was_bytes = isinstance(body, bytes)
    try:
        text = body.decode("utf-8") if isinstance(body, bytes) else body
    except UnicodeDecodeError:
        return body
    stripped = text.lstrip()
    if not any(key in text for key in fields):
        pass  # nothing to scrub by key: keep the body byte for byte (and skip a costly re-serialisation)
    elif "json" in content_type or stripped.startswith(("{", "[")):
        try:
            text = json.dumps(scrub_json(json.loads(text), fields))
        except ValueError:
            pass
    elif "x-www-form-urlencoded" in content_type or (not content_type and "=" in text):
        pairs = parse_qsl(text, keep_blank_values=True)
        if any(k in fields for k, _v in pairs):  # re-encode only when something changes
            text = urlencode([(k, fields.get(k, v)) for k, v in pairs])
    text = _replace_literals(text, values)
    return text.encode("utf-8") if was_bytes else text


def _header(headers: Mapping[str, Any], name: str) -> str:
    for key, value in headers.items():
        if key.lower() == name:
            return value[0] if isinstance(value, list) and value else str(value)
    return ""


def _scrub_headers(headers: Any, replacements: Mapping[str, str | None], *, as_list: bool) -> None:
    for name in list(headers):
        if name.lower() in replacements:
            replacement = replacements[name.lower()]
            if replacement is None:
                del headers[name]
            else:
                headers[name] = [replacement] if as_list else replacement


def _learn_secrets(request: Any, response: Any, config: CassetteConfig) -> None:
    """Remember the live values this interaction carries in known places, to replace them everywhere."""
    found: dict[str, str] = {}
    auth = _header(request.headers, "authorization")
    if auth.lower().startswith("bearer ") and len(auth) > 11:
        found[auth[7:].strip()] = config.scrub_fields.get("access_token", PLACEHOLDER_ACCESS_TOKEN)
    body = response.get("body", {}).get("string")
    for text in (request.body, body):
        if isinstance(text, bytes):
            text = text.decode("utf-8", "replace")
        if not isinstance(text, str) or not any(key in text for key in config.scrub_fields):
            continue
        try:
            pairs = list(_walk_json(json.loads(text)))
        except ValueError:
            pairs = parse_qsl(text, keep_blank_values=True)
        for key, value in pairs:
            if key in config.scrub_fields and isinstance(value, str) and len(value) >= 4:
                found[value] = config.scrub_fields[key]
    for secret, placeholder in found.items():
        if secret != placeholder:
            config.scrub_values.setdefault(secret, placeholder)


def _walk_json(data: Any) -> Any:
    if isinstance(data, dict):
        for key, value in data.items():
            yield key, value
            yield from _walk_json(value)
    elif isinstance(data, list):
        for item in data:
            yield from _walk_json(item)


def scrub_request(request: Any, config: CassetteConfig) -> Any:
    """Scrub a vcrpy request in place (headers, body, URI) and return it."""
    _scrub_headers(request.headers, config.scrub_headers, as_list=False)
    content_type = _header(request.headers, "content-type")
    request.body = scrub_body(request.body, content_type, config.scrub_fields, config.scrub_values)
    request.uri = _replace_literals(request.uri, config.scrub_values)
    return request


def scrub_response(response: Any, config: CassetteConfig) -> Any:
    """Scrub a vcrpy response dict in place (headers and body) and return it."""
    headers = response.get("headers", {})
    _scrub_headers(headers, config.scrub_headers, as_list=True)
    body = response.get("body", {})
    if "string" in body:
        content_type = _header(headers, "content-type")
        body["string"] = scrub_body(body["string"], content_type, config.scrub_fields, config.scrub_values)
    return response


def make_save_scrubber(config: CassetteConfig) -> Callable[[Any, Any], Any]:
    """Build the ``before_save_interaction`` hook: learn live values, scrub, then run the user's save hooks."""

    def scrub(request: Any, response: Any) -> Any:
        _learn_secrets(request, response, config)
        interaction = (scrub_request(request, config), scrub_response(response, config))
        for hook in config.before_save_interaction:
            interaction = hook(*interaction)
            if interaction is None:
                return None
        return interaction

    return scrub


#: Deserialised cassettes by (path, mtime, size): a family cassette is parsed once per session, not per test.
_PARSED: dict[tuple[str, int, int], Any] = {}


@functools.cache
def _caching_persister() -> type:
    from vcr.persisters.filesystem import CassetteNotFoundError, FilesystemPersister

    class CachingPersister(FilesystemPersister):  # type: ignore[misc]
        """vcrpy's file persister, parsing each cassette file once while it is unchanged.

        Sharing the parsed objects is safe: vcrpy copies every loaded request and response before use.
        """

        @classmethod
        def load_cassette(cls, cassette_path: Any, serializer: Any) -> Any:
            path = Path(cassette_path)
            try:
                stat = path.stat()
            except FileNotFoundError:
                raise CassetteNotFoundError() from None
            key = (str(path.resolve()), stat.st_mtime_ns, stat.st_size)
            if key not in _PARSED:
                _PARSED[key] = super().load_cassette(cassette_path, serializer)
            return _PARSED[key]

    return CachingPersister


def _matcher_label(name: str, message: str) -> str:
    """A failed matcher as a miss message shows it: its name, and for the bearer check, what was wrong."""
    label = name.removesuffix("_matches")
    return f"{label} ({message})" if label == BEARER_MATCHER and message else label


@functools.cache
def _tracking_cassette_class() -> type[Cassette]:
    from vcr.cassette import Cassette

    class TrackingCassette(Cassette):  # type: ignore[misc]
        """A vcrpy Cassette that remembers each request it had to refuse, for a message vcrpy cannot show.

        Inside a tool call, MCPServer hides the vcrpy exception behind "Error executing tool X"; the
        misses recorded here let the plugin say which request was missing and how to record it.
        """

        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self.misses: list[Miss] = []
            self.reported = 0  # how many misses a fixture has already turned into a test failure
            self.tabmcp_config: CassetteConfig | None = None  # set by open_cassette on entry

        def can_play_response_for(self, request: Any) -> bool:
            if not self.write_protected and request.path.endswith(OAUTH_PATH):
                return False  # recording: a stored token is a scrubbed placeholder, so get a live one
            playable = bool(super().can_play_response_for(request))
            if not playable and self.write_protected:
                # Describe a scrubbed copy, so a message never shows what the cassette would have hidden.
                shown = copy.deepcopy(request)
                if self.tabmcp_config is not None:
                    shown = scrub_request(shown, self.tabmcp_config)
                self.misses.append(self._describe_miss(request, shown.uri))
            return playable

        def _describe_miss(self, request: Any, uri: str) -> Miss:
            # Compared as sent (a scrubbed copy would hide a wrong bearer header), shown as scrubbed (``uri``).
            if not self.rewound and not len(self):
                return Miss(method=request.method, uri=uri, reason="the cassette file does not exist")
            similar = self.find_requests_with_most_matches(request)
            if not similar:
                return Miss(method=request.method, uri=uri, reason="nothing similar is recorded")
            recorded, _ok, failed = similar[0]
            differs = ", ".join(_matcher_label(name, message) for name, message in failed) or "nothing"
            return Miss(
                method=request.method,
                uri=uri,
                reason=f"no recorded request matches (the closest differs in {differs})",
                closest=f"{recorded.method} {recorded.uri}",
            )

    return TrackingCassette


def open_cassette(config: CassetteConfig, path: Path, *, record_mode: str | None = None) -> Any:
    """Return vcrpy's context manager for ``path``, configured as described in the module docstring.

    Entering it yields a Cassette with a ``misses`` list of :class:`Miss` (requests it refused).
    """
    import vcr

    kwargs = dict(config.vcr_kwargs)
    kwargs["skip_patchers"] = tuple({*kwargs.get("skip_patchers", ()), "httpx2"})
    mode = record_mode or config.record_mode
    match_on = config.match_on
    if mode == "none" and config.replay_checks_bearer and BEARER_MATCHER not in match_on:
        match_on = (*match_on, BEARER_MATCHER)
    recorder = vcr.VCR(
        record_mode=mode,
        match_on=match_on,
        before_record_request=list(config.before_record_request),
        before_record_response=list(config.before_record_response),
        before_save_interaction=make_save_scrubber(config),
        decode_compressed_response=True,
        record_on_exception=False,
        **kwargs,
    )
    recorder.register_matcher("oauth_grant", oauth_grant_matches)
    recorder.register_matcher(BEARER_MATCHER, bearer_matches)
    merged = recorder.get_merged_config(path=str(path), allow_playback_repeats=True, persister=_caching_persister())
    return _ConfiguredCassette(_tracking_cassette_class().use(**merged), config)


class _ConfiguredCassette:
    """vcrpy's context manager, handing the entered cassette its tabmcp configuration (for miss messages)."""

    def __init__(self, context: Any, config: CassetteConfig) -> None:
        self.context = context
        self.config = config

    def __enter__(self) -> Any:
        cassette = self.context.__enter__()
        cassette.tabmcp_config = self.config
        return cassette

    def __exit__(self, *exc_info: Any) -> Any:
        return self.context.__exit__(*exc_info)


def rerecord_command(nodeid: str, reason: str) -> str:
    """The exact command that records what a test is missing (``once`` only writes a missing file)."""
    mode = "once" if reason == "the cassette file does not exist" else "new_episodes"
    return f"pytest --tabmcp-record-mode={mode} {shlex.quote(nodeid)}"


def missing_interaction_message(misses: list[Miss], *, nodeid: str, path: Path, record_mode: str) -> str:
    """Explain replay misses: each request, why it was refused, the cassette, and the command that records it."""
    lines = [f"tab-mcp: the cassette has no recorded response for {len(misses)} request(s) made during this test:"]
    for miss in misses:
        lines.append(f"- {miss.method} {miss.uri}: {miss.reason}")
        if miss.closest:
            lines.append(f"    closest recorded: {miss.closest}")
    lines += [
        "",
        f"Cassette: {path} (record mode {record_mode!r})",
        "To record it against the real API (TAB_CLIENT_ID/TAB_CLIENT_SECRET in the environment), run:",
        f"    {rerecord_command(nodeid, misses[0].reason)}",
        "or re-record every cassette with: make record",
    ]
    return "\n".join(lines)
