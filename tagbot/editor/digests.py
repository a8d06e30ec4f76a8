"""Digest fields keep their chart's convention: `sha256:<hex>` or bare hex, and the boolean
that switches the digest on (`useDigest`) agrees with the digest after an edit."""

from __future__ import annotations

import re
from collections.abc import Sequence

from tagbot.errors import EditError
from tagbot.models import Field

# The key in front of a digest field: Grafana's and prometheus-community's charts template
# `@sha256:{{ .Values.image.sha }}`, so a `sha:` field gets the bare hex.
_KEY_BEFORE = re.compile(r"""["']?([\w.-]+)["']?[ \t]*:[ \t]*(?:[&!]\S*[ \t]+)*$""")
_BARE_HEX = re.compile(r"[a-f0-9]{64}")
_NULLS = {"", "~", "null", "Null", "NULL"}
_TRUE = {"true", "True", "TRUE", "yes", "Yes", "YES", "on", "On", "ON"}


def key_of(text: str, field: Field) -> str | None:
    """The mapping key written before the field on its line, or None."""
    line_start = text.rfind("\n", 0, field.start) + 1
    key = _KEY_BEFORE.search(text, line_start, field.start)
    return key.group(1) if key is not None else None


def value(text: str, field: Field, digest: str | None) -> str:
    """The digest field's new value; an empty string when there is no new digest (or the
    field is ingress-nginx's `digestChroot`, whose image is another one).

    Emptied, not removed: Helm charts (bitnami, ingress-nginx, prometheus-community) declare
    `digest: ""` as their own "no digest" default and Kustomize reads "" as unset, so the file
    keeps its shape, the diff is one line, and re-parsing checks a plain value change. The
    prefix follows the key's convention, never whether the old value was empty or null: `sha`
    (and a field that already holds bare hex) takes the hex, every other key `sha256:<hex>`.
    """
    key = key_of(text, field)
    if not digest or key == "digestChroot":
        return ""
    bare = key == "sha" or _BARE_HEX.fullmatch(field.value) is not None
    if not bare:
        return digest
    algorithm, _, hexpart = digest.partition(":")
    if algorithm != "sha256":
        raise EditError(f"the {key or 'digest'} field holds sha256 hex, not a {algorithm} digest")
    return hexpart


def check_switch(fields: Sequence[Field], digest: str | None) -> None:
    """Raise EditError when a `useDigest`-style boolean would disagree with the digest.

    A switch left on beside a digest the edit clears renders `repo:tag@`, an invalid
    reference; a digest written beside a switch that is off is never pulled. A digest that
    was empty before stays a tag-only edit: the chart already renders it that way.
    """
    switches = [f for f in fields if f.role == "switch"]
    if not switches:
        return
    had = any(not _null(f) for f in fields if f.role == "digest")
    for switch in switches:
        on = switch.value in _TRUE
        if on and not digest and had:
            raise EditError(
                f"useDigest is true at line {switch.line} and the new tag has no digest: the "
                "chart would render `repo:tag@`; pin the digest or set useDigest: false"
            )
        if not on and digest:
            raise EditError(
                f"useDigest is false at line {switch.line}: the new digest would never be "
                "pulled; set useDigest: true to pin it"
            )


def _null(field: Field) -> bool:
    return not field.value or (field.style is None and field.value in _NULLS)
