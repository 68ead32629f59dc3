"""The plugin's options, declared once as :data:`SPECS`, and the ONE function that resolves them.

Each :class:`OptionSpec` names every place its option can be set (flag, environment variable, ini key) and
carries the converter that checks and converts a raw value, so adding an option means adding one spec.
:func:`resolve_options` reads every spec with the precedence **command line > environment variable > ini key
> default**. An environment variable set by CI or the monitor therefore overrides the repository's checked-in
ini file, and a flag typed by a person overrides both. Per-test ``@pytest.mark.tabmcp(...)`` keywords then
override the run-level value for that one test (see :func:`validate_marker` and :func:`effective_mode`).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import pytest

from pytest_tabmcp._live import LIVE_HEADERS_ENV, parse_live_headers, redact_url, validate_live_url
from pytest_tabmcp.latency import BUDGET_FORM, format_budget, parse_budget

__all__ = [
    "RECORD_MODES",
    "SPECS",
    "MarkerOptions",
    "OptionSpec",
    "TabmcpOptions",
    "effective_mode",
    "resolve_options",
    "validate_marker",
]

RECORD_MODES: tuple[str, ...] = ("none", "once", "new_episodes", "all")
MARKER_KEYS: tuple[str, ...] = ("cassette", "record_mode", "latency_budget_ms")
Mode = Literal["offline", "record", "live"]

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off"}

#: ``convert(value, source, config)``: check and convert a raw value set at ``source`` (``"--flag"``,
#: ``"env NAME"`` or ``"ini key"``); raise ``ValueError`` with the problem, which becomes the usage error.
Converter = Callable[[Any, str, pytest.Config], Any]


@dataclass(frozen=True)
class OptionSpec:
    """One option: every place it can be set (flag / argparse dest, env variable, ini key), its converter, default."""

    flag: str
    dest: str
    env: str
    ini: str
    # Help-text style (pytest-xdist): capital first letter; one phrase has no final period; several phrases
    # each end with one. The "Also env ... and ini ..." sentence is appended.
    help: str
    convert: Converter
    #: The value when the option is set nowhere (a function of the config, e.g. the rootdir's cassettes).
    default: Callable[[pytest.Config], Any] = lambda _config: None
    kwargs: dict[str, Any] = field(default_factory=dict)
    ini_kwargs: dict[str, Any] = field(default_factory=lambda: {"default": ""})


def _live_url(value: Any, _source: str, _config: pytest.Config) -> str:
    return validate_live_url(str(value))


def _record_mode(value: Any, _source: str, _config: pytest.Config) -> str:
    text = str(value or "none").strip().lower()
    if text not in RECORD_MODES:
        raise ValueError(f"must be one of {', '.join(RECORD_MODES)}; got {text!r}")
    return text


def _path(value: Any, source: str, config: pytest.Config) -> Path:
    # Relative paths: from an ini file they are relative to that file, like pytest's own ini paths; from the
    # command line or the environment, relative to where pytest was invoked.
    if source.startswith("ini"):
        base = config.inipath.parent if config.inipath else config.rootpath
    else:
        base = config.invocation_params.dir
    return (base / Path(str(value)).expanduser()).resolve()


def _budget(value: Any, _source: str, _config: pytest.Config) -> dict[str, float]:
    try:
        return parse_budget(str(value))
    except ValueError as exc:
        raise ValueError(f"must be {BUDGET_FORM}; {exc} in {value!r}") from None


def _bool(value: Any, _source: str, _config: pytest.Config) -> bool:
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in _TRUE | _FALSE:
        return text in _TRUE
    raise ValueError(f"must be a boolean (1/true/yes/on or 0/false/no/off); got {value!r}")


def _spec(name: str, help: str, convert: Converter, **kwargs: Any) -> OptionSpec:
    ini_kwargs = kwargs.pop("ini_kwargs", {"default": ""})
    default = kwargs.pop("default_value", lambda _config: None)
    flag = "--live-url" if name == "live_url" else f"--tabmcp-{name.replace('_', '-')}"
    dest, env, ini = f"tabmcp_{name}", f"TABMCP_{name.upper()}", f"tabmcp_{name}"
    return OptionSpec(flag, dest, env, ini, help, convert, default, kwargs, ini_kwargs)


_BOOL_FLAG: dict[str, Any] = {"action": "store_true", "default": None, "ini_kwargs": {"type": "bool", "default": None}}

#: The options, by their ``TabmcpOptions`` field name; resolved (CLI > env > ini > default) by resolve_options.
SPECS: dict[str, OptionSpec] = {
    "live_url": _spec(
        "live_url",
        "Test the MCP server at URL (streamable HTTP, e.g. https://host/mcp) instead of the in-process server "
        "over cassettes; extra request headers come from env TABMCP_LIVE_HEADERS only.",
        _live_url,
        metavar="URL",
    ),
    "record_mode": _spec(
        "record_mode",
        "Cassette record mode (default: none, replay only).",
        _record_mode,
        choices=RECORD_MODES,
        default_value=lambda _config: "none",
    ),
    "cassette_dir": _spec(
        "cassette_dir",
        "Directory of the cassettes (default: <rootdir>/cassettes).",
        _path,
        metavar="DIR",
        default_value=lambda config: config.rootpath / "cassettes",
    ),
    "latency_budget": _spec(
        "latency_budget",
        "Fail the run when a tool's latency exceeds SPEC, e.g. p95=2000,max=5000 (milliseconds).",
        _budget,
        metavar="SPEC",
        default_value=lambda _config: {},
    ),
    "latency_json": _spec("latency_json", "Write the per-tool latency report as JSON to PATH.", _path, metavar="PATH"),
    "allow_destructive": _spec(
        "allow_destructive",
        "Run tests marked destructive against a live server or while recording.",
        _bool,
        default_value=lambda _config: False,
        **_BOOL_FLAG,
    ),
    "strict": _spec(
        "strict",
        "Fail the run when any test skips, naming it and its reason; tests marked offline_only, live_only or "
        "destructive that this mode excludes are exempt.",
        _bool,
        default_value=lambda _config: False,
        **_BOOL_FLAG,
    ),
}


@dataclass(frozen=True, kw_only=True)
class TabmcpOptions:
    """The resolved run-level options (read them through the ``tabmcp_options`` fixture).

    ``sources`` says where each value came from (``"--live-url"``, ``"env TABMCP_LIVE_URL"``,
    ``"ini tabmcp_live_url"`` or ``"default"``), so the report header can explain the precedence.
    """

    live_url: str | None = None
    record_mode: str = "none"
    cassette_dir: Path
    latency_budget: Mapping[str, float] = field(default_factory=dict)
    latency_json: Path | None = None
    allow_destructive: bool = False
    strict: bool = False
    live_headers: Mapping[str, str] = field(default_factory=dict, repr=False)
    sources: Mapping[str, str] = field(default_factory=dict)

    @property
    def mode(self) -> Mode:
        """``live`` with a live URL, ``record`` when the record mode can write, else ``offline`` (replay)."""
        if self.live_url:
            return "live"
        return "offline" if self.record_mode == "none" else "record"

    def header_lines(self) -> list[str]:
        """Describe the run for the pytest report header; never shows a secret."""
        lines = []
        if self.mode == "live":
            hidden = f", {len(self.live_headers)} header(s) from {LIVE_HEADERS_ENV} (values hidden)"
            lines.append(
                f"tabmcp: mode=live url={redact_url(self.live_url or '')}{hidden if self.live_headers else ''}"
            )
        else:
            lines.append(
                f"tabmcp: mode={self.mode} cassette_dir={self.cassette_dir} "
                f"record_mode={self.record_mode} (from {self.sources.get('record_mode', 'default')})"
            )
        if self.strict:
            lines.append(f"tabmcp: strict: any skip fails the run (from {self.sources.get('strict', 'default')})")
        if self.latency_budget:
            lines.append(f"tabmcp: latency budget {format_budget(self.latency_budget)}")
        return lines


def _raw(config: pytest.Config, spec: OptionSpec) -> tuple[Any, str]:
    """Return ``(value, source)`` for one option: CLI, then env, then ini; ``(None, "default")`` if unset."""
    value = config.getoption(spec.dest, None)
    if value is not None:
        return value, spec.flag
    env = os.environ.get(spec.env, "").strip()
    if env:
        return env, f"env {spec.env}"
    ini = config.getini(spec.ini)
    if ini not in ("", None, []):
        return ini, f"ini {spec.ini}"
    return None, "default"


def _resolve(config: pytest.Config, spec: OptionSpec) -> tuple[Any, str]:
    """Return ``(value, source)`` for one option, converted by its spec; a bad value is a usage error."""
    __tracebackhide__ = True
    raw, source = _raw(config, spec)
    if raw is None:
        return spec.default(config), source
    try:
        return spec.convert(raw, source, config), source
    except ValueError as exc:
        where = "" if source == spec.flag else f" (from {source})"
        raise pytest.UsageError(f"{spec.flag}{where} {exc}") from None


def _live_headers(live_url: str | None) -> dict[str, str]:
    """The extra live request headers from ``TABMCP_LIVE_HEADERS`` (env only: they may hold secrets)."""
    __tracebackhide__ = True
    if not live_url or not os.environ.get(LIVE_HEADERS_ENV, "").strip():
        return {}
    try:
        return parse_live_headers(os.environ[LIVE_HEADERS_ENV])
    except ValueError as exc:
        raise pytest.UsageError(f"{LIVE_HEADERS_ENV} {exc}") from None


def _reject_incompatible(values: Mapping[str, Any], sources: Mapping[str, str]) -> None:
    """Reject incompatible combinations here, once (xdist style: say what to do instead)."""
    __tracebackhide__ = True
    if values["live_url"] and values["record_mode"] != "none":
        raise pytest.UsageError(
            f"--live-url (from {sources['live_url']}) is incompatible with "
            f"--tabmcp-record-mode={values['record_mode']} (from {sources['record_mode']}): live mode talks to a "
            "running server and records nothing; drop --live-url to record cassettes, or drop the record mode "
            "to test the live server."
        )


def resolve_options(config: pytest.Config) -> TabmcpOptions:
    """Resolve every tabmcp option with the precedence CLI > env > ini > default, and validate it.

    Raises ``pytest.UsageError`` naming the flag (and the env variable or ini key the value came from)
    and the accepted form for a bad value, and rejects incompatible combinations with a hint.
    """
    __tracebackhide__ = True
    values: dict[str, Any] = {}
    sources: dict[str, str] = {}
    for name, spec in SPECS.items():
        values[name], sources[name] = _resolve(config, spec)
    headers = _live_headers(values["live_url"])
    _reject_incompatible(values, sources)
    return TabmcpOptions(**values, live_headers=headers, sources=sources)


@dataclass(frozen=True, kw_only=True)
class MarkerOptions:
    """The validated keywords of ``@pytest.mark.tabmcp(...)`` on one test (closest marker wins per key)."""

    cassette: str | None = None
    record_mode: str | None = None
    latency_budget_ms: float | None = None


def _merge_markers(nodeid: str, markers: list[pytest.Mark]) -> dict[str, Any]:
    """The keywords of the test's ``tabmcp`` markers, closest first; anything but the known keys is an error."""
    __tracebackhide__ = True
    merged: dict[str, Any] = {}
    for mark in markers:  # iter_markers yields the closest marker first; it wins for each key
        unknown = [k for k in mark.kwargs if k not in MARKER_KEYS]
        if mark.args or unknown:
            raise pytest.UsageError(
                f"{nodeid}: @pytest.mark.tabmcp takes only the keyword arguments "
                f"{', '.join(f'{k}=' for k in MARKER_KEYS)}; got args: {mark.args!r}; kwargs: {mark.kwargs!r}"
            )
        for key, value in mark.kwargs.items():
            merged.setdefault(key, value)
    return merged


