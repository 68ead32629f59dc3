"""The one path builder: every upstream path the server requests is made here.

Rules (design.md §2): each segment is percent-encoded with nothing left safe, so a name such as
``Ebden/Purcell v Granollers/Zeballos`` stays one segment; ``.``, ``..``, empty segments and control
characters are refused; and no built path can leave ``/v1/tab-info-service/``.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from urllib.parse import parse_qsl, quote, unquote, urlsplit

from tab_mcp.errors import InputError, PolicyError

INFO_PREFIX = "/v1/tab-info-service/"
OAUTH_PATH = "/oauth/token"
MAX_SEGMENT_CHARS = 200
MAX_PATH_CHARS = 2000
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def _check_segment(segment: str, *, label: str) -> str:
    if not segment or not segment.strip():
        raise InputError(f"{label} must not be empty; pass the name or code exactly as the API lists it.")
    if _CONTROL.search(segment) or any(unicodedata.category(ch) in {"Cc", "Cf", "Zl", "Zp"} for ch in segment):
        raise InputError(f"{label} {segment!r} contains control characters; pass the plain name as the API lists it.")
    if segment.strip() in {".", ".."}:
        raise InputError(f"{label} {segment!r} is not a name; pass the name or code exactly as the API lists it.")
    # A '/' inside a name is legal and encoded (%2F), but some proxies decode %2F; refuse names whose
    # '/'-separated parts are dot segments, so no decoding step can turn them into a path traversal.
    if any(part.strip() in {".", ".."} for part in re.split(r"[/\\]", segment)):
        raise InputError(
            f"{label} {segment[:80]!r} contains '.' or '..' path parts; pass the name as the API lists it."
        )
    if len(segment) > MAX_SEGMENT_CHARS:
        raise InputError(f"{label} is {len(segment)} characters long; the limit is {MAX_SEGMENT_CHARS}.")
    return segment


def encode_segment(value: str | int, *, label: str = "path segment") -> str:
    """Percent-encode one path segment with nothing left safe, after refusing unsafe values."""
    text = _check_segment(str(value), label=label)
    return quote(text, safe="")


@functools.lru_cache(maxsize=256)
def _literal_segment(segment: str | int) -> str:
    # Literal segments are the code's own constants ("racing", "dates"): checking and encoding each once is
    # enough, and it takes a per-call cost off every tool.
    return encode_segment(segment)


class InfoPath(str):
    """A built path that remembers its template: the literal segments, with ``{label}`` for each argument.

    The template names the endpoint in telemetry without carrying an argument value.
    """

    template: str

    def __new__(cls, path: str, template: str) -> InfoPath:
        """Make the path string and attach its template."""
        built = super().__new__(cls, path)
        built.template = template
        return built


def info_path(*segments: str | int | tuple[str, str | int]) -> InfoPath:
    """Build an info-service path from literal and user-supplied segments.

    Literal segments are plain strings; user-supplied ones are ``(label, value)`` pairs so that a refusal
    names the argument, e.g. ``info_path("sports", ("sport_name", name))``.
    """
    parts = []
    template = []
    for seg in segments:
        if isinstance(seg, tuple):
            parts.append(encode_segment(seg[1], label=seg[0]))
            template.append("{" + seg[0] + "}")
        else:
            literal = _literal_segment(seg)
            parts.append(literal)
            template.append(literal)
    return InfoPath(INFO_PREFIX + "/".join(parts), INFO_PREFIX + "/".join(template))


def path_template(path: str) -> str:
    """The template of an upstream path for telemetry: never an argument value.

    Paths built by :func:`info_path` carry theirs; a caller-supplied path (``tab_get``, ``tab_post``) is
    reduced to its service prefix.
    """
    template = getattr(path, "template", None)
    if isinstance(template, str):
        return template
    if path == OAUTH_PATH:
        return OAUTH_PATH
    return INFO_PREFIX + "{path}" if path.startswith(INFO_PREFIX) else "/{path}"


def normalise_info_path(path: str, *, prefix: str = INFO_PREFIX) -> tuple[str, list[tuple[str, str]]]:
    """Normalise a caller-supplied path (``tab_get``/``tab_post``) and split off its query string.

    Accepts an absolute path such as ``/v1/tab-info-service/sports/AFL%20Football?jurisdiction=NSW`` (the
    form ``_links`` use). Each segment is decoded once and re-encoded, so pre-encoded links keep their
    meaning. A scheme, host, fragment, dot segment, backslash or control character is refused, and so is
    anything outside ``prefix``.
    """
    raw = path.strip()
    if not raw:
        raise InputError(f"path must not be empty; pass a path under {prefix}, e.g. {prefix}racing/dates.")
    if len(raw) > MAX_PATH_CHARS:
        raise InputError(f"path is {len(raw)} characters long; the limit is {MAX_PATH_CHARS}.")
    if _CONTROL.search(raw) or "\\" in raw:
        raise InputError(f"path {raw[:80]!r} contains control characters or a backslash; pass a plain API path.")
    parts = urlsplit(raw)
    if parts.scheme or parts.netloc or raw.startswith("//"):
        raise PolicyError(
            f"path {raw[:80]!r} names a scheme or host; pass only the path part under {prefix} "
            "(the server always calls its configured TAB host)."
        )
    if parts.fragment or "#" in raw:
        raise InputError(f"path {raw[:80]!r} contains a fragment ('#'); remove it.")
    if not parts.path.startswith("/"):
        raise InputError(f"path {raw[:80]!r} must be absolute, starting with {prefix}.")
    segments = parts.path.split("/")[1:]
    if segments and segments[-1] == "":
        segments = segments[:-1]  # a trailing slash is harmless
    encoded = []
    for seg in segments:
        try:
            decoded = unquote(seg, errors="strict")
        except UnicodeDecodeError:
            raise InputError(
                f"path {raw[:80]!r} holds a percent-escape that is not UTF-8; encode names as UTF-8."
            ) from None
        if decoded in {"", ".", ".."} or _CONTROL.search(decoded):
            raise PolicyError(
                f"path {raw[:80]!r} contains an empty, '.' or '..' segment or an encoded control character; "
                f"pass a plain path under {prefix}."
            )
        encoded.append(quote(decoded, safe=""))
    normalised = "/" + "/".join(encoded)
    if not (normalised + "/").startswith(prefix):
        raise PolicyError(f"path {raw[:80]!r} is outside {prefix}; this tool only reaches the TAB info service.")
    query = parse_qsl(parts.query, keep_blank_values=True)
    return normalised, query
