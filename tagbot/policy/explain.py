"""What `tagbot tags` shows: the selected tag and one reason for every other tag.

The command lists the tags (and fetches digests or build times when `build(spec).needs` asks),
then calls `explain` and prints `render_text` or `as_json`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, cast

from tagbot.errors import ConfigError
from tagbot.models import PolicyKind, PolicySpec, Selection, Tag
from tagbot.policy.build import POLICIES, build


def spec_from_options(
    policy: str | None = None,
    range_: str | None = None,
    filter_: str | None = None,
    extract: str | None = None,
    prerelease: bool = False,
    ignore: Sequence[str] = (),
) -> PolicySpec:
    """A validated PolicySpec from `--policy/--range/--filter/--extract/--prerelease/--ignore`.

    Raises ConfigError (exit 2) for an unknown policy, a bad range, regex or extract.
    """
    kind = policy or "semver"
    if kind not in POLICIES:
        raise ConfigError(f"unknown policy {kind!r}; expected one of {', '.join(POLICIES)}")
    spec = PolicySpec(
        kind=cast(PolicyKind, kind),  # checked against POLICIES just above
        range=range_ or None,
        filter=filter_ or None,
        extract=extract or None,
        ignore=tuple(ignore),
        prerelease=prerelease,
    )
    build(spec)
    return spec


def explain(
    spec: PolicySpec,
    current: str | None,
    tags: Sequence[Tag],
    current_digest: str | None = None,
) -> Selection:
    """Run the spec's policy over `tags`; the Selection holds the choice and every rejection."""
    return build(spec).select(current, tags, current_digest)


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


def as_json(image: str, tags: Sequence[Tag], selection: Selection) -> dict[str, Any]:
    """The `tagbot tags --json` document (DESIGN.md), plus the selection's reason and digest."""
    return {
        "image": image,
        "tags": [t.name for t in tags],
        "selected": selection.selected,
        "reason": selection.reason,
        "digest": selection.digest,
        "rejected": [{"tag": r.tag, "reason": r.reason} for r in selection.rejected],
    }