def validate_marker(nodeid: str, markers: list[pytest.Mark]) -> MarkerOptions:
    """Merge the test's ``tabmcp`` markers (closest first) and reject anything but the known keywords.

    Raises ``pytest.UsageError`` listing the allowed keys and echoing what was given.
    """
    __tracebackhide__ = True
    merged = _merge_markers(nodeid, markers)
    cassette = merged.get("cassette")
    if cassette is not None and (not isinstance(cassette, str) or not cassette.strip()):
        raise pytest.UsageError(
            f"{nodeid}: tabmcp(cassette=...) must be a cassette name such as 'racing'; got {cassette!r}"
        )
    record_mode = merged.get("record_mode")
    if record_mode is not None and record_mode not in RECORD_MODES:
        raise pytest.UsageError(
            f"{nodeid}: tabmcp(record_mode=...) must be one of {', '.join(RECORD_MODES)}; got {record_mode!r}"
        )
    budget = merged.get("latency_budget_ms")
    if budget is not None and (isinstance(budget, bool) or not isinstance(budget, (int, float)) or budget <= 0):
        raise pytest.UsageError(
            f"{nodeid}: tabmcp(latency_budget_ms=...) must be a positive number of milliseconds; got {budget!r}"
        )
    return MarkerOptions(
        cassette=cassette, record_mode=record_mode, latency_budget_ms=None if budget is None else float(budget)
    )


def effective_mode(options: TabmcpOptions, marker: MarkerOptions | None) -> Mode:
    """The mode of one test: live for the run, else record when its (marker or run) record mode writes."""
    if options.mode == "live":
        return "live"
    record_mode = (marker.record_mode if marker else None) or options.record_mode
    return "offline" if record_mode == "none" else "record"
