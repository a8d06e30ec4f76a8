"""Tag-list pagination: the `Link: <...>; rel="next"` header (RFC 8288), same origin only."""

from __future__ import annotations

import re

import httpx

from tagbot.errors import RegistryError

_LINK = re.compile(r"<([^>]*)>\s*((?:;\s*[^;,]*)*)")
_REL = re.compile(r"""(?i)(?:^|;)\s*rel\s*=\s*(?:"([^"]*)"|([^\s;]+))""")


def next_target(links: list[str]) -> str | None:
    """The URL-reference of the `rel="next"` link among `Link` header values, else None."""
    for header in links:
        for match in _LINK.finditer(header):
            target, params = match.group(1), match.group(2)
            for rel in _REL.finditer(params):
                rels = (rel.group(1) or rel.group(2) or "").lower().split()
                if "next" in rels:
                    return target.strip()
    return None


def next_url(links: list[str], current: httpx.URL, registry: str) -> httpx.URL | None:
    """The absolute next-page URL, resolved against `current`; another origin is refused.

    The link may be relative (`/v2/...?last=x`) or absolute, with any opaque cursor: it is used
    as given, never rebuilt, so a registry's own paging parameters survive.
    """
    target = next_target(links)
    if not target:
        return None
    try:
        url = current.join(target)
    except httpx.InvalidURL:
        raise RegistryError(f"{registry}: malformed next-page link") from None
    if (url.scheme, url.host, url.port) != (current.scheme, current.host, current.port):
        # Following it would send our credentials, and trust, to a host we never chose.
        raise RegistryError(f"{registry}: next-page link points to another origin; refused")
    return url
