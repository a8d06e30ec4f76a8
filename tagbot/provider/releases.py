"""Whether a release page exists for a tag, so a PR body links only pages that are there."""

from __future__ import annotations

from collections.abc import Callable

from tagbot.provider.links import release_url

Probe = Callable[[str], bool]


def find_release(repo: str, tag: str, exists: Probe | None = None) -> str | None:
    """The release page of `tag` (or of `v<tag>`) in `repo` on GitHub/GitLab that `exists`
    confirms; None when neither is there or the host has no known release pages."""
    probe = exists or page_exists
    names = [tag] if tag.startswith("v") else [tag, f"v{tag}"]
    for name in names:
        url = release_url(repo, name)
        if url and probe(url):
            return url
    return None


def page_exists(url: str, timeout: float = 5.0) -> bool:
    """True when a HEAD request for `url` ends in 200 (redirects followed); False on any error."""
    import httpx

    try:
        reply = httpx.head(url, follow_redirects=True, timeout=timeout)
    except httpx.HTTPError:
        return False
    return reply.status_code == 200
