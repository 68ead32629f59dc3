"""Fault specs for the stand-in: the grammar, its validation, and which requests a fault hits.

A spec is one fault, written as comma-separated items with exactly one *kind*::

    SPEC  := ITEM ("," ITEM)*
    ITEM  := KIND | PARAM
    KIND  := "status=" CODE              an info-service error body with that status (200..599)
           | "html" ["=" CODE]           a text/html page (Akamai-style), status 200 unless given
           | "hang" ["=" SECONDS]        never answer; give up when the client disconnects (or after SECONDS, max 600)
           | "reset"                     send the headers and part of the body, then drop the connection
           | "malformed-json"            200 application/json whose body is cut off mid-document
           | "empty"                     200 application/json with an empty body (quirk 17)
           | "huge=" BYTES               200 application/json of exactly BYTES bytes (16..536870912)
           | "delay-ms=" MS              sleep MS ms, then answer normally (or apply the next matching fault)
           | "oauth-down"                POST /oauth/token answers 503 temporarily_unavailable
    PARAM := "retry-after=" SECONDS      adds ``Retry-After: SECONDS`` (status, html, oauth-down only)
           | "retry-after-date" ["=" SECONDS]   adds ``Retry-After: <HTTP-date now+SECONDS>`` (default 1)
           | "path=" PREFIX              only requests whose raw path starts with PREFIX (must start with "/")
           | "times=" N                  only the next N matching requests, then the fault is gone

Without ``path=`` a fault hits every info-service request (everything but ``/oauth/token`` and the control
API); ``oauth-down`` hits only ``/oauth/token``. Several faults may be active; they are tried in order, every
matching ``delay-ms`` adds its delay, and the first other matching fault decides the answer. Several specs can
be given in one string separated by ``;``.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable

OAUTH_PATH = "/oauth/token"
KINDS = ("status", "html", "hang", "reset", "malformed-json", "empty", "huge", "delay-ms", "oauth-down")
PARAMS = ("retry-after", "retry-after-date", "path", "times")
_MAX_HUGE = 512 * 1024 * 1024
_MAX_HANG_S = 600
_DEFAULT_HANG_S = 120


class FaultSpecError(ValueError):
    """A fault spec that does not follow the grammar; the message names the spec and the problem."""


@dataclasses.dataclass
class Fault:
    """One parsed fault. ``times`` counts down as requests consume it (None = unlimited)."""

    kind: str
    spec: str
    status: int | None = None
    retry_after: int | None = None
    retry_after_date: int | None = None
    size: int | None = None
    delay_ms: int = 0
    hang_s: float = _DEFAULT_HANG_S
    path: str | None = None
    times: int | None = None

    def applies_to(self, path: str) -> bool:
        """Return True when this fault hits a request for the canonical raw ``path``."""
        if self.kind == "oauth-down":
            return path == OAUTH_PATH
        if self.path is not None:
            return path.startswith(self.path)
        return path != OAUTH_PATH

    def to_dict(self) -> dict[str, object]:
        """Describe the fault for the control API (``GET /__standin/faults``)."""
        return {"spec": self.spec, "kind": self.kind, "path": self.path, "remaining": self.times}


def _int(spec: str, key: str, value: str | None, low: int, high: int) -> int:
    if value is None or value == "":
        raise FaultSpecError(f"fault {spec!r}: {key} needs a value, e.g. {key}={low}")
    try:
        number = int(value)
    except ValueError:
        raise FaultSpecError(f"fault {spec!r}: {key}={value!r} is not an integer") from None
    if not low <= number <= high:
        raise FaultSpecError(f"fault {spec!r}: {key}={number} is outside {low}..{high}")
    return number


def _apply_kind(fault: Fault, key: str, value: str | None) -> None:
    spec = fault.spec
    if key in ("reset", "malformed-json", "empty", "oauth-down") and value is not None:
        raise FaultSpecError(f"fault {spec!r}: {key} takes no value")
    if key == "status":
        fault.status = _int(spec, key, value, 200, 599)
    elif key == "html":
        fault.status = 200 if value is None else _int(spec, key, value, 200, 599)
    elif key == "huge":
        fault.size = _int(spec, key, value, 16, _MAX_HUGE)
    elif key == "delay-ms":
        fault.delay_ms = _int(spec, key, value, 0, 600_000)
    elif key == "hang" and value is not None:
        fault.hang_s = _int(spec, key, value, 1, _MAX_HANG_S)
    elif key == "oauth-down":
        fault.status = 503


def _apply_param(fault: Fault, key: str, value: str | None) -> None:
    spec = fault.spec
    if key == "retry-after":
        fault.retry_after = _int(spec, key, value, 0, 86_400)
    elif key == "retry-after-date":
        fault.retry_after_date = 1 if value is None else _int(spec, key, value, 0, 86_400)
    elif key == "times":
        fault.times = _int(spec, key, value, 1, 1_000_000)
    elif key == "path":
        if not value or not value.startswith("/"):
            raise FaultSpecError(
                f"fault {spec!r}: path= needs a prefix starting with '/', e.g. path=/v1/tab-info-service/"
            )
        fault.path = value


def parse_fault(spec: str) -> Fault:
    """Parse one fault spec (grammar in the module docstring); raise FaultSpecError when it is invalid."""
    text = spec.strip()
    if not text:
        raise FaultSpecError("fault spec is empty; use e.g. status=503 or hang")
    kinds: list[tuple[str, str | None]] = []
    params: list[tuple[str, str | None]] = []
    seen: set[str] = set()
    for raw_item in text.split(","):
        item = raw_item.strip()
        key, sep, value = item.partition("=")
        key = key.strip().lower()
        val = value.strip() if sep else None
        if key in seen:
            raise FaultSpecError(f"fault {text!r}: {key} is given twice")
        seen.add(key)
        if key in KINDS:
            kinds.append((key, val))
        elif key in PARAMS:
            params.append((key, val))
        else:
            raise FaultSpecError(
                f"fault {text!r}: unknown item {item!r}; kinds are {', '.join(KINDS)}; params are {', '.join(PARAMS)}"
            )
    if len(kinds) != 1:
        raise FaultSpecError(f"fault {text!r}: give exactly one kind ({', '.join(KINDS)}), not {len(kinds)}")
    kind, kind_value = kinds[0]
    fault = Fault(kind=kind, spec=text)
    _apply_kind(fault, kind, kind_value)
    for key, param_value in params:
        _apply_param(fault, key, param_value)
    retry = fault.retry_after is not None or fault.retry_after_date is not None
    if retry and kind not in ("status", "html", "oauth-down"):
        raise FaultSpecError(f"fault {text!r}: retry-after only goes with status, html or oauth-down")
    if fault.retry_after is not None and fault.retry_after_date is not None:
        raise FaultSpecError(f"fault {text!r}: give retry-after or retry-after-date, not both")
    if kind == "oauth-down" and fault.path is not None:
        raise FaultSpecError(f"fault {text!r}: oauth-down always targets {OAUTH_PATH}; drop path=")
    return fault


def parse_faults(faults: str | Fault | Iterable[str | Fault] | None) -> list[Fault]:
    """Normalise what callers pass (None, one spec, ``;``-separated specs, Fault objects or a list) to Faults."""
    if faults is None:
        return []
    items = [faults] if isinstance(faults, (str, Fault)) else list(faults)
    parsed: list[Fault] = []
    for item in items:
        if isinstance(item, Fault):
            parsed.append(dataclasses.replace(item))
        elif isinstance(item, str):
            parsed.extend(parse_fault(part) for part in item.split(";") if part.strip())
        else:
            raise FaultSpecError(f"fault {item!r} is neither a spec string nor a Fault")
    return parsed
