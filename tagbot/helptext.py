"""Help that reads like a manual: metavars (`PATH`, `FILE`) instead of Python type names.

typer 0.29 prints `<bool>`, `<list[Path]>` and `{image}` in `--help`; these overrides show a
flag with no type, a value option by its metavar (or its name in capitals), and an argument by
its metavar, `<ARG>` when required, `[ARG]` when not. Cosmetic only: if a later typer renames
these hooks, help falls back to typer's own rendering.
"""

from __future__ import annotations

from typing import Any

from typer import core


def _option_type(self: Any, ctx: Any) -> str | None:
    if self.metavar is not None:
        return str(self.metavar)
    if getattr(self, "is_flag", False) or getattr(self, "is_bool_flag", False):
        return None
    return str(self.name or "value").upper()


def _argument_type(self: Any, ctx: Any) -> str | None:
    return None


def _argument_usage(self: Any) -> str:
    name = str(self.metavar or (self.name or "arg").upper())
    name = f"<{name}>" if self.required else f"[{name}]"
    return name + ("..." if self.nargs != 1 else "")


def _argument_name(self: Any) -> str:
    return str(self.metavar or (self.name or "arg").upper())


def install() -> None:
    """Replace typer's type display with metavars (idempotent)."""
    core.TyperOption.display_type_rich = _option_type  # type: ignore[method-assign]
    core.TyperArgument.display_type_rich = _argument_type  # type: ignore[method-assign]
    if hasattr(core.TyperArgument, "_usage_display_name"):
        core.TyperArgument._usage_display_name = _argument_usage  # type: ignore[method-assign]
    if hasattr(core.TyperArgument, "display_name_raw"):
        core.TyperArgument.display_name_raw = property(_argument_name)  # type: ignore[assignment,method-assign]
