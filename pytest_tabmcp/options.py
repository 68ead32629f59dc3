"""The plugin's run-level options and the ONE function that resolves them.

Every ``--tabmcp-*`` / ``--live-url`` value is read here and nowhere else, by :func:`resolve_options`, with
the precedence **command line > environment variable > ini key > default**. An environment variable set by
CI or the monitor therefore overrides the repository's checked-in ini file, and a flag typed by a person
overrides both. Per-test ``@pytest.mark.tabmcp(...)`` keywords then override the run-level value for that
one test (see :func:`validate_marker`).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import pytest

from pytest_tabmcp._live import LIVE_HEADERS_ENV, parse_live_headers, redact_url, validate_live_url
from pytest_tabmcp.latency import BUDGET_FORM, format_budget, parse_budget
from pytest_tabmcp.plugin import RECORD_MODES, SPECS, OptionSpec

__all__ = ["RECORD_MODES", "SPECS", "MarkerOptions", "TabmcpOptions", "resolve_options", "validate_marker"]

MARKER_KEYS: tuple[str, ...] = ("cassette", "record_mode", "latency_budget_ms")
Mode = Literal["offline", "record", "live"]

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off"}


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


def _usage(spec: OptionSpec, source: str, problem: str) -> pytest.UsageError:
    where = "" if source == spec.flag else f" (from {source})"
    return pytest.UsageError(f"{spec.flag}{where} {problem}")


def _raw(config: pytest.Config, name: str) -> tuple[Any, str]:
    """Return ``(value, source)`` for one option: CLI, then env, then ini; ``(None, "default")`` if unset."""
    spec = SPECS[name]
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


def _path(config: pytest.Config, value: str, source: str) -> Path:
    # Relative paths: from an ini file they are relative to that file, like pytest's own ini paths; from the
    # command line or the environment, relative to where pytest was invoked.
    if source.startswith("ini"):
        base = config.inipath.parent if config.inipath else config.rootpath
    else:
        base = config.invocation_params.dir
    return (base / Path(value).expanduser()).resolve()


def _bool(value: Any, spec: OptionSpec, source: str) -> bool:
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in _TRUE | _FALSE:
        return text in _TRUE
    raise _usage(spec, source, f"must be a boolean (1/true/yes/on or 0/false/no/off); got {value!r}")


def resolve_options(config: pytest.Config) -> TabmcpOptions:
    """Resolve every tabmcp option with the precedence CLI > env > ini > default, and validate it.

    Raises ``pytest.UsageError`` naming the flag (and the env variable or ini key the value came from)
    and the accepted form for a bad value, and rejects incompatible combinations with a hint.
    """
    __tracebackhide__ = True
    sources: dict[str, str] = {}

    live_url, sources["live_url"] = _raw(config, "live_url")
    if live_url is not None:
        try:
            live_url = validate_live_url(str(live_url))
        except ValueError as exc:
            raise _usage(SPECS["live_url"], sources["live_url"], str(exc)) from None

    record_mode, sources["record_mode"] = _raw(config, "record_mode")
    record_mode = str(record_mode or "none").strip().lower()
    if record_mode not in RECORD_MODES:
        raise _usage(
            SPECS["record_mode"],
            sources["record_mode"],
            f"must be one of {', '.join(RECORD_MODES)}; got {record_mode!r}",
        )

    cassette_dir, sources["cassette_dir"] = _raw(config, "cassette_dir")
    cassette_path = (
        config.rootpath / "cassettes"
        if cassette_dir is None
        else _path(config, str(cassette_dir), sources["cassette_dir"])
    )

    budget_text, sources["latency_budget"] = _raw(config, "latency_budget")
    budget: dict[str, float] = {}
    if budget_text is not None:
        try:
            budget = parse_budget(str(budget_text))
        except ValueError as exc:
            raise _usage(
                SPECS["latency_budget"], sources["latency_budget"], f"must be {BUDGET_FORM}; {exc} in {budget_text!r}"
            ) from None

    json_path, sources["latency_json"] = _raw(config, "latency_json")
    latency_json = None if json_path is None else _path(config, str(json_path), sources["latency_json"])

    destructive, sources["allow_destructive"] = _raw(config, "allow_destructive")
    allow_destructive = (
        False if destructive is None else _bool(destructive, SPECS["allow_destructive"], sources["allow_destructive"])
    )

    strict_value, sources["strict"] = _raw(config, "strict")
    strict = False if strict_value is None else _bool(strict_value, SPECS["strict"], sources["strict"])

    headers: dict[str, str] = {}
    if live_url and os.environ.get(LIVE_HEADERS_ENV, "").strip():
        try:
            headers = parse_live_headers(os.environ[LIVE_HEADERS_ENV])
        except ValueError as exc:
            raise pytest.UsageError(f"{LIVE_HEADERS_ENV} {exc}") from None

    # Incompatible combinations, rejected here once (xdist style: say what to do instead).
    if live_url and record_mode != "none":
        raise pytest.UsageError(
            f"--live-url (from {sources['live_url']}) is incompatible with --tabmcp-record-mode={record_mode} "
            f"(from {sources['record_mode']}): live mode talks to a running server and records nothing; "
            "drop --live-url to record cassettes, or drop the record mode to test the live server."
        )
    return TabmcpOptions(
        live_url=live_url,
        record_mode=record_mode,
        cassette_dir=cassette_path,
        latency_budget=budget,
        latency_json=latency_json,
        allow_destructive=allow_destructive,
        strict=strict,
        live_headers=headers,
        sources=sources,
    )


@dataclass(frozen=True, kw_only=True)
class MarkerOptions:
    """The validated keywords of ``@pytest.mark.tabmcp(...)`` on one test (closest marker wins per key)."""

    cassette: str | None = None
    record_mode: str | None = None
    latency_budget_ms: float | None = None


def validate_marker(nodeid: str, markers: list[pytest.Mark]) -> MarkerOptions:
    """Merge the test's ``tabmcp`` markers (closest first) and reject anything but the known keywords.

    Raises ``pytest.UsageError`` listing the allowed keys and echoing what was given.
    """
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
