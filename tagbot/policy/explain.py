"""The policy of `tagbot tags`: a spec from its flags, and a selection with every rejection.

Rendering the explanation lives in `tagbot.report` (`render_text`, `selection_json`).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import cast

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
