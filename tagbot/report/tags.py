"""`tagbot tags` as text: the pick and its reason, then one reason for every other tag."""

from __future__ import annotations

from tagbot.models import Selection


def render_text(selection: Selection, current: str | None = None) -> str:
    """Plain text: the choice and its reason, then one `TAG  REASON` line per rejected tag."""
    lines = []
    if current is not None:
        lines.append(f"current:  {current}")
    if selection.selected is not None:
        lines.append(f"selected: {selection.selected}  ({selection.reason})")
    else:
        lines.append(f"selected: none  ({selection.reason})")
    if selection.digest is not None:
        lines.append(f"digest:   {selection.digest}")
    if selection.rejected:
        width = min(max(len(r.tag) for r in selection.rejected), 60)
        lines.append(f"rejected: {len(selection.rejected)}")
        lines.extend(f"  {r.tag:<{width}}  {r.reason}" for r in selection.rejected)
    return "\n".join(lines) + "\n"
