"""The ``TAB_*`` environment variables, derived from ``tab_mcp.settings.Settings``.

One source of truth: ``.env.example``, the release notes and the DEPLOYMENT.md table are all rendered from
``Settings.model_fields`` by this module, and tests fail when a committed copy drifts.
"""

from __future__ import annotations

import types
import typing
from dataclasses import dataclass
from typing import Any, Literal

from pydantic import SecretStr
from pydantic_core import PydanticUndefined


@dataclass(frozen=True)
class EnvVar:
    """One configuration variable: its name, rendered default, description and whether it is a secret."""

    name: str
    field: str
    default: str
    description: str
    secret: bool
    choices: tuple[str, ...] = ()


def _contains(annotation: Any, target: type) -> bool:
    """Return True when ``target`` appears anywhere in ``annotation`` (unions, Optional, generics)."""
    if annotation is target:
        return True
    origin = typing.get_origin(annotation)
    if origin in (typing.Union, types.UnionType) or origin is not None:
        return any(_contains(arg, target) for arg in typing.get_args(annotation))
    return False


def _choices(annotation: Any) -> tuple[str, ...]:
    """Return the allowed values of a ``Literal`` annotation (possibly inside Optional), else ``()``."""
    if typing.get_origin(annotation) is Literal:
        return tuple(str(a) for a in typing.get_args(annotation))
    for arg in typing.get_args(annotation):
        found = _choices(arg)
        if found:
            return found
    return ()


def render_default(value: Any) -> str:
    """Render a default the way it is written in an environment variable (``False`` -> ``false``)."""
    if value is None or value is PydanticUndefined:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, (list, tuple, set)):
        return ",".join(str(v) for v in value)
    return str(value)


def settings_env_vars() -> list[EnvVar]:
    """Return every ``TAB_*`` variable of ``Settings``, in declaration order."""
    # Imported here so `python -m tabmcp_ops.monitor` never needs the server package's import cost.
    from tab_mcp.settings import Settings, env_var_name

    found = []
    for field_name, info in Settings.model_fields.items():
        if info.default_factory is not None:
            default = info.default_factory()  # type: ignore[call-arg]
        else:
            default = info.default
        found.append(
            EnvVar(
                name=env_var_name(field_name),
                field=field_name,
                default=render_default(default),
                description=(info.description or "").strip(),
                secret=_contains(info.annotation, SecretStr),
                choices=_choices(info.annotation),
            )
        )
    return found


def markdown_table(env_vars: list[EnvVar] | None = None) -> str:
    """Render the variables as a GitHub Markdown table (used by DEPLOYMENT.md and the release notes)."""
    rows = [
        "| Variable | Default | Secret | Description |",
        "|---|---|---|---|",
    ]
    for var in env_vars if env_vars is not None else settings_env_vars():
        default = f"`{var.default}`" if var.default else "*(unset)*"
        secret = "yes" if var.secret else "no"
        description = var.description.replace("|", "\\|")
        rows.append(f"| `{var.name}` | {default} | {secret} | {description} |")
    return "\n".join(rows) + "\n"
