"""Push times from the registry vendors' own APIs, for `min_age`: what users mean by a tag's
age (when it was pushed, not when it was built; reproducible builds write 1970).

One entry per API in `VENDORS`; `vendor_for` picks one per registry: `push_times` on the
`registries:` entry, or by host (`docker.io` Docker Hub, `quay.io` Quay, `ghcr.io` GitHub).
Harbor has no host to recognise it by: `push_times: harbor` opts in. Any failure of an API is
a warning, once per API and run, and the tag's age falls back to its image config's `created`.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime

from tagbot.errors import RegistryError
from tagbot.models import DEFAULT_REGISTRY, RegistryOptions, TagTime
from tagbot.scanner.client import Transport
from tagbot.scanner.credentials import Credentials
from tagbot.scanner.pushtimes import dockerhub, github, harbor, quay
from tagbot.scanner.pushtimes.api import Api

log = logging.getLogger("tagbot.scanner")


@dataclass(frozen=True)
class Vendor:
    """One push-time API: its name in messages, its public base URL (None: the registry's own
    host), and how it answers "when was this tag pushed?" (None: it does not know the tag)."""

    label: str
    base: str | None
    pushed: Callable[[Api, str, str], datetime | None]


VENDORS: dict[str, Vendor] = {
    "dockerhub": Vendor(dockerhub.LABEL, dockerhub.BASE, dockerhub.pushed),
    "quay": Vendor(quay.LABEL, quay.BASE, quay.pushed),
    "harbor": Vendor(harbor.LABEL, harbor.BASE, harbor.pushed),
    "github": Vendor(github.LABEL, github.BASE, github.pushed),
}
BY_HOST = {DEFAULT_REGISTRY: "dockerhub", "quay.io": "quay", "ghcr.io": "github"}


def vendor_for(registry: str, options: RegistryOptions) -> str | None:
    """The API that dates `registry`'s tags: the configured one, or by host for `auto`."""
    if options.push_times == "none":
        return None
    if options.push_times != "auto":
        return options.push_times
    return BY_HOST.get(registry.lower())


class PushTimes:
    """The push-time API of one registry within a run."""

    def __init__(self, vendor: Vendor, api: Api) -> None:
        self.vendor = vendor
        self.api = api
        self._warned = False
        self._lock = threading.Lock()

    def pushed(self, repository: str, tag: str) -> TagTime | None:
        """When the API says `tag` was pushed; None when it has no answer or fails."""
        try:
            when = self.vendor.pushed(self.api, repository, tag)
        except RegistryError as exc:
            self._warn(str(exc))
            return None
        except Exception as exc:  # a hostile answer costs the push time, never the image
            log.debug("unexpected error handling a push-time answer", exc_info=True)
            self._warn(f"could not handle the answer ({type(exc).__name__})")
            return None
        if when is None:
            log.debug("no push time", extra={"host": self.api.host, "tag": tag})
            return None
        return TagTime(when, f"push time from {self.vendor.label}")

    def _warn(self, error: str) -> None:
        """One warning per API and run; later failures are at debug level."""
        with self._lock:
            first, self._warned = not self._warned, True
        level = logging.WARNING if first and not self.api.past_deadline() else logging.DEBUG
        message = "push-time API failed; ages fall back to the image config's created time"
        log.log(level, message, extra={"host": self.api.host, "error": error})


def for_registry(
    registry: str,
    options: RegistryOptions,
    registry_base: str,
    transport: Transport,
    env: Mapping[str, str],
    credentials: Callable[[], Credentials | None],
) -> PushTimes | None:
    """The push-time API for `registry`, or None when none applies."""
    name = vendor_for(registry, options)
    if name is None:
        return None
    vendor = VENDORS[name]
    base = options.push_times_url or vendor.base or registry_base
    token = _token(options.push_times_token_env, env)
    api = Api(vendor.label, base, registry, options, transport, token, credentials)
    return PushTimes(vendor, api)


def _token(name: str | None, env: Mapping[str, str]) -> str | None:
    if not name:
        return None
    value = env.get(name)
    if not value:
        log.warning("push-time token variable is not set", extra={"variable": name})
    return value or None
