"""Links for a PR body from an image's OCI labels (`org.opencontainers.image.*`): the source
repository, a compare link between the old and new revisions, the release page, the docs URL
and the build time. Label values come from a registry: only plain https URLs and hex revisions
are used."""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import UTC, datetime
from urllib.parse import quote, urlsplit

SOURCE = "org.opencontainers.image.source"
REVISION = "org.opencontainers.image.revision"
URL = "org.opencontainers.image.url"
CREATED = "org.opencontainers.image.created"
_REVISION = re.compile(r"[0-9a-f]{7,64}")
_SCP = re.compile(r"^git@(?P<host>[A-Za-z0-9.-]+):(?P<path>[\w.-]+(?:/[\w.-]+)+)$")
_PATH = re.compile(r"^/[\w.-]+(?:/[\w.-]+)+/?$")


def repository(source: str | None) -> str | None:
    """`https://host/owner/name` for a source label (https, `git@host:` or `.git` forms); None
    for anything else."""
    if not source:
        return None
    text = source.strip()
    match = _SCP.match(text)
    if match:
        text = f"https://{match['host']}/{match['path']}"
    parts = urlsplit(text)
    if parts.scheme not in ("https", "http") or not parts.hostname or parts.username:
        return None
    if not _PATH.match(parts.path) or parts.query or parts.fragment:
        return None
    path = parts.path.rstrip("/").removesuffix(".git")
    return f"https://{parts.hostname}{path}"


def forge_of(repo: str) -> str | None:
    """ "github" or "gitlab" when the repository's host is one (so compare links have a known
    form); None for other hosts."""
    host = urlsplit(repo).hostname or ""
    if host == "github.com":
        return "github"
    if host == "gitlab.com" or host.startswith("gitlab."):
        return "gitlab"
    return None


def compare_url(repo: str, old: str, new: str) -> str | None:
    """The page comparing two revisions on GitHub or GitLab; None elsewhere."""
    forge = forge_of(repo)
    if forge == "github":
        return f"{repo}/compare/{old}...{new}"
    if forge == "gitlab":
        return f"{repo}/-/compare/{old}...{new}"
    return None


def release_url(repo: str, tag: str) -> str | None:
    """Where the release page for `tag` would be on GitHub or GitLab; None elsewhere. Whether it
    exists is for the caller to find out (a HEAD request) before it is shown."""
    forge = forge_of(repo)
    if forge == "github":
        return f"{repo}/releases/tag/{quote(tag)}"
    if forge == "gitlab":
        return f"{repo}/-/releases/{quote(tag)}"
    return None


def _revision(labels: Mapping[str, str]) -> str | None:
    value = labels.get(REVISION, "").strip().lower()
    return value if _REVISION.fullmatch(value) else None


def for_update(
    labels: Mapping[str, str], old_labels: Mapping[str, str], tag: str, release: str | None
) -> list[tuple[str, str]]:
    """`(name, Markdown)` pairs for the body's link list, in a fixed order."""
    found: list[tuple[str, str]] = []
    repo = repository(labels.get(SOURCE))
    if repo:
        found.append(("Source", f"<{repo}>"))
    new, old = _revision(labels), _revision(old_labels)
    if repo and new and old and new != old:
        url = compare_url(repo, old, new)
        if url:
            found.append(("Changes", f"[`{old[:7]}...{new[:7]}`]({url})"))
    elif repo and new and forge_of(repo):
        found.append(("Revision", f"[`{new[:7]}`]({repo}/commit/{new})"))
    if release and repo and release.startswith(repo + "/"):
        found.append(("Release", f"<{release}>"))
    docs = repository(labels.get(URL)) or _plain_https(labels.get(URL))
    if docs and docs != repo:
        found.append(("Project", f"<{docs}>"))
    built = _built(labels.get(CREATED, ""))
    if built:
        found.append(("Built", built))
    return found


def _built(text: str) -> str | None:
    """`2024-05-17 08:30 UTC` for an RFC 3339 time; None for anything else."""
    try:
        when = datetime.fromisoformat(text.strip())
    except ValueError:
        return None
    when = when.replace(tzinfo=UTC) if when.tzinfo is None else when.astimezone(UTC)
    return when.strftime("%Y-%m-%d %H:%M UTC")


def _plain_https(url: str | None) -> str | None:
    if not url:
        return None
    parts = urlsplit(url.strip())
    ok = parts.scheme == "https" and parts.hostname and not parts.username
    return f"https://{parts.hostname}{parts.path}" if ok and " " not in url.strip() else None
