"""Quay (quay.io and self-hosted): `GET /api/v1/repository/{namespace}/{repository}/tag/
?specificTag={tag}&onlyActiveTags=true`.

The answer (Quay's `endpoints/api/tag.py`, `ListRepositoryTags` and `_tag_dict`):
`{"tags": [{"name": "1.2.0", "reversion": false, "start_ts": 1714972830, "manifest_digest":
"sha256:...", "is_manifest_list": false, "size": 1234, "last_modified": "Mon, 06 May 2024
05:20:30 -0000"}], "page": 1, "has_additional": false}`. `start_ts` (seconds since 1970) is when
the tag got its current manifest, i.e. its push; `last_modified` says the same in RFC 2822.
A tag that was moved or deleted also has `end_ts`; `onlyActiveTags` leaves those out. Public
repositories answer anonymously; private ones need an OAuth token (`push_times_token_env`),
which registry robot credentials are not.
"""

from __future__ import annotations

from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from urllib.parse import quote, urlencode

from tagbot.scanner.pushtimes.api import Api, epoch

LABEL = "Quay"
BASE = None  # the registry's own host: quay.io, or a self-hosted Quay


def pushed(api: Api, repository: str, tag: str) -> datetime | None:
    """When the active `tag` was pushed; None when Quay has no such repository or tag."""
    query = urlencode({"specificTag": tag, "onlyActiveTags": "true"})
    url = f"{api.base}/api/v1/repository/{quote(repository, safe='/')}/tag/?{query}"
    authorization = f"Bearer {api.token}" if api.token else None
    data = api.get_object(url, authorization, f"tag {tag!r} of {repository!r}")
    tags = data.get("tags") if data is not None else None
    for entry in tags if isinstance(tags, list) else []:
        if not isinstance(entry, dict) or entry.get("name") != tag or "end_ts" in entry:
            continue
        return epoch(entry.get("start_ts")) or _rfc2822(entry.get("last_modified"))
    return None


def _rfc2822(value: object) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    # Quay writes `-0000` (`email.utils.formatdate` of a UTC time), which Python reads as
    # naive: "UTC, source zone unknown" (RFC 2822 3.3).
    return when if when.tzinfo is not None else when.replace(tzinfo=UTC)
