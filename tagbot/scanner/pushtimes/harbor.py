"""Harbor: `GET /api/v2.0/projects/{project}/repositories/{repository}/artifacts/{tag}`.

Harbor's API (swagger `api/v2.0/swagger.yaml`): the repository name inside the project is
URL-encoded twice when it holds a slash (`a/b` -> `a%252Fb`), and the answer is an `Artifact`:
`{"digest": "sha256:...", "push_time": "2024-05-06T05:20:30.123Z", "pull_time": "...",
"tags": [{"name": "1.2.0", "push_time": "2024-05-06T05:20:30.123Z", "immutable": false, ...}],
...}`. The tag's own `push_time` is when that tag was pushed (an artifact may carry several
tags, pushed at different times); the artifact's `push_time` is the fallback. Harbor takes Basic
auth with the registry's own login (a user or a robot account), so no extra secret is needed.
"""

from __future__ import annotations

import base64
from datetime import datetime
from urllib.parse import quote

from tagbot.scanner.pushtimes.api import Api, rfc3339

LABEL = "Harbor"
BASE = None  # the registry's own host


def pushed(api: Api, repository: str, tag: str) -> datetime | None:
    """When `tag` was pushed; None when Harbor has no such project, repository or tag."""
    project, _, name = repository.partition("/")
    if not name:
        return None  # every Harbor repository lives in a project
    encoded = quote(quote(name, safe=""), safe="")
    url = (
        f"{api.base}/api/v2.0/projects/{quote(project, safe='')}/repositories/{encoded}"
        f"/artifacts/{quote(tag, safe='')}"
    )
    data = api.get_object(url, authorization(api), f"artifact {tag!r} of {repository!r}")
    if data is None:
        return None
    tags = data.get("tags")
    for entry in tags if isinstance(tags, list) else []:
        if isinstance(entry, dict) and entry.get("name") == tag:
            when = rfc3339(entry.get("push_time"))
            if when is not None:
                return when
    return rfc3339(data.get("push_time"))


def authorization(api: Api) -> str | None:
    """Basic auth with the registry's login; a configured token as a bearer; else anonymous."""
    if api.token:
        return f"Bearer {api.token}"
    found = api.credentials()
    if found is None or not found.username or not found.password:
        return None
    pair = f"{found.username}:{found.password}".encode()
    return "Basic " + base64.b64encode(pair).decode()
